"""Exactly-once delivery of queued messages over SMTP submission.

The order is the guarantee:
1. In one transaction: ask `may_send` (suppression, lead, enrollment, campaign, mailbox), then
   claim the message with a conditional UPDATE queued → sending that stores the final
   Message-ID and the time. Only one worker's UPDATE matches; the state is committed before
   any byte goes to the SMTP server.
2. The SMTP transaction, carrying exactly that Message-ID.
3. The server's answer decides: sent (with the answer), hard bounce, retry later, pause the
   mailbox, or unknown when the connection died after DATA began.
A worker killed between 1 and 3 leaves `sending`; `coldflow.send.recovery` turns that into
`unknown` and resolves it through the Sent folder, never by sending blindly again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from coldflow.analytics.events import record
from coldflow.send.auto_pause import check_bounce_rates, pause_mailbox
from coldflow.send.connections import MailServerError, SmtpSession, close_imap, open_imap
from coldflow.send.decision import may_send
from coldflow.send.dkim_signing import DkimKeyError, dkim_sign
from coldflow.send.mailboxes import forget_access_token, imap_access, smtp_access
from coldflow.send.message import (
    build_message,
    envelope_sender,
    final_message_id,
    final_references,
)
from coldflow.send.models import Mailbox, OutboundMessage
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
    # held / dropped (may_send said no), skipped (not queued, or another worker won).
    outcome: str
    detail: str = ""
    # For retries and messages not yet due: when to try again.
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


def deliver_batch(
    message_pks: list[int], *, settings: SendSettings | None = None
) -> list[DeliveryResult]:
    """Deliver queued messages in order, reusing one SMTP connection per mailbox."""
    settings = settings or current_send_settings()
    connections = _Connections(settings)
    try:
        return [_deliver_one(pk, settings, connections) for pk in message_pks]
    finally:
        connections.close()


def _load(message_pk: int) -> OutboundMessage | None:
    return (
        OutboundMessage.objects.select_related("mailbox", "enrollment", "lead", "campaign", "step")
        .filter(pk=message_pk)
        .first()
    )


def _claim(message: OutboundMessage, settings: SendSettings) -> DeliveryResult | bytes:
    """Step 1: judge, render and claim. Returns the bytes to send, or why not."""
    now = timezone.now()
    with transaction.atomic():
        if message.state != "queued":
            return DeliveryResult(message.pk, "skipped", f"state is {message.state}")
        decision = may_send(message, now=now)
        if decision.action == "hold":
            due = message.scheduled_at if decision.reason.startswith("not due") else None
            return DeliveryResult(message.pk, "held", decision.reason, due)
        if decision.action == "drop":
            dropped = OutboundMessage.objects.filter(pk=message.pk, state="queued").update(
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
            return DeliveryResult(message.pk, "dropped", decision.reason)
        mailbox = message.mailbox
        message.message_id = final_message_id(message.message_id, mailbox.email)
        message.in_reply_to = final_message_id(message.in_reply_to, mailbox.email)
        message.references = final_references(message.references, mailbox.email)
        try:
            raw = render(message, mailbox, settings)
        except DkimKeyError as error:
            pause_mailbox(mailbox, str(error))
            return DeliveryResult(message.pk, "held", str(error))
        claimed = OutboundMessage.objects.filter(pk=message.pk, state="queued").update(
            state="sending",
            sending_started_at=now,
            message_id=message.message_id,
            in_reply_to=message.in_reply_to,
            references=message.references,
            from_address=mailbox.email,
            attempts=F("attempts") + 1,
        )
        if not claimed:
            return DeliveryResult(message.pk, "skipped", "claimed by another worker")
    message.attempts += 1
    return raw


def _deliver_one(pk: int, settings: SendSettings, connections: _Connections) -> DeliveryResult:
    message = _load(pk)
    if message is None:
        return DeliveryResult(pk, "skipped", "no such message")
    claimed = _claim(message, settings)
    if isinstance(claimed, DeliveryResult):
        return claimed
    raw = claimed
    mailbox = message.mailbox
    try:
        session = connections.session(mailbox)
        sender = envelope_sender(message, mailbox, settings)
        code, text = session.send(sender, message.to_address, raw)
        verdict = classify("data", code, text)
    except MailServerError as error:
        verdict = classify(error.stage, error.code, error.text or error.detail)
        if verdict.kind == "pause_mailbox":
            connections.drop(mailbox)
            if error.stage == "auth":
                forget_access_token(mailbox)
    result = _apply(message, verdict, settings)
    if result.outcome == "sent" and mailbox.append_to_sent and mailbox.imap_host:
        connections.file_sent_copy(mailbox, raw, message.sent_at or timezone.now())
    return result


def _apply(message: OutboundMessage, verdict: SmtpVerdict, settings: SendSettings):
    """Step 3: record what the server's answer means."""
    pk = message.pk
    now = timezone.now()
    mine = OutboundMessage.objects.filter(pk=pk, state__in=("sending", "unknown"))
    if verdict.kind == "sent":
        mark_sent(message, verdict.reason, now)
        return DeliveryResult(pk, "sent", verdict.reason)
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
        pause_mailbox(message.mailbox, verdict.reason)
        return DeliveryResult(pk, "pause_mailbox", verdict.reason)
    mine.update(state="failed", error=verdict.reason, smtp_response=verdict.reason)
    if verdict.kind == "hard_bounce":
        apply_hard_bounce(message, verdict.reason, stage="send")
        check_bounce_rates(message, settings.bounce_threshold)
    return DeliveryResult(pk, verdict.kind, verdict.reason)


def mark_sent(message: OutboundMessage, response: str, sent_at: datetime) -> bool:
    """Record a message as sent and move its enrollment, lead and mailbox along."""
    from coldflow.contacts.models import Lead
    from coldflow.send.models import Enrollment

    with transaction.atomic():
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
        Mailbox.objects.filter(pk=message.mailbox_id).update(last_sent_at=sent_at)
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
