"""The per-mailbox limiter at the moment of sending: exact with any number of workers.

The dispatcher plans within every limit, but queued jobs can bunch up (a worker was down, a
retry came due together with a new message, several workers pick up one mailbox's messages at
once). So delivery asks for a slot in the very transaction that claims the message
(`coldflow.send.delivery`): `lock_send_slot` locks the mailbox row (PostgreSQL: SELECT … FOR
UPDATE; SQLite: the IMMEDIATE transaction already holds the write lock), counts the messages
the mailbox started sending during its current local day (ramp-up included) and checks the
minimum gap since its last send; the claim then stamps the message's `sending_started_at`, and
`stamp_send_slot` the mailbox's `last_sent_at`, before the lock is released. Two workers can
therefore never both take the last slot of a day, nor two slots within one gap.

`judge_slot` is the rule itself, over plain data.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import connection
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
    # The moment the slot was judged for: the message's `sending_started_at` when granted.
    at: datetime | None = None
    # That moment's date in the mailbox's time zone (its ramp-up starts on it).
    day: date | None = None

    def describe(self) -> str:
        if self.reason == "daily_cap":
            return "the mailbox's daily cap is reached"
        if self.reason == "gap":
            return "the mailbox's minimum gap between sends has not passed"
        return f"mailbox {self.reason}"


def judge_slot(mailbox: MailboxState, now: datetime) -> SendSlot:
    """May `mailbox` start one more send at `now`? `sent_today` counts the sends it started
    during its current local day, `last_sent_at` is when it started the last one."""
    today = now.astimezone(zone(mailbox.timezone)).date()
    if not mailbox.active:
        return SendSlot(False, "paused", None, now, today)
    if mailbox.sent_today >= mailbox.cap_on(today):
        return SendSlot(False, "daily_cap", next_midnight(now, mailbox.timezone), now, today)
    if mailbox.last_sent_at is not None:
        ready = mailbox.last_sent_at + timedelta(seconds=mailbox.min_gap_seconds)
        if now < ready:
            return SendSlot(False, "gap", ready, now, today)
    return SendSlot(True, "", None, now, today)


def lock_send_slot(mailbox_id: int, message_pk: int, now: datetime | None = None) -> SendSlot:
    """Judge a slot for `message_pk` under a lock on the mailbox row, inside the caller's
    transaction. Writes nothing: the caller claims the message with `sending_started_at =
    slot.at` and then calls `stamp_send_slot`, both before its transaction ends.

    `now` defaults to the time once the lock is held, so waiting for another worker's slot does
    not back-date this one. The message itself is left out of the count, so asking again for a
    message that already took a slot today (a retry) does not use a second one.
    """
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(connection.vendor), [mailbox_id])
        row = cursor.fetchone()
        if row is None:
            return SendSlot(False, "paused", None, now or timezone.now())
        status, daily_cap, ramp_start, ramp_step, ramp_started_on, min_gap, tz, last = row
        now = now or timezone.now()
        # A new statement after the lock is held: on PostgreSQL it sees every slot taken by
        # the transactions the lock waited for.
        cursor.execute(
            _count_sql(connection.vendor),
            [
                mailbox_id,
                connection.ops.adapt_datetimefield_value(_local_midnight(now, tz)),
                message_pk,
            ],
        )
        (used,) = cursor.fetchone()
    mailbox = MailboxState(
        id=mailbox_id,
        daily_cap=daily_cap,
        ramp_start=ramp_start,
        ramp_step=ramp_step,
        # A mailbox whose ramp never started starts it with this send.
        ramp_started_on=_as_date(ramp_started_on) or now.astimezone(zone(tz)).date(),
        min_gap_seconds=min_gap,
        max_gap_seconds=min_gap,
        timezone=tz,
        active=status == MailboxStatus.ACTIVE,
        sent_today=used,
        last_sent_at=_as_datetime(last),
    )
    return judge_slot(mailbox, now)


def stamp_send_slot(mailbox_id: int, slot: SendSlot) -> None:
    """The mailbox's side of a granted slot: its last send, and the start of its ramp-up."""
    assert slot.granted and slot.at is not None
    with connection.cursor() as cursor:
        cursor.execute(
            _stamp_sql(connection.vendor),
            [
                connection.ops.adapt_datetimefield_value(slot.at),
                connection.ops.adapt_datefield_value(slot.day),
                mailbox_id,
            ],
        )


def _local_midnight(now: datetime, tz: str) -> datetime:
    local = now.astimezone(zone(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def _as_date(value) -> date | None:
    # SQLite hands back raw strings from a plain cursor.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_datetime(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _names(model, *fields: str) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), [quote(model._meta.get_field(f).column) for f in fields]


@functools.cache
def _lock_sql(vendor: str) -> str:
    table, columns = _names(
        Mailbox,
        "status",
        "daily_cap",
        "ramp_start",
        "ramp_step",
        "ramp_started_on",
        "min_gap_seconds",
        "timezone",
        "last_sent_at",
        "id",
    )
    *selected, pk = columns
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return f"SELECT {', '.join(selected)} FROM {table} WHERE {pk} = %s{lock}"


@functools.cache
def _count_sql(vendor: str) -> str:
    table, (mailbox, started, pk) = _names(OutboundMessage, "mailbox", "sending_started_at", "id")
    return f"SELECT COUNT(*) FROM {table} WHERE {mailbox} = %s AND {started} >= %s AND {pk} <> %s"


@functools.cache
def _stamp_sql(vendor: str) -> str:
    table, (last, ramp, pk) = _names(Mailbox, "last_sent_at", "ramp_started_on", "id")
    return f"UPDATE {table} SET {last} = %s, {ramp} = COALESCE({ramp}, %s) WHERE {pk} = %s"
