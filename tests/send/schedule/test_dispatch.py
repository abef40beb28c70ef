"""The dispatcher against the database: enrolment, claiming, threading, stops and limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coldflow.contacts.models import Lead
from coldflow.send.models import Enrollment, Mailbox, OutboundMessage, Suppression
from coldflow.send.schedule.dispatch import (
    advance_enrollment,
    dispatch_tick,
    enrol,
    stop_for_outcome,
)
from tests.send.schedule.factories import add_lead, make_campaign

pytestmark = pytest.mark.django_db

# Tuesday 4 March 2025, 10:00 in Berlin.
TUESDAY_10 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


class Recorder:
    """Stands in for the queue: remembers what would have been enqueued."""

    def __init__(self):
        self.pks: list[int] = []

    def __call__(self, pk: int) -> None:
        self.pks.append(pk)


def tick(now, django_capture_on_commit_callbacks, **kwargs):
    recorder = Recorder()
    with django_capture_on_commit_callbacks(execute=True):
        result = dispatch_tick(now, enqueue=recorder, **kwargs)
    return result, recorder.pks


def deliver(message: OutboundMessage, at: datetime) -> None:
    """What the delivery side records after the server accepted a message."""
    OutboundMessage.objects.filter(pk=message.pk).update(
        state="sent", sent_at=at, sending_started_at=at
    )


def test_enrolment_takes_ready_leads_with_an_approved_first_draft_once():
    campaign = make_campaign(leads=2)
    add_lead(campaign, 7, drafts=(1,))  # no first draft yet
    assert enrol(campaign, TUESDAY_10) == 2
    assert enrol(campaign, TUESDAY_10) == 0
    assert Enrollment.objects.count() == 2
    assert set(Lead.objects.values_list("status", flat=True)) == {"enrolled", "ready"}
    assert all(e.next_action_at == TUESDAY_10 for e in Enrollment.objects.all())


def test_a_tick_claims_due_first_emails_and_enqueues_them(django_capture_on_commit_callbacks):
    campaign = make_campaign(leads=3, mailboxes=2)
    result, enqueued = tick(TUESDAY_10, django_capture_on_commit_callbacks)
    assert result.enrolled == 3
    queued = OutboundMessage.objects.filter(state="queued")
    assert sorted(enqueued) == sorted(queued.values_list("pk", flat=True))
    assert queued.count() == 3
    mailboxes = {m.pk: m.email for m in Mailbox.objects.all()}
    for message in queued:
        assert message.step.position == 0
        assert message.scheduled_at == TUESDAY_10
        assert message.from_address == mailboxes[message.mailbox_id]
        assert message.enrollment.mailbox_id == message.mailbox_id
        assert message.enrollment.next_action_at is None
    # Rotation spreads the new leads over both mailboxes.
    assert len({m.mailbox_id for m in queued}) == 2
    assert campaign.enrollments.count() == 3

    again, enqueued_again = tick(TUESDAY_10, django_capture_on_commit_callbacks)
    assert again.claimed == [] and enqueued_again == []


def test_follow_ups_wait_business_days_then_thread_under_the_first_email_from_its_mailbox(
    django_capture_on_commit_callbacks,
):
    make_campaign(leads=1, mailboxes=3, delays=(0, 2, 1))
    tick(TUESDAY_10, django_capture_on_commit_callbacks)
    first = OutboundMessage.objects.get(state="queued")
    deliver(first, TUESDAY_10 + timedelta(minutes=1))

    result, _ = tick(TUESDAY_10 + timedelta(minutes=2), django_capture_on_commit_callbacks)
    assert result.advanced == 1 and result.claimed == []
    enrollment = Enrollment.objects.get()
    assert enrollment.next_step == 1
    # Two business days after Tuesday 10:01 Berlin: Thursday 10:01.
    assert enrollment.next_action_at == TUESDAY_10 + timedelta(days=2, minutes=1)

    early, _ = tick(TUESDAY_10 + timedelta(days=1), django_capture_on_commit_callbacks)
    assert early.claimed == []
    due, enqueued = tick(
        TUESDAY_10 + timedelta(days=2, minutes=2), django_capture_on_commit_callbacks
    )
    follow_up = OutboundMessage.objects.get(pk__in=enqueued)
    assert follow_up.step.position == 1
    assert follow_up.mailbox_id == first.mailbox_id
    assert follow_up.in_reply_to == first.message_id
    assert follow_up.references == first.message_id
    assert follow_up.subject == f"Re: {first.subject}"

    deliver(follow_up, TUESDAY_10 + timedelta(days=2, minutes=3))
    tick(TUESDAY_10 + timedelta(days=2, minutes=4), django_capture_on_commit_callbacks)
    # Thursday + 1 business day = Friday.
    later, enqueued = tick(
        TUESDAY_10 + timedelta(days=3, minutes=5), django_capture_on_commit_callbacks
    )
    third = OutboundMessage.objects.get(pk__in=enqueued)
    assert third.references == f"{first.message_id} {follow_up.message_id}"
    assert third.in_reply_to == follow_up.message_id
    assert third.subject == f"Re: {first.subject}"

    deliver(third, TUESDAY_10 + timedelta(days=3, minutes=6))
    final, _ = tick(TUESDAY_10 + timedelta(days=3, minutes=7), django_capture_on_commit_callbacks)
    assert final.completed == 1
    assert Enrollment.objects.get().status == "completed"


def test_advance_enrollment_is_the_same_rule_and_harmless_twice(django_capture_on_commit_callbacks):
    make_campaign(leads=1, delays=(0, 3))
    tick(TUESDAY_10, django_capture_on_commit_callbacks)
    enrollment = Enrollment.objects.get()
    sent_at = TUESDAY_10 + timedelta(days=3)  # Friday
    assert advance_enrollment(enrollment, sent_at) is True
    assert advance_enrollment(enrollment, sent_at) is False
    # Three business days after Friday: Wednesday.
    assert Enrollment.objects.get().next_action_at == sent_at + timedelta(days=5)


def test_nothing_goes_out_outside_the_recipients_window(django_capture_on_commit_callbacks):
    # 10:00 in Berlin is 04:00 in New York: before the window opens there.
    make_campaign(leads=2, country="US", city="New York")
    result, _ = tick(TUESDAY_10, django_capture_on_commit_callbacks)
    assert result.enrolled == 2 and result.claimed == []
    later, _ = tick(TUESDAY_10 + timedelta(hours=5), django_capture_on_commit_callbacks)
    assert len(later.claimed) == 2
    assert later.claimed[0].recipient_tz == "America/New_York"


def test_holidays_and_weekends_send_nothing(django_capture_on_commit_callbacks):
    make_campaign(leads=1, holidays=["2025-03-04"])
    assert tick(TUESDAY_10, django_capture_on_commit_callbacks)[0].claimed == []
    saturday = TUESDAY_10 + timedelta(days=4)
    assert tick(saturday, django_capture_on_commit_callbacks)[0].claimed == []
    wednesday = TUESDAY_10 + timedelta(days=1)
    assert len(tick(wednesday, django_capture_on_commit_callbacks)[0].claimed) == 1


def test_suppressed_addresses_and_domains_are_never_claimed_and_their_sequences_stop(
    django_capture_on_commit_callbacks,
):
    campaign = make_campaign(leads=3)
    leads = list(Lead.objects.order_by("pk"))
    Suppression.objects.create(
        workspace=campaign.workspace,
        kind="address",
        value=leads[0].email.address.upper(),
        reason="unsubscribe",
    )
    Suppression.objects.create(
        workspace=campaign.workspace, kind="domain", value=leads[1].email.domain, reason="manual"
    )
    result, _ = tick(TUESDAY_10, django_capture_on_commit_callbacks)
    assert [c.lead_id for c in result.claimed] == [leads[2].pk]
    stopped = Enrollment.objects.filter(status="stopped")
    assert set(stopped.values_list("lead_id", flat=True)) == {leads[0].pk, leads[1].pk}
    assert set(stopped.values_list("stop_reason", flat=True)) == {"suppressed"}


def test_a_reply_stops_the_sequence_and_interest_stops_the_colleagues(
    django_capture_on_commit_callbacks,
):
    make_campaign(leads=3, domains=1, per_domain_daily_cap=10)
    tick(TUESDAY_10, django_capture_on_commit_callbacks)
    first, second, third = Lead.objects.order_by("pk")
    assert stop_for_outcome(first, "auto_reply") == 0
    assert stop_for_outcome(first, "interested") == 3
    reasons = dict(Enrollment.objects.values_list("lead_id", "stop_reason"))
    assert reasons == {
        first.pk: "interested",
        second.pk: "colleague_interested",
        third.pk: "colleague_interested",
    }


def test_without_stop_on_interested_only_the_interested_lead_stops(
    django_capture_on_commit_callbacks,
):
    make_campaign(leads=2, domains=1, per_domain_daily_cap=10, stop_on_interested=False)
    tick(TUESDAY_10, django_capture_on_commit_callbacks)
    first, second = Lead.objects.order_by("pk")
    assert stop_for_outcome(first, "interested") == 1
    assert Enrollment.objects.get(lead=second).status == "active"


def test_a_lead_that_replied_is_not_mailed_even_before_the_listener_stopped_it(
    django_capture_on_commit_callbacks,
):
    make_campaign(leads=1, delays=(0, 0))
    tick(TUESDAY_10, django_capture_on_commit_callbacks)
    deliver(OutboundMessage.objects.get(state="queued"), TUESDAY_10)
    Lead.objects.update(status="replied")
    result, enqueued = tick(TUESDAY_10 + timedelta(minutes=5), django_capture_on_commit_callbacks)
    assert enqueued == []
    assert Enrollment.objects.get().stop_reason == "replied"


def test_daily_caps_and_new_leads_per_day_hold_across_ticks(django_capture_on_commit_callbacks):
    make_campaign(leads=12, mailboxes=2, daily_cap=4, new_leads_per_day=5, per_domain_daily_cap=9)
    claimed = []
    for minute in range(0, 120, 10):
        result, _ = tick(TUESDAY_10 + timedelta(minutes=minute), django_capture_on_commit_callbacks)
        claimed += result.claimed
    assert len(claimed) == 5  # new leads per day
    next_day = [
        c
        for minute in range(0, 120, 10)
        for c in tick(
            TUESDAY_10 + timedelta(days=1, minutes=minute), django_capture_on_commit_callbacks
        )[0].claimed
    ]
    assert len(next_day) == 5
    per_mailbox = {}
    for c in claimed:
        per_mailbox[c.mailbox_id] = per_mailbox.get(c.mailbox_id, 0) + 1
    assert max(per_mailbox.values()) <= 4


def test_the_per_domain_cap_and_the_gap_between_sends_hold(django_capture_on_commit_callbacks):
    make_campaign(leads=6, domains=1, per_domain_daily_cap=2, min_gap=300, max_gap=300)
    sends = []
    for minute in range(0, 60):
        result, _ = tick(TUESDAY_10 + timedelta(minutes=minute), django_capture_on_commit_callbacks)
        sends += [c.send_at for c in result.claimed]
    assert len(sends) == 2
    assert sends[1] - sends[0] >= timedelta(seconds=300)


def test_paused_campaigns_and_paused_mailboxes_send_nothing(django_capture_on_commit_callbacks):
    campaign = make_campaign(leads=2)
    Mailbox.objects.update(status="paused_by_system")
    assert tick(TUESDAY_10, django_capture_on_commit_callbacks)[0].claimed == []
    Mailbox.objects.update(status="active")
    campaign.status = "paused"
    campaign.save()
    assert tick(TUESDAY_10, django_capture_on_commit_callbacks)[0].claimed == []
    campaign.status = "running"
    campaign.save()
    assert len(tick(TUESDAY_10, django_capture_on_commit_callbacks)[0].claimed) == 2


def test_a_message_rejected_meanwhile_is_not_claimed(django_capture_on_commit_callbacks):
    campaign = make_campaign(leads=1)
    enrol(campaign, TUESDAY_10)
    OutboundMessage.objects.filter(step__position=0).update(state="rejected")
    result, enqueued = tick(TUESDAY_10, django_capture_on_commit_callbacks)
    assert result.claimed == [] and enqueued == []
    assert Enrollment.objects.get().next_action_at == TUESDAY_10


def test_a_queued_message_whose_job_was_lost_is_enqueued_again(
    django_capture_on_commit_callbacks,
):
    # A worker killed right after taking a message's job from the queue leaves the message
    # queued with no job: later ticks hand it to the workers again, once it is overdue.
    make_campaign(leads=2)
    _, enqueued = tick(TUESDAY_10, django_capture_on_commit_callbacks)
    lost, delivered = enqueued
    deliver(OutboundMessage.objects.get(pk=delivered), TUESDAY_10)
    wait = timedelta(minutes=3)

    on_time, again = tick(TUESDAY_10 + wait, django_capture_on_commit_callbacks, requeue_after=wait)
    assert on_time.requeued == 0 and again == []
    late, again = tick(
        TUESDAY_10 + wait + timedelta(seconds=1),
        django_capture_on_commit_callbacks,
        requeue_after=wait,
    )
    assert late.requeued == 1 and again == [lost]
    assert OutboundMessage.objects.get(pk=lost).state == "queued"


def test_the_wait_for_a_lost_job_is_the_configured_one(
    django_capture_on_commit_callbacks, monkeypatch
):
    make_campaign(leads=1)
    _, (lost,) = tick(TUESDAY_10, django_capture_on_commit_callbacks)
    monkeypatch.setenv("SEND_REQUEUE_MINUTES", "2")
    early, _ = tick(TUESDAY_10 + timedelta(minutes=1), django_capture_on_commit_callbacks)
    late, again = tick(TUESDAY_10 + timedelta(minutes=3), django_capture_on_commit_callbacks)
    assert (early.requeued, late.requeued, again) == (0, 1, [lost])
