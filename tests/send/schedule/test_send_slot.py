"""The limiter delivery asks in the transaction that claims a message."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction

from coldflow.send.models import Mailbox, OutboundMessage
from coldflow.send.schedule.limits import (
    SendSlot,
    judge_slot,
    lock_send_slot,
    stamp_send_slot,
)
from coldflow.send.schedule.planner import MailboxState
from tests.send.schedule.factories import make_campaign

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def claimed_by(mailbox: Mailbox) -> None:
    """What the dispatcher's claim does: the message is to go from this mailbox."""
    OutboundMessage.objects.update(mailbox=mailbox, state="queued")


def take(mailbox: Mailbox, message: OutboundMessage, now: datetime) -> SendSlot:
    """What delivery's claim does with a slot: judge it, and when granted, stamp both rows."""
    with transaction.atomic():
        slot = lock_send_slot(mailbox.pk, message.pk, now)
        if slot.granted:
            OutboundMessage.objects.filter(pk=message.pk).update(sending_started_at=slot.at)
            stamp_send_slot(mailbox.pk, slot)
    return slot


def test_slots_keep_the_minimum_gap_and_the_days_cap():
    make_campaign(leads=4, daily_cap=2, min_gap=300, max_gap=600)
    mailbox = Mailbox.objects.get()
    claimed_by(mailbox)
    first, second, third, _ = OutboundMessage.objects.filter(step__position=0).order_by("pk")

    assert take(mailbox, first, NOW).granted
    assert OutboundMessage.objects.get(pk=first.pk).sending_started_at == NOW
    assert Mailbox.objects.get(pk=mailbox.pk).last_sent_at == NOW
    too_soon = take(mailbox, second, NOW + timedelta(seconds=60))
    assert (too_soon.granted, too_soon.reason) == (False, "gap")
    assert too_soon.retry_at == NOW + timedelta(seconds=300)
    assert take(mailbox, second, NOW + timedelta(seconds=300)).granted
    full = take(mailbox, third, NOW + timedelta(seconds=900))
    assert (full.granted, full.reason) == (False, "daily_cap")
    # The mailbox's day is Berlin's: the next slot opens at midnight there.
    assert full.retry_at == datetime(2025, 3, 4, 23, 0, tzinfo=UTC)
    assert take(mailbox, third, full.retry_at).granted


def test_asking_again_for_the_same_message_does_not_use_a_second_slot():
    make_campaign(leads=1, daily_cap=1)
    mailbox = Mailbox.objects.get()
    claimed_by(mailbox)
    message = OutboundMessage.objects.get(step__position=0)
    assert take(mailbox, message, NOW).granted
    assert take(mailbox, message, NOW + timedelta(minutes=5)).granted


def test_a_paused_mailbox_gets_no_slot():
    make_campaign(leads=1)
    Mailbox.objects.update(status="paused_by_user")
    mailbox = Mailbox.objects.get()
    message = OutboundMessage.objects.get(step__position=0)
    slot = take(mailbox, message, NOW)
    assert (slot.granted, slot.reason, slot.retry_at) == (False, "paused", None)


def test_a_new_mailbox_starts_its_ramp_up_with_its_first_slot():
    make_campaign(leads=3, daily_cap=10)
    Mailbox.objects.update(ramp_start=2, ramp_step=3, ramp_started_on=None)
    mailbox = Mailbox.objects.get()
    claimed_by(mailbox)
    first, second, third = OutboundMessage.objects.filter(step__position=0).order_by("pk")

    assert take(mailbox, first, NOW).granted
    assert Mailbox.objects.get(pk=mailbox.pk).ramp_started_on == date(2025, 3, 4)
    assert take(mailbox, second, NOW + timedelta(hours=1)).granted
    assert take(mailbox, third, NOW + timedelta(hours=2)).reason == "daily_cap"
    # The next day allows 2 + 3.
    assert take(mailbox, third, NOW + timedelta(days=1)).granted


def _state(**fields) -> MailboxState:
    values = {
        "id": 1,
        "daily_cap": 3,
        "ramp_start": 3,
        "ramp_step": 0,
        "ramp_started_on": date(2025, 1, 1),
        "min_gap_seconds": 60,
        "max_gap_seconds": 60,
        "timezone": "America/New_York",
        "active": True,
    }
    values.update(fields)
    return MailboxState(**values)


def test_the_rule_counts_the_day_in_the_mailboxs_zone_and_the_gap_from_the_last_start():
    assert judge_slot(_state(sent_today=2), NOW).granted
    capped = judge_slot(_state(sent_today=3), NOW)
    # 09:00 UTC is 04:00 in New York: the day there ends at 05:00 UTC the next day.
    assert (capped.reason, capped.retry_at) == ("daily_cap", datetime(2025, 3, 5, 5, tzinfo=UTC))
    waiting = judge_slot(_state(last_sent_at=NOW - timedelta(seconds=59)), NOW)
    assert (waiting.reason, waiting.retry_at) == ("gap", NOW + timedelta(seconds=1))
    assert judge_slot(_state(last_sent_at=NOW - timedelta(seconds=60)), NOW).granted
    assert judge_slot(_state(active=False), NOW).reason == "paused"
