"""What inbound mail does to leads, sequences, suppressions and campaigns: each kind, once."""

from __future__ import annotations

import email.utils
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from coldflow.analytics.models import Event
from coldflow.campaigns.models import Campaign
from coldflow.contacts.models import Lead
from coldflow.listen.inbox import DatabaseLookup, ListenSettings, apply_consequences, store_message
from coldflow.listen.models import InboundMessage
from coldflow.listen.reader import FetchedMessage
from coldflow.send.models import Enrollment, Suppression
from tests.listen.factory import Factory, delivery_report, reply_to

pytestmark = pytest.mark.django_db
_uids = itertools.count(1)
DEFAULTS = ListenSettings()


@pytest.fixture
def world() -> Factory:
    return Factory()


def receive(world: Factory, raw: bytes, settings: ListenSettings = DEFAULTS):
    """Store and act, the way a poll does; returns (stored message, event kinds written)."""
    fetched = FetchedMessage("INBOX", 9, next(_uids), len(raw), raw)
    lookup = DatabaseLookup(world.mailbox)
    inbound, reading = store_message(
        world.mailbox, fetched, lookup, frozenset({world.mailbox.email}), settings
    )
    kinds = apply_consequences(inbound, reading, settings) if inbound else []
    return inbound, kinds


def fresh(row):
    row.refresh_from_db()
    return row


def test_an_interested_reply_stops_the_sequence_and_marks_the_lead_interested(world):
    anna = world.sent("anna@acme.test")
    inbound, kinds = receive(world, reply_to(anna.message, "Sounds great, can we talk Tuesday?"))
    assert inbound.intent == "interested"
    assert fresh(anna.enrollment).status == "stopped"
    assert anna.enrollment.stop_reason == "replied" and anna.enrollment.next_action_at is None
    assert fresh(anna.lead).status == "interested"
    assert {"reply.received", "enrollment.stopped"} <= set(kinds)
    assert not Suppression.objects.exists()
    event = Event.objects.get(kind="reply.received")
    assert (event.lead_id, event.message_id, event.data["intent"]) == (
        anna.lead.pk,
        anna.message.pk,
        "interested",
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("Thanks, but we're not interested.", "not_interested"),
        ("What does it cost per month?", "replied"),
        ("Not a priority at the moment. Feel free to reach out again in a few months.", "replied"),
    ],
)
def test_the_lead_status_follows_the_reply_intent_and_the_sequence_always_stops(
    world, body, status
):
    anna = world.sent("anna@acme.test")
    receive(world, reply_to(anna.message, body))
    assert fresh(anna.lead).status == status
    assert fresh(anna.enrollment).status == "stopped"


def test_consequences_are_applied_exactly_once(world):
    anna = world.sent("anna@acme.test")
    raw = reply_to(anna.message, "Please remove me from your list.")
    inbound, kinds = receive(world, raw)
    assert "lead.unsubscribed" in kinds
    events = Event.objects.count()
    assert apply_consequences(inbound) == []
    # The same message read again (another folder, a renumbered one) is not stored again.
    again, kinds_again = receive(world, raw)
    assert (again, kinds_again) == (None, [])
    assert Event.objects.count() == events
    assert InboundMessage.objects.get().consequences_applied_at is not None


def test_a_message_stored_but_not_yet_acted_on_is_acted_on_when_seen_again(world):
    anna = world.sent("anna@acme.test")
    raw = reply_to(anna.message, "Interested, call me.")
    fetched = FetchedMessage("INBOX", 9, 500, len(raw), raw)
    lookup = DatabaseLookup(world.mailbox)
    store_message(world.mailbox, fetched, lookup, frozenset(), ListenSettings())
    # (the worker died here)
    inbound, reading = store_message(world.mailbox, fetched, lookup, frozenset(), ListenSettings())
    assert "reply.received" in apply_consequences(inbound, reading)
    assert fresh(anna.enrollment).status == "stopped"


