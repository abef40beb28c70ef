"""The limiter the delivery side asks right before each SMTP transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coldflow.send.models import Mailbox, OutboundMessage
from coldflow.send.schedule.limits import acquire_send_slot
from tests.send.schedule.factories import make_campaign

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def claimed_by(mailbox: Mailbox) -> None:
    """What the dispatcher's claim does: the message is to go from this mailbox."""
    OutboundMessage.objects.update(mailbox=mailbox, state="queued")


def test_slots_keep_the_minimum_gap_and_the_days_cap():
    make_campaign(leads=4, daily_cap=2, min_gap=300, max_gap=600)
    mailbox = Mailbox.objects.get()
    claimed_by(mailbox)
    first, second, third, _ = OutboundMessage.objects.filter(step__position=0).order_by("pk")

    assert acquire_send_slot(mailbox.pk, first.pk, NOW).granted
    assert OutboundMessage.objects.get(pk=first.pk).sending_started_at == NOW
    too_soon = acquire_send_slot(mailbox.pk, second.pk, NOW + timedelta(seconds=60))
    assert (too_soon.granted, too_soon.reason) == (False, "gap")
    assert too_soon.retry_at == NOW + timedelta(seconds=300)
    assert acquire_send_slot(mailbox.pk, second.pk, NOW + timedelta(seconds=300)).granted
    full = acquire_send_slot(mailbox.pk, third.pk, NOW + timedelta(seconds=900))
    assert (full.granted, full.reason) == (False, "daily_cap")
    # The mailbox's day is Berlin's: the next slot opens at midnight there.
    assert full.retry_at == datetime(2025, 3, 4, 23, 0, tzinfo=UTC)
    assert acquire_send_slot(mailbox.pk, third.pk, full.retry_at).granted


def test_asking_again_for_the_same_message_does_not_use_a_second_slot():
    make_campaign(leads=1, daily_cap=1)
    mailbox = Mailbox.objects.get()
    claimed_by(mailbox)
    message = OutboundMessage.objects.get(step__position=0)
    assert acquire_send_slot(mailbox.pk, message.pk, NOW).granted
    assert acquire_send_slot(mailbox.pk, message.pk, NOW + timedelta(minutes=5)).granted


def test_a_paused_mailbox_gets_no_slot():
    make_campaign(leads=1)
    Mailbox.objects.update(status="paused_by_user")
    mailbox = Mailbox.objects.get()
    message = OutboundMessage.objects.get(step__position=0)
    assert acquire_send_slot(mailbox.pk, message.pk, NOW).reason == "paused"
