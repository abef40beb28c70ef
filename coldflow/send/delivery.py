"""Exactly-once delivery of queued messages over SMTP submission.

The order is the guarantee:
1. Judge the message by the may-send rules (suppression, lead, enrollment, campaign, mailbox;
   the facts of a whole batch are loaded in two queries). Then, in one transaction, take a send
   slot of its mailbox under a lock on the mailbox row (`schedule.limits`: the day's cap with
   ramp-up and the minimum gap, exact with any number of workers; a denied slot puts the
   message off until the slot opens) and claim the message with one conditional UPDATE queued
   → sending that stores the final Message-ID and the time, and that re-checks every may-send
   fact on the current rows (`decision.still_sendable`). Only one worker's UPDATE matches; the
   state is committed before any byte goes to the SMTP server.
2. The SMTP transaction, carrying exactly that Message-ID.
3. The server's answer decides: sent (with the answer), hard bounce, retry later, pause the
   mailbox, or unknown when the connection died after DATA began.
A worker killed between 1 and 3 leaves `sending`; `coldflow.send.recovery` turns that into
`unknown` and resolves it through the Sent folder, never by sending blindly again.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from coldflow.analytics.events import record
from coldflow.send.auto_pause import check_bounce_rates
from coldflow.send.connections import MailServerError, SmtpSession, close_imap, open_imap
from coldflow.send.decision import decide, facts_of, load_suppressions, may_send, still_sendable
from coldflow.send.dkim_signing import DkimKeyError, dkim_sign
from coldflow.send.mailboxes import (
    SYSTEM,
    forget_access_token,
    imap_access,
    pause_mailbox,
    smtp_access,
)
from coldflow.send.message import (
    build_message,
    envelope_sender,
    final_message_id,
    final_references,
)
from coldflow.send.models import Mailbox, OutboundMessage
from coldflow.send.schedule.limits import SendSlot, lock_send_slot, stamp_send_slot
from coldflow.send.sent_folder import append_copy
from coldflow.send.settings import SendSettings, current_send_settings
from coldflow.send.smtp_answers import SmtpVerdict, classify
from coldflow.send.suppression import apply_hard_bounce

log = logging.getLogger(__name__)

# Lead states that become `contacted` with the first email.
_NOT_YET_CONTACTED = ("new", "ready", "enrolled")


@dataclass(frozen=True)
class DeliveryResult:
    message_pk: int
    # sent, hard_bounce, rejected, retry, pause_mailbox, unknown (SMTP verdicts), or
    # held / dropped (may_send said no), rescheduled (the mailbox's daily cap or minimum gap:
    # queued again for later, no attempt counted), skipped (not queued, or another worker won).
    outcome: str
    detail: str = ""
    # For retries, rescheduled messages and messages not yet due: when to try again.
    retry_at: datetime | None = None


def render(message: OutboundMessage, mailbox: Mailbox, settings: SendSettings) -> bytes:
    """The bytes handed to SMTP, DKIM-signed when the mailbox has a key."""
    raw = build_message(message, mailbox, settings).as_bytes()
    if mailbox.dkim_selector and mailbox.dkim_private_key:
        raw = dkim_sign(
            raw,
            domain=mailbox.email.rpartition("@")[2].lower(),
            selector=mailbox.dkim_selector,
            private_key_pem=mailbox.dkim_private_key,
        )
    return raw


class _Connections:
    """One SMTP session (and one IMAP session for Sent copies) per mailbox, for a batch."""

    def __init__(self, settings: SendSettings):
        self.settings = settings
        self.smtp: dict[int, SmtpSession] = {}
        self.imap: dict[int, object] = {}

    def session(self, mailbox: Mailbox) -> SmtpSession:
        session = self.smtp.get(mailbox.pk)
        if session is None:
            session = SmtpSession(smtp_access(mailbox, self.settings.smtp_timeout))
            self.smtp[mailbox.pk] = session
        return session

    def drop(self, mailbox: Mailbox) -> None:
        session = self.smtp.pop(mailbox.pk, None)
        if session is not None:
            session.close()

    def file_sent_copy(self, mailbox: Mailbox, raw: bytes, when: datetime) -> None:
        try:
            client = self.imap.get(mailbox.pk)
            if client is None:
                client = open_imap(imap_access(mailbox, self.settings.smtp_timeout))
                self.imap[mailbox.pk] = client
            append_copy(client, mailbox.sent_folder, raw, when)
        except MailServerError as error:
            # Sent already; only the copy is missing. Worth a warning, not a failure.
            self.imap.pop(mailbox.pk, None)
            log.warning("mailbox %s: sent copy not filed: %s", mailbox.email, error)

    def close(self) -> None:
        for session in self.smtp.values():
            session.close()
        for client in self.imap.values():
            close_imap(client)
        self.smtp.clear()
        self.imap.clear()


def deliver(message_pk: int, *, settings: SendSettings | None = None) -> DeliveryResult:
    return deliver_batch([message_pk], settings=settings)[0]


# Rows loaded (and suppressions looked up) per query while delivering a batch.
_LOAD_CHUNK = 200


def deliver_batch(
    message_pks: list[int], *, settings: SendSettings | None = None
) -> list[DeliveryResult]:
    """Deliver queued messages in order, reusing one SMTP connection per mailbox."""
    settings = settings or current_send_settings()
    batch = _Batch(settings)
    results = []
    try:
        for start in range(0, len(message_pks), _LOAD_CHUNK):
            chunk = message_pks[start : start + _LOAD_CHUNK]
            messages = _load(chunk)
            suppressions = load_suppressions(messages.values())
            for pk in chunk:
                results.append(batch.deliver(pk, messages.get(pk), suppressions))
        return results
    finally:
        try:
            batch.flush()
        finally:
            batch.connections.close()


def _messages():
    return OutboundMessage.objects.select_related(
        "mailbox", "enrollment", "lead", "campaign", "step"
    )


def _load(pks: list[int]) -> dict[int, OutboundMessage]:
    return {m.pk: m for m in _messages().filter(pk__in=pks)}


def _claim(message: OutboundMessage) -> tuple[bool, SendSlot]:
    """Take a send slot of the message's mailbox and claim the message queued → sending with
    its final Message-ID, inside the caller's transaction.

    The slot (coldflow.send.schedule.limits) locks the mailbox row and judges its day's cap and
    minimum gap; only when it is granted does the claim run: one conditional UPDATE that
    matches only if the message is still queued and every may-send fact still holds, so exactly
    one worker's UPDATE matches. Only a successful claim stamps the mailbox's last send. Returns
    (claimed, slot): a denied slot leaves the message untouched.
    """
    slot = lock_send_slot(message.mailbox_id, message.pk)
    if not slot.granted:
        return False, slot
    now = slot.at
    condition, params = still_sendable(message, now=now)
    with connection.cursor() as cursor:
        cursor.execute(
            _claim_sql(connection.vendor) + condition,
            [
                connection.ops.adapt_datetimefield_value(now),
                message.message_id,
                message.in_reply_to,
                message.references,
                message.mailbox.email,
                message.pk,
                *params,
            ],
        )
        claimed = cursor.rowcount == 1
    if claimed:
        stamp_send_slot(message.mailbox_id, slot)
    return claimed, slot


def _reschedule(pk: int, slot: SendSlot) -> DeliveryResult | None:
    """A denied slot with a time to ask again: the message waits, queued, until then (this is
    no attempt). None when the message is no longer queued or the mailbox is paused."""
    if slot.retry_at is None:
        return None
    if not OutboundMessage.objects.filter(pk=pk, state="queued").update(scheduled_at=slot.retry_at):
        return None
    return DeliveryResult(pk, "rescheduled", slot.describe(), slot.retry_at)


@functools.cache
def _claim_sql(vendor: str) -> str:
    quote = connection.ops.quote_name

    def column(field: str) -> str:
        return quote(OutboundMessage._meta.get_field(field).column)

    return (
        f"UPDATE {quote(OutboundMessage._meta.db_table)} SET {column('state')} = 'sending', "
        f"{column('sending_started_at')} = %s, {column('message_id')} = %s, "
        f"{column('in_reply_to')} = %s, {column('references')} = %s, "
        f"{column('from_address')} = %s, {column('attempts')} = {column('attempts')} + 1 "
        f"WHERE {column('id')} = %s AND {column('state')} = 'queued' AND "
    )


def _finalise_ids(message: OutboundMessage) -> None:
    email = message.mailbox.email
    message.message_id = final_message_id(message.message_id, email)
    message.in_reply_to = final_message_id(message.in_reply_to, email)
    message.references = final_references(message.references, email)


class _Batch:
    """One worker delivering a batch: its connections, and the one `sent` not yet written.

    Each message costs one transaction. A message the server accepted is recorded `sent` in
    the transaction that claims the next message (or right away when nothing follows), not in
    a transaction of its own. What a crash can leave is unchanged by this: the message stays
    `sending`, exactly as a crash between the server's answer and a separate `sent` commit
    would leave it, and the reaper turns it `unknown` and the Sent-folder resolver finds it
    (filed by the server, or by us before the deferred commit). Never more than one accepted
    message waits, and never while another SMTP transaction runs: its `sent` commits before
    the next message's first byte goes out. Every other write flushes it first.
    """

    def __init__(self, settings: SendSettings):
        self.settings = settings
        self.connections = _Connections(settings)
        self._sent: tuple[OutboundMessage, str, datetime] | None = None

    def flush(self) -> None:
        if self._sent is not None:
            with transaction.atomic():
                self._write_sent()

    def _write_sent(self) -> None:
        if self._sent is not None:
            message, response, sent_at = self._sent
            self._sent = None
            _record_sent(message, response, sent_at)

    def deliver(
        self, pk: int, message: OutboundMessage | None, suppressions: dict
    ) -> DeliveryResult:
        now = timezone.now()
        if message is None or message.state != "queued":
            return self._judge_afresh(pk)
        if not decide(facts_of(message, suppressions, now=now)).allowed:
            # Loaded with the batch; a refusal fails or holds the message, so judge it again
            # on the rows as they are now.
            return self._judge_afresh(pk)
        _finalise_ids(message)
        try:
            raw = render(message, message.mailbox, self.settings)
        except DkimKeyError as error:
            self.flush()
            pause_mailbox(message.mailbox, str(error), by=SYSTEM)
            return DeliveryResult(pk, "held", str(error))
        with transaction.atomic():
            self._write_sent()
            claimed, slot = _claim(message)
            rescheduled = None if slot.granted else _reschedule(pk, slot)
        if rescheduled is not None:
            return rescheduled
        if not claimed:
            # Something changed since the batch was loaded: another worker claimed it, or a
            # may-send fact no longer holds (the mailbox was paused…). Find out which on fresh
            # rows.
            return self._judge_afresh(pk)
        message.attempts += 1
        return self._send(message, raw)

    def _judge_afresh(self, pk: int) -> DeliveryResult:
        """Load, judge and claim one message in one transaction, saying why it is not sent."""
        now = timezone.now()
        with transaction.atomic():
            self._write_sent()
            message = _messages().filter(pk=pk).first()
            if message is None:
                return DeliveryResult(pk, "skipped", "no such message")
            if message.state != "queued":
                return DeliveryResult(pk, "skipped", f"state is {message.state}")
            decision = may_send(message, now=now)
            if decision.action == "hold":
                due = message.scheduled_at if decision.reason.startswith("not due") else None
                return DeliveryResult(pk, "held", decision.reason, due)
            if decision.action == "drop":
                dropped = OutboundMessage.objects.filter(pk=pk, state="queued").update(
                    state="failed", error=f"not sent: {decision.reason}"
                )
                if dropped:
                    record(
                        "message.dropped",
                        workspace_id=message.workspace_id,
                        campaign_id=message.campaign_id,
                        lead_id=message.lead_id,
                        message=message,
                        data={"reason": decision.reason},
                    )
                return DeliveryResult(pk, "dropped", decision.reason)
            _finalise_ids(message)
            try:
                raw = render(message, message.mailbox, self.settings)
            except DkimKeyError as error:
                pause_mailbox(message.mailbox, str(error), by=SYSTEM)
                return DeliveryResult(pk, "held", str(error))
            claimed, slot = _claim(message)
            if not slot.granted:
                rescheduled = _reschedule(pk, slot)
                return rescheduled or DeliveryResult(pk, "held", slot.describe())
            if not claimed:
                return DeliveryResult(pk, "skipped", "claimed by another worker")
        message.attempts += 1
        return self._send(message, raw)

    def _send(self, message: OutboundMessage, raw: bytes) -> DeliveryResult:
        """Step 2 and 3: the SMTP transaction of a claimed message, and what its answer means."""
        mailbox = message.mailbox
        try:
            session = self.connections.session(mailbox)
            sender = envelope_sender(message, mailbox, self.settings)
            code, text = session.send(sender, message.to_address, raw)
            verdict = classify("data", code, text)
        except MailServerError as error:
            verdict = classify(error.stage, error.code, error.text or error.detail)
            if verdict.kind == "pause_mailbox":
                self.connections.drop(mailbox)
                if error.stage == "auth":
                    forget_access_token(mailbox)
        if verdict.kind != "sent":
            self.flush()
            return _apply(message, verdict, self.settings)
        sent_at = timezone.now()
        self._sent = (message, verdict.reason, sent_at)
        if mailbox.append_to_sent and mailbox.imap_host:
            self.connections.file_sent_copy(mailbox, raw, sent_at)
        return DeliveryResult(message.pk, "sent", verdict.reason)


def _apply(message: OutboundMessage, verdict: SmtpVerdict, settings: SendSettings):
    """Step 3 for every answer but `sent`: record what the server's answer means."""
    pk = message.pk
    now = timezone.now()
    mine = OutboundMessage.objects.filter(pk=pk, state__in=("sending", "unknown"))
    if verdict.kind == "unknown":
        mine.update(state="unknown", error=verdict.reason)
        return DeliveryResult(pk, "unknown", verdict.reason)
    if verdict.kind == "retry":
        if message.attempts >= settings.max_attempts:
            reason = f"gave up after {message.attempts} attempts: {verdict.reason}"
            mine.update(state="failed", error=reason, smtp_response=verdict.reason)
            return DeliveryResult(pk, "rejected", reason)
        retry_at = now + settings.retry_delay(message.attempts)
        mine.update(
            state="queued",
            scheduled_at=retry_at,
            error=f"attempt {message.attempts}: {verdict.reason}",
            smtp_response=verdict.reason,
        )
        return DeliveryResult(pk, "retry", verdict.reason, retry_at)
    if verdict.kind == "pause_mailbox":
        # Nothing reached the recipient and the lead is not to blame: keep it queued (this
        # attempt does not count) and stop the mailbox until someone looks.
        mine.update(
            state="queued", attempts=F("attempts") - 1, error=verdict.reason, smtp_response=""
        )
        pause_mailbox(message.mailbox, verdict.reason, by=SYSTEM)
        return DeliveryResult(pk, "pause_mailbox", verdict.reason)
    mine.update(state="failed", error=verdict.reason, smtp_response=verdict.reason)
    if verdict.kind == "hard_bounce":
        apply_hard_bounce(message, verdict.reason, stage="send")
        check_bounce_rates(message, settings.bounce_threshold)
    return DeliveryResult(pk, verdict.kind, verdict.reason)


