"""Asking one MX host about many recipients over as few connections as it allows.

Recipients arrive grouped by domain (each domain's catch-all probe first). One connection
carries them all, with RSET between transactions. Temporary refusals (greylisting) are asked
again once after the retry delay on the same connection; a dropped connection or a 421 costs
one reconnect; a server that stops answering ends the host's probing with a timeout.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from coldflow.contacts.verify.rcpt_answers import RcptAnswer, classify_rcpt, readable
from coldflow.contacts.verify.settings import VerifySettings
from coldflow.contacts.verify.smtp_session import ConnectionLost, ServerTimeout, SmtpSession


@dataclass(frozen=True, slots=True)
class Recipient:
    # local@ascii-domain, as RCPT TO carries it.
    address: str
    domain: str
    needs_smtputf8: bool = False


@dataclass(frozen=True, slots=True)
class ProbeAnswer:
    """A recipient's final answer, or why there is none (answer None, failure set)."""

    answer: RcptAnswer | None
    failure: str = ""
    # With a failure: "timeout", "connection_lost", "sender_refused" or "no_smtputf8".
    failure_kind: str = ""
    # True when the answer came from the greylisting retry.
    retried: bool = False


@dataclass
class HostReport:
    answers: dict[str, ProbeAnswer] = field(default_factory=dict)
    connections: int = 0


class HostThrottle:
    """Spaces RCPTs to one MX host, across all the connections to it."""

    def __init__(self, min_interval: float) -> None:
        self._interval = min_interval
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if self._interval <= 0:
            return
        async with self._lock:
            delay = self._next - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = time.monotonic() + self._interval


class _HostProber:
    def __init__(
        self,
        host: str,
        addresses: list[str],
        settings: VerifySettings,
        throttle: HostThrottle,
        report: HostReport,
    ) -> None:
        self.host = host
        self.addresses = addresses
        self.settings = settings
        self.throttle = throttle
        self.report = report
        self.session: SmtpSession | None = None
        self.reconnects_left = settings.reconnects
        # RCPTs sent in the open transaction, and the domain it is for (None: no transaction).
        self.transaction_size = 0
        self.transaction_domain: str | None = None
        # Why this connection gave up, and the failure kind for the recipients left.
        self.dead = ""
        self.dead_kind = ""

    async def run(self, recipients: Sequence[Recipient]) -> None:
        deferred, last_deferral = await self._pass(recipients, retrying=False)
        delay = self.settings.greylist_retry_delay
        if deferred and not self.dead and delay <= self.settings.greylist_max_wait:
            await asyncio.sleep(max(0.0, last_deferral + delay - time.monotonic()))
            await self._pass([r for r, _ in deferred], retrying=True)
        elif deferred:
            why = self.dead or (
                f"retry delay {delay:g} s is past the maximum wait "
                f"{self.settings.greylist_max_wait:g} s; verify again later"
            )
            for recipient, answer in deferred:
                self._answer(recipient, ProbeAnswer(answer, f"not retried: {why}"))
        if self.session is not None:
            await self.session.quit()

    async def _pass(
        self, recipients: Sequence[Recipient], retrying: bool
    ) -> tuple[list[tuple[Recipient, RcptAnswer]], float]:
        deferred: list[tuple[Recipient, RcptAnswer]] = []
        last_deferral = 0.0
        index = 0
        while index < len(recipients) and not self.dead:
            recipient = recipients[index]
            try:
                answer = await self._ask(recipient)
            except ConnectionLost as error:
                self._drop_session()
                if self.reconnects_left > 0:
                    self.reconnects_left -= 1
                    continue
                self.dead = f"{error}; gave up after {self.settings.reconnects} reconnect(s)"
                self.dead_kind = "connection_lost"
                break
            except ServerTimeout as error:
                self._drop_session()
                self.dead = str(error)
                self.dead_kind = "timeout"
                break
            if isinstance(answer, tuple):
                self._answer(recipient, ProbeAnswer(None, answer[1], answer[0], retrying))
            elif answer.outcome == "temporary" and not retrying:
                deferred.append((recipient, answer))
                last_deferral = time.monotonic()
            else:
                self._answer(recipient, ProbeAnswer(answer, retried=retrying))
            index += 1
        for recipient in recipients[index:]:
            self._answer(recipient, ProbeAnswer(None, self.dead, self.dead_kind, retrying))
        return deferred, last_deferral

    async def _ask(self, recipient: Recipient) -> RcptAnswer | tuple[str, str]:
        """The server's answer, or (failure kind, why) for a failure that concerns this
        recipient only."""
        if self.session is None:
            self.report.connections += 1
            self.session = await SmtpSession.open(self.host, self.addresses, self.settings)
            self.transaction_domain = None
        session = self.session
        if recipient.needs_smtputf8 and not session.smtputf8:
            return "no_smtputf8", f"{self.host} does not offer SMTPUTF8 (non-ASCII local part)"
        if (
            self.transaction_domain != recipient.domain
            or self.transaction_size >= self.settings.recipients_per_transaction
        ):
            refusal = await self._new_transaction(session, recipient)
            if refusal:
                return "sender_refused", refusal
        await self.throttle.wait()
        reply = await session.command("RCPT", f"TO:<{recipient.address}>")
        self.transaction_size += 1
        return classify_rcpt(reply.code, reply.message)

    async def _new_transaction(self, session: SmtpSession, recipient: Recipient) -> str:
        if self.transaction_domain is not None:
            await session.command("RSET")
            self.transaction_domain = None
        sender = f"FROM:<{self.settings.mail_from}>"
        if recipient.needs_smtputf8:
            sender += " SMTPUTF8"
        reply = await session.command("MAIL", sender)
        if not 200 <= reply.code < 300:
            # The server may refuse only this one transaction; the next gets a fresh MAIL.
            return f"{self.host} refused our MAIL FROM: {reply.code} {readable(reply.message)}"
        self.transaction_domain = recipient.domain
        self.transaction_size = 0
        return ""

    def _drop_session(self) -> None:
        if self.session is not None:
            self.session.close()
        self.session = None

    def _answer(self, recipient: Recipient, answer: ProbeAnswer) -> None:
        self.report.answers[recipient.address] = answer


async def probe_host(
    host: str,
    addresses: list[str],
    recipients: Sequence[Recipient],
    settings: VerifySettings,
) -> HostReport:
    """Every recipient's answer from `host` (reached at `addresses`), over
    settings.per_mx_connections connections at most (plus reconnects)."""
    report = HostReport()
    throttle = HostThrottle(settings.per_mx_delay)
    shares = _split_by_domain(recipients, settings.per_mx_connections)
    await asyncio.gather(
        *(_HostProber(host, addresses, settings, throttle, report).run(share) for share in shares)
    )
    return report


def _split_by_domain(recipients: Sequence[Recipient], parts: int) -> list[list[Recipient]]:
    """Up to `parts` lists, keeping each domain's recipients together and in order, so its
    catch-all probe still goes first on the connection that carries it."""
    by_domain: dict[str, list[Recipient]] = {}
    for recipient in recipients:
        by_domain.setdefault(recipient.domain, []).append(recipient)
    shares: list[list[Recipient]] = [[] for _ in range(min(parts, len(by_domain)) or 1)]
    for group in sorted(by_domain.values(), key=len, reverse=True):
        min(shares, key=len).extend(group)
    return [share for share in shares if share]
