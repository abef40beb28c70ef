"""Where accepted mail goes: prospect mailboxes, delivery reports, prospect answers.

This plays the MTA queue behind the submission server and the final delivery behind the MX:
greylisted recipients are retried later, refused or bouncing ones produce an RFC 3464 report
for the sender, delivered first emails make their prospect answer after a delay.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from coldflow.sandbox.mail.delivery_report import FailedRecipient, build_delivery_report
from coldflow.sandbox.mail.policy import Greylist, domain_policy, rcpt_answer, split_address
from coldflow.sandbox.mail.prospect_replies import build_reply, read_received
from coldflow.sandbox.mail.store import MailStore, header_block
from coldflow.sandbox.mail_world import MailWorld, SenderMailbox

log = logging.getLogger(__name__)

# Sandbox seconds between accepting a bounce-after-accept message and reporting its failure.
BOUNCE_AFTER_ACCEPT_DELAY = 3.0
# A real queue retries a little after the greylisting period, not exactly at its end.
GREYLIST_RETRY_MARGIN = 0.05

_header_parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)


@dataclass(frozen=True)
class Delivery:
    """One message received by a prospect's MX for one recipient."""

    recipient: str
    message_id: str
    time: datetime
    # "bounced": accepted, then reported as undeliverable.
    outcome: Literal["delivered", "bounced"]


def message_id_of(raw: bytes) -> str:
    value = _header_parser.parsebytes(header_block(raw)).get("Message-ID")
    return " ".join(str(value).split()) if value else ""


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class MailRouter:
    def __init__(
        self,
        world: MailWorld,
        store: MailStore,
        *,
        greylist: Greylist,
        relay_ip: str,
        time_scale: float,
        loop: asyncio.AbstractEventLoop,
    ):
        self.world = world
        self.store = store
        self.greylist = greylist
        self.relay_ip = relay_ip
        self.time_scale = time_scale
        self.loop = loop
        self._senders = {s.address.lower(): s for s in world.senders}
        self._prospects = {address.lower(): p for address, p in world.prospects.items()}
        self._answered: set[tuple[str, str]] = set()
        self._deliveries: list[Delivery] = []
        self._pending: set[asyncio.TimerHandle] = set()

    def deliveries(self) -> list[Delivery]:
        return list(self._deliveries)

    def cancel_pending(self) -> None:
        for handle in self._pending:
            handle.cancel()
        self._pending.clear()

    def _later(self, delay: float, callback: Callable[..., None], *args: object) -> None:
        def run() -> None:
            self._pending.discard(handle)
            try:
                callback(*args)
            except Exception:  # one broken message must not stop the simulated internet
                log.exception("sandbox mail: scheduled delivery step failed")

        handle = self.loop.call_later(max(delay, 0.0), run)
        self._pending.add(handle)

    # Submission: the user's mailbox provider relays to prospects.

    def submit(self, sender: SenderMailbox, recipients: list[str], raw: bytes) -> None:
        arrival = _now()
        refused: list[FailedRecipient] = []
        for recipient in recipients:
            if recipient.lower() in self._senders:
                self.store.append(recipient, "INBOX", raw)
                continue
            failure = self._attempt(sender.address, recipient, raw, arrival)
            if failure is not None:
                refused.append(failure)
        if refused:
            self._report(sender.address, raw, refused, arrival, reporting_mta=_own_mta(sender))

    def _attempt(
        self, sender: str, recipient: str, raw: bytes, arrival: datetime
    ) -> FailedRecipient | None:
        answer = rcpt_answer(self.world, self.greylist, self.relay_ip, sender, recipient)
        if answer.accepted:
            self.deliver(sender, recipient, raw)
            return None
        if answer.temporary:
            self._later(
                self.greylist.seconds + GREYLIST_RETRY_MARGIN,
                self._retry,
                sender,
                recipient,
                raw,
                arrival,
            )
            return None
        _, domain = split_address(recipient)
        has_mx = domain_policy(self.world, recipient) is not None
        return FailedRecipient(
            address=recipient,
            status=answer.status,
            diagnostic=answer.reply(),
            remote_mta=f"mx.{domain}" if has_mx else None,
        )

    def _retry(self, sender: str, recipient: str, raw: bytes, arrival: datetime) -> None:
        failure = self._attempt(sender, recipient, raw, arrival)
        if failure is not None:
            owner = self._senders.get(sender.lower())
            mta = _own_mta(owner) if owner else "localhost"
            self._report(sender, raw, [failure], arrival, reporting_mta=mta)

    # Final delivery at a prospect's MX (the recipient was accepted at RCPT time).

    def deliver(self, envelope_sender: str, recipient: str, raw: bytes) -> None:
        local, domain = split_address(recipient)
        policy = domain_policy(self.world, recipient)
        message_id = message_id_of(raw)
        if policy is not None and local in policy.bounce_after_accept:
            self._deliveries.append(Delivery(recipient, message_id, _now(), "bounced"))
            failure = FailedRecipient(
                address=recipient,
                status="5.1.1",
                diagnostic=f"550 5.1.1 <{recipient}>: Mailbox unavailable",
            )
            self._later(
                BOUNCE_AFTER_ACCEPT_DELAY * self.time_scale,
                self._report,
                envelope_sender,
                raw,
                [failure],
                _now(),
                f"mx.{domain}",
            )
            return
        self.store.add_received(recipient, raw)
        self._deliveries.append(Delivery(recipient, message_id, _now(), "delivered"))
        self._schedule_answer(envelope_sender, recipient, raw)

    def _report(
        self,
        envelope_sender: str,
        raw: bytes,
        failures: list[FailedRecipient],
        arrival: datetime,
        reporting_mta: str,
    ) -> None:
        # Mail to senders outside the sandbox has nowhere to go; the null sender gets no
        # report at all (RFC 5321 4.5.5), so reports can never loop.
        if envelope_sender.lower() not in self._senders:
            return
        report = build_delivery_report(
            original=raw,
            envelope_sender=envelope_sender,
            failures=failures,
            reporting_mta=reporting_mta,
            arrival_date=arrival,
            now=_now(),
        )
        self.store.append(envelope_sender, "INBOX", report)

    # Prospects answering.

    def _schedule_answer(self, envelope_sender: str, recipient: str, raw: bytes) -> None:
        behaviour = self._prospects.get(recipient.lower())
        if behaviour is None or behaviour.kind == "none":
            return
        original = read_received(raw)
        if not _is_thread_start(raw) or original.auto_submitted:
            return
        thread = (recipient.lower(), original.message_id or original.subject)
        if thread in self._answered:
            return
        # RFC 3834: automatic answers go to the envelope sender, people answer the From.
        if behaviour.kind == "out_of_office":
            to_address, to_header = envelope_sender, envelope_sender
        else:
            to_address = original.reply_address
            to_header = original.reply_to_header or original.from_header
        if to_address.lower() not in self._senders:
            return
        self._answered.add(thread)

        def answer() -> None:
            reply = build_reply(behaviour, original, to=to_header, now=_now())
            self.store.append(to_address, "INBOX", reply)

        self._later(behaviour.delay_seconds * self.time_scale, answer)


def _is_thread_start(raw: bytes) -> bool:
    return not _header_parser.parsebytes(header_block(raw)).get("In-Reply-To")


def _own_mta(sender: SenderMailbox) -> str:
    return f"mail.{split_address(sender.address)[1]}"