def mark_sent(message: OutboundMessage, response: str, sent_at: datetime) -> bool:
    """Record a message as sent and move its enrollment, lead and mailbox along."""
    with transaction.atomic():
        return _record_sent(message, response, sent_at)


def _record_sent(message: OutboundMessage, response: str, sent_at: datetime) -> bool:
    """mark_sent inside the caller's transaction. `message` comes with its enrollment and step."""
    from coldflow.contacts.models import Lead
    from coldflow.send.models import Enrollment

    changed = OutboundMessage.objects.filter(
        pk=message.pk, state__in=("sending", "unknown")
    ).update(state="sent", sent_at=sent_at, smtp_response=response[:2000], error="")
    if not changed:
        return False
    message.state, message.sent_at = "sent", sent_at
    enrollment = message.enrollment
    if enrollment is not None:
        updates = {"last_sent_at": sent_at}
        if message.step.position == 0 and not enrollment.thread_message_id:
            updates["thread_message_id"] = message.message_id
        if enrollment.mailbox_id is None:
            updates["mailbox_id"] = message.mailbox_id
        Enrollment.objects.filter(pk=enrollment.pk).update(**updates)
    Lead.objects.filter(pk=message.lead_id, status__in=_NOT_YET_CONTACTED).update(
        status="contacted"
    )
    record(
        "message.sent",
        workspace_id=message.workspace_id,
        campaign_id=message.campaign_id,
        lead_id=message.lead_id,
        mailbox_id=message.mailbox_id,
        message=message,
        data={"step": message.step.position, "response": response[:300]},
    )
    return True
