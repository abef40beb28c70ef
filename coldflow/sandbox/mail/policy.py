"""How a prospect domain's MX host answers `RCPT TO`, decided from the world's truth."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from coldflow.sandbox.mail_world import DomainPolicy, MailWorld


@dataclass(frozen=True)
class RcptAnswer:
    code: int
    # RFC 3463 enhanced status code, e.g. "5.1.1".
    status: str
    text: str

    @property
    def accepted(self) -> bool:
        return self.code < 400

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500

    def reply(self) -> str:
        return f"{self.code} {self.status} {self.text}"


def split_address(address: str) -> tuple[str, str]:
    """(local part, domain), both lower case; an address without "@" has an empty domain."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return address.strip().lower(), ""
    return local.lower(), domain.lower().rstrip(".")


def domain_policy(world: MailWorld, address: str) -> DomainPolicy | None:
    """The policy of the MX that handles this address, or None when no sandbox MX does."""
    _, domain = split_address(address)
    policy = world.domains.get(domain)
    if policy is None or not policy.has_mx:
        return None
    return policy


def recipient_answer(world: MailWorld, address: str) -> RcptAnswer:
    """The answer to `RCPT TO:<address>` before any greylisting."""
    local, domain = split_address(address)
    if not local or not domain:
        return RcptAnswer(501, "5.1.3", f"<{address}>: Bad recipient address syntax")
    policy = domain_policy(world, address)
    if policy is None:
        return RcptAnswer(550, "5.1.2", f"<{address}>: Relay access denied")
    if policy.catch_all or local in policy.mailboxes or local in policy.bounce_after_accept:
        return RcptAnswer(250, "2.1.5", "OK")
    return RcptAnswer(
        550, "5.1.1", f"<{address}>: Recipient address rejected: User unknown in local table"
    )


class Greylist:
    """Defers the first attempt of each (client ip, sender, recipient) triple."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._first_seen: dict[tuple[str, str, str], float] = {}

    def passes(self, client_ip: str, sender: str, recipient: str) -> bool:
        key = (client_ip, sender.lower(), recipient.lower())
        now = self._clock()
        first = self._first_seen.setdefault(key, now)
        return now - first >= self.seconds

    def answer(self, recipient: str) -> RcptAnswer:
        return RcptAnswer(
            450,
            "4.7.1",
            f"<{recipient}>: Recipient address rejected: Greylisted, "
            f"try again in {self.seconds:g} seconds",
        )


def rcpt_answer(
    world: MailWorld, greylist: Greylist, client_ip: str, sender: str, recipient: str
) -> RcptAnswer:
    """The full answer: unknown users are refused first, then greylisting applies."""
    answer = recipient_answer(world, recipient)
    if not answer.accepted:
        return answer
    policy = domain_policy(world, recipient)
    if policy is not None and policy.greylist and not greylist.passes(client_ip, sender, recipient):
        return greylist.answer(recipient)
    return answer