def test_a_referral_creates_the_named_person_as_a_new_lead(world):
    anna = world.sent("anna@acme.test")
    body = (
        "I'm not the right person for this. Please get in touch with Dora Meyer (dora@acme.test)."
    )
    inbound, kinds = receive(world, reply_to(anna.message, body))
    assert inbound.intent == "referral"
    assert "lead.created" in kinds
    referred = Lead.objects.exclude(pk=anna.lead.pk).get()
    assert referred.person.full_name == "Dora Meyer"
    assert referred.email.address == "dora@acme.test" and referred.email.origin == "referral"
    assert (referred.campaign, referred.company, referred.status) == (
        anna.lead.campaign,
        anna.lead.company,
        "new",
    )


def _out_of_office(sent, text: str) -> bytes:
    message = reply_to(sent, text, subject=f"Out of Office: Re: {sent.subject}")
    return message.replace(b"\nFrom:", b"\nAuto-Submitted: auto-replied\nFrom:", 1)


def test_an_out_of_office_postpones_the_next_step_until_after_the_return_date(world):
    anna = world.sent("anna@acme.test")
    back = (timezone.now() + timedelta(days=20)).date()
    text = f"I am out of the office until {back:%B} {back.day}, {back.year} with limited access."
    inbound, kinds = receive(world, _out_of_office(anna.message, text))
    assert inbound.kind == "auto_reply" and inbound.return_date == back
    enrollment = fresh(anna.enrollment)
    assert enrollment.status == "active"
    assert enrollment.next_action_at == datetime.combine(
        back + timedelta(days=1), datetime.min.time(), tzinfo=UTC
    )
    assert fresh(anna.lead).status == "contacted"
    assert not Suppression.objects.exists()
    assert "enrollment.postponed" in kinds


def test_an_out_of_office_without_a_date_postpones_by_the_configured_days(world):
    anna = world.sent("anna@acme.test")
    before = timezone.now()
    receive(
        world,
        _out_of_office(anna.message, "I am out of the office with limited access to email."),
        ListenSettings(auto_reply_postpone_days=9),
    )
    postponed = fresh(anna.enrollment).next_action_at
    assert before + timedelta(days=9) <= postponed <= timezone.now() + timedelta(days=9)


def test_a_hard_bounce_suppresses_the_address_stops_the_sequence_and_marks_the_lead(world):
    anna = world.sent("anna@acme.test")
    inbound, kinds = receive(world, delivery_report(anna.message))
    assert inbound.kind == "bounce"
    suppression = Suppression.objects.get()
    assert (suppression.value, suppression.reason) == ("anna@acme.test", "hard_bounce")
    assert fresh(anna.enrollment).stop_reason == "hard_bounce"
    assert fresh(anna.lead).status == "bounced"
    assert "message.bounced" in kinds


def _soft_bounce(sent) -> bytes:
    return delivery_report(
        sent, status="4.2.2", diagnostic="452 4.2.2 <{to}>: Mailbox full, quota exceeded"
    )


def test_soft_bounces_are_noted_without_suppression_until_the_limit_stops_the_sequence(world):
    anna = world.sent("anna@acme.test")
    settings = ListenSettings(soft_bounce_limit=2)
    _, kinds = receive(world, _soft_bounce(anna.message), settings)
    assert "message.soft_bounced" in kinds
    assert fresh(anna.enrollment).status == "active"
    receive(world, _soft_bounce(anna.message), settings)
    assert fresh(anna.enrollment).stop_reason == "soft_bounce_limit"
    assert not Suppression.objects.exists()
    assert fresh(anna.lead).status == "contacted"


