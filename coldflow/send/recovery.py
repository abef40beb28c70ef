"""After a crash: `sending` becomes `unknown`, and `unknown` is resolved through the Sent folder.

A message is `unknown` when its worker died (or the line dropped) after the SMTP transaction
may have begun. Re-sending it blindly could mail the prospect twice, so the resolver asks the
mailbox's Sent folder for its Message-ID:
- found: it was sent;
- not found after the grace period, and the server files every sent message itself
  (append_to_sent off): it was not sent, so it is queued again;
- not found, but coldflow files the copies itself (append_to_sent on): a crash between the
  server's acceptance and our copy cannot be told apart from not sending, so it is failed with
  that reason rather than risk a duplicate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from coldflow.send.connections import MailServerError, close_imap, open_imap
from coldflow.send.delivery import mark_sent
from coldflow.send.mailboxes import imap_access
from coldflow.send.models import Mailbox, OutboundMessage
from coldflow.send.sent_folder import find_message_id

log = logging.getLogger(__name__)


def reap_stuck_sending(older_than: timedelta, *, now: datetime | None = None) -> int:
    """`sending` messages whose worker is gone become `unknown`; returns how many."""
    cutoff = (now or timezone.now()) - older_than
    minutes = older_than.total_seconds() / 60
    return OutboundMessage.objects.filter(state="sending", sending_started_at__lt=cutoff).update(
        state="unknown",
        error=f"still sending after {minutes:g} min: its worker stopped mid-send; "
        "to be resolved through the Sent folder",
    )


@dataclass
class Resolution:
    sent: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    # Not found yet, still inside the grace period, or the mailbox could not be searched.
    pending: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def resolve_unknown(
    grace: timedelta, *, now: datetime | None = None, timeout: float = 60.0
) -> Resolution:
    now = now or timezone.now()
    result = Resolution()
    unknown = OutboundMessage.objects.filter(state="unknown").select_related(
        "mailbox", "enrollment", "step"
    )
    by_mailbox: dict[int, list[OutboundMessage]] = {}
    for message in unknown:
        by_mailbox.setdefault(message.mailbox_id, []).append(message)
    for mailbox_pk, messages in by_mailbox.items():
        mailbox = Mailbox.objects.get(pk=mailbox_pk)
        try:
            client = open_imap(imap_access(mailbox, timeout))
        except MailServerError as error:
            result.errors.append(f"{mailbox.email}: {error}")
            result.pending += [m.pk for m in messages]
            continue
        try:
            for message in messages:
                _resolve_one(client, mailbox, message, grace, now, result)
        except MailServerError as error:
            result.errors.append(f"{mailbox.email}: {error}")
        finally:
            close_imap(client)
    return result


def _resolve_one(client, mailbox, message, grace, now, result: Resolution) -> None:
    if find_message_id(client, mailbox.sent_folder, message.message_id):
        if mark_sent(message, f"found in {mailbox.sent_folder!r} after an unknown outcome", now):
            result.sent.append(message.pk)
        return
    started = message.sending_started_at or message.created_at
    if started > now - grace:
        result.pending.append(message.pk)
        return
    waited = f"not in {mailbox.sent_folder!r} after {grace.total_seconds() / 60:g} min"
    pending = OutboundMessage.objects.filter(pk=message.pk, state="unknown")
    if not mailbox.append_to_sent:
        # The server files every accepted message itself: absence means it was never accepted.
        if pending.update(
            state="queued",
            error=f"{waited}; the server files every sent "
            "message there, so it was not sent: queued again",
        ):
            result.requeued.append(message.pk)
        return
    if pending.update(
        state="failed",
        error=f"{waited}; coldflow files sent copies itself, so a crash right after the "
        "server accepted it cannot be ruled out: not re-sent, to avoid a duplicate",
    ):
        result.failed.append(message.pk)
