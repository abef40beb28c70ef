"""The per-mailbox limiter at the moment of sending: exact with any number of workers.

The dispatcher plans within every limit, but queued jobs can bunch up (a worker was down, a
retry came due together with a new message). So the delivery side asks for a slot right before
the SMTP transaction. A mailbox's bucket holds its day's cap (with ramp-up, counted in the
mailbox's own time zone) and refills one token per `min_gap_seconds`; taking a slot stamps the
message's `sending_started_at` and the mailbox's `last_sent_at` in the same transaction, under
a row lock on the mailbox (SQLite: the IMMEDIATE transaction's write lock), so two workers can
never both take the last token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from coldflow.send.models import Mailbox, MailboxStatus, OutboundMessage
from coldflow.send.schedule.business_days import zone
from coldflow.send.schedule.planner import MailboxState, next_midnight


@dataclass(frozen=True)
class SendSlot:
    granted: bool
    # Why not: "paused", "daily_cap" or "gap"; empty when granted.
    reason: str = ""
    # When asking again can succeed (None: not before someone resumes the mailbox).
    retry_at: datetime | None = None


def acquire_send_slot(mailbox_id: int, message_pk: int, now: datetime | None = None) -> SendSlot:
    """Take the right to start one SMTP transaction for `message_pk` from `mailbox_id` now.

    Denied while the mailbox is paused, when its day's cap is used up (counting messages whose
    `sending_started_at` falls in the mailbox's current day, this one excluded), or when its last
    send was less than `min_gap_seconds` ago. Granting stamps `sending_started_at = now` on the
    message and `last_sent_at = now` on the mailbox.
    """
    now = now or timezone.now()
    with transaction.atomic():
        mailbox = Mailbox.objects.select_for_update().get(pk=mailbox_id)
        if mailbox.status != MailboxStatus.ACTIVE:
            return SendSlot(False, "paused")
        tz = mailbox.timezone
        local_day = now.astimezone(zone(tz)).date()
        state = MailboxState(
            id=mailbox.pk,
            daily_cap=mailbox.daily_cap,
            ramp_start=mailbox.ramp_start,
            ramp_step=mailbox.ramp_step,
            ramp_started_on=mailbox.ramp_started_on or local_day,
            min_gap_seconds=mailbox.min_gap_seconds,
            max_gap_seconds=mailbox.max_gap_seconds,
            timezone=tz,
            active=True,
        )
        used = (
            OutboundMessage.objects.filter(
                mailbox_id=mailbox.pk, sending_started_at__gte=_local_midnight(now, tz)
            )
            .exclude(pk=message_pk)
            .count()
        )
        if used >= state.cap_on(local_day):
            return SendSlot(False, "daily_cap", next_midnight(now, tz))
        if mailbox.last_sent_at is not None:
            ready = mailbox.last_sent_at + timedelta(seconds=mailbox.min_gap_seconds)
            if now < ready:
                return SendSlot(False, "gap", ready)
        Mailbox.objects.filter(pk=mailbox.pk).update(last_sent_at=now)
        OutboundMessage.objects.filter(pk=message_pk).update(sending_started_at=now)
    return SendSlot(True)


def _local_midnight(now: datetime, tz: str) -> datetime:
    local = now.astimezone(zone(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)