def test_a_policy_refusal_leaves_the_lead_alone(world):
    anna = world.sent("anna@acme.test")
    raw = delivery_report(
        anna.message,
        status="5.7.1",
        diagnostic="554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    )
    _, kinds = receive(world, raw)
    assert "message.blocked" in kinds
    assert not Suppression.objects.exists()
    assert fresh(anna.enrollment).status == "active"
    assert fresh(anna.lead).status == "contacted"


def _complaint(sent) -> bytes:
    boundary = "arf-boundary"
    return (
        "From: feedback@mailbox-provider.test\r\nTo: sam@sender.test\r\n"
        "Subject: Abuse report\r\n"
        f"Message-ID: {email.utils.make_msgid(domain='mailbox-provider.test')}\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=feedback-report; boundary="{boundary}"\r\n'
        f"\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\n"
        "This is an email abuse report for an email message received.\r\n"
        f"\r\n--{boundary}\r\nContent-Type: message/feedback-report\r\n\r\n"
        "Feedback-Type: abuse\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n"
        f"Original-Rcpt-To: {sent.to_address}\r\n"
        f"\r\n--{boundary}\r\nContent-Type: message/rfc822\r\n\r\n"
        f"From: sam@sender.test\r\nTo: {sent.to_address}\r\nSubject: {sent.subject}\r\n"
        f"Message-ID: {sent.message_id}\r\n\r\nHello\r\n"
        f"\r\n--{boundary}--\r\n"
    ).encode()


def test_a_complaint_suppresses_the_address_and_pauses_the_campaign_with_the_reason(world):
    anna = world.sent("anna@acme.test")
    inbound, kinds = receive(world, _complaint(anna.message))
    assert inbound.kind == "complaint" and inbound.match_method == "dsn_original"
    assert Suppression.objects.get().reason == "complaint"
    campaign = Campaign.objects.get(pk=world.campaign.pk)
    assert campaign.status == "paused"
    assert "anna@acme.test reported our message as spam" in campaign.status_reason
    assert fresh(anna.enrollment).stop_reason == "complaint"
    assert {"message.complained", "campaign.paused"} <= set(kinds)


def test_an_unsubscribe_request_suppresses_and_stops(world):
    anna = world.sent("anna@acme.test")
    receive(world, reply_to(anna.message, "Bitte aus dem Verteiler nehmen."))
    assert Suppression.objects.get().reason == "unsubscribe"
    assert fresh(anna.enrollment).stop_reason == "unsubscribed"
    assert fresh(anna.lead).status == "unsubscribed"


def test_an_unmatched_unsubscribe_still_suppresses_the_sender(world):
    receive(
        world,
        reply_to(None, "Please remove me from your list.", sender="eve@else.test", subject="Hi"),
    )
    assert Suppression.objects.get().value == "eve@else.test"
    assert Enrollment.objects.count() == 0


def test_a_later_plain_reply_does_not_undo_a_known_intent(world):
    anna = world.sent("anna@acme.test")
    receive(world, reply_to(anna.message, "Sounds great, can we talk Tuesday?"))
    receive(world, reply_to(anna.message, "Which time zone are you in?"))
    assert fresh(anna.lead).status == "interested"


def test_hard_bounces_read_from_reports_count_toward_the_auto_pause_like_refusals_at_send_time(
    world,
):
    from coldflow.send.models import Mailbox, OutboundMessage

    leads = [world.sent(f"gone{i}@acme.test") for i in range(3)]
    OutboundMessage.objects.update(sending_started_at=timezone.now() - timedelta(days=1))
    for sent in leads:
        receive(world, delivery_report(sent.message))
    bounced = Event.objects.filter(kind="message.bounced", data__hard=True)
    assert bounced.count() == 3
    assert {e.data["stage"] for e in bounced} == {"report"}
    assert {e.message_id for e in bounced} == {s.message.pk for s in leads}
    mailbox = Mailbox.objects.get(pk=world.mailbox.pk)
    assert mailbox.status == "paused_by_system" and "hard-bounce rate" in mailbox.status_reason
    assert Campaign.objects.get(pk=world.campaign.pk).status == "paused"
    assert Event.objects.filter(kind="suppression.added", data__reason="hard_bounce").count() == 3


def test_a_complaint_read_from_the_inbox_pauses_the_mailbox_as_the_send_stage_does(world):
    from coldflow.send.models import Mailbox

    anna = world.sent("anna@acme.test")
    receive(world, _complaint(anna.message))
    mailbox = Mailbox.objects.get(pk=world.mailbox.pk)
    assert mailbox.status == "paused_by_system"
    assert mailbox.status_reason.startswith("anna@acme.test reported our message as spam")
    assert fresh(anna.lead).status == "unsubscribed"
    event = Event.objects.get(kind="message.complained")
    assert event.message_id == anna.message.pk and "inbound_id" in event.data


def test_an_unsubscribed_lead_stays_unsubscribed_whatever_comes_later(world):
    anna = world.sent("anna@acme.test")
    receive(world, reply_to(anna.message, "Please remove me from your list."))
    receive(world, reply_to(anna.message, "Sounds great, can we talk Tuesday?"))
    receive(world, delivery_report(anna.message))
    assert fresh(anna.lead).status == "unsubscribed"
