"""End to end against Debian's Postfix and Dovecot (tests/sandbox/mail/real_servers.sh): a
message to a user that does not exist makes Postfix send a real delivery report; the inbox poll
reads it over IMAP, marks a hard bounce and suppresses the address, and the dispatcher never
sends that lead's next step.

Runs when COLDFLOW_TEST_SUBMISSION and COLDFLOW_TEST_IMAP point at those servers; under CI
(CI=true) they must.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.listen.inbox import ListenSettings, poll_mailbox
from coldflow.listen.models import InboundMessage
from coldflow.research.models import Company
from coldflow.send.delivery import deliver_batch
from coldflow.send.models import CampaignMailbox, Enrollment, Mailbox, OutboundMessage, Suppression
from coldflow.send.schedule.dispatch import dispatch_tick
from coldflow.send.settings import SendSettings
from tests.listen.factory import read_inbox_from_now
from tests.sandbox.mail.harness import ImapAccount, external_imap, external_submission
from tests.send.schedule.factories import add_draft, make_campaign

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE_SECONDS = 60


@pytest.fixture
def servers():
    submission, imap = external_submission(), external_imap()
    if submission is None or imap is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run this against Postfix and Dovecot: source real_servers.sh")
        pytest.skip("COLDFLOW_TEST_SUBMISSION / COLDFLOW_TEST_IMAP not set")
    return submission, imap


def _lead(campaign, address: str) -> Lead:
    """A ready lead at `address` with an approved draft for every step."""
    domain = address.partition("@")[2]
    workspace = campaign.workspace
    company, _ = Company.objects.get_or_create(
        workspace=workspace, domain=domain, defaults={"country": "DE", "city": "Berlin"}
    )
    person = Person.objects.create(
        workspace=workspace, company=company, full_name=address, name_key=uuid.uuid4().hex
    )
    email = EmailAddress.objects.create(
        workspace=workspace, address=address, domain=domain, person=person, origin="found"
    )
    lead = Lead.objects.create(
        workspace=workspace,
        campaign=campaign,
        person=person,
        company=company,
        email=email,
        status="ready",
    )
    for step in campaign.sequence.steps.all():
        add_draft(lead, step)
    return lead


def _tuesday_10_berlin(after: datetime) -> datetime:
    """The first Tuesday 10:00 in Berlin (09:00 UTC in winter, 08:00 in summer: 08:30 UTC is
    inside the 9–17 window either way) on or after `after`."""
    day = after.astimezone(UTC).date() + timedelta(days=1)
    while day.isoweekday() != 2:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8, 30, tzinfo=UTC)


def _tick(now: datetime) -> tuple[list, list[int]]:
    enqueued: list[int] = []
    result = dispatch_tick(now, enqueue=enqueued.append)
    return result.claimed, enqueued


def _wait_for_report(imap: ImapAccount, message_id: str) -> None:
    """Until the sender's INBOX holds a delivery report quoting our Message-ID."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        with imap.client() as client:
            client.select_folder("INBOX", readonly=True)
            uids = client.search(["FROM", "MAILER-DAEMON"])
            bodies = client.fetch(uids, ["BODY.PEEK[]"]).values() if uids else ()
            if any(message_id.encode() in data[b"BODY[]"] for data in bodies):
                return
        assert time.monotonic() < deadline, f"no delivery report for {message_id}"
        time.sleep(0.5)


def test_a_postfix_delivery_report_for_an_unknown_user_suppresses_the_address_and_stops_the_sequence(
    servers,
):
    submission, imap = servers
    domain = submission.address.partition("@")[2]
    unknown = f"nosuchuser@{domain}"
    campaign = make_campaign(name=f"Real servers {uuid.uuid4().hex[:6]}", leads=0, mailboxes=0)
    mailbox = Mailbox.objects.create(
        workspace=campaign.workspace,
        email=submission.address,
        display_name="Sam Seller",
        smtp_host=submission.host,
        smtp_port=submission.port,
        smtp_security="plain",
        smtp_username=submission.username,
        smtp_password=submission.password,
        imap_host=imap.host,
        imap_port=imap.port,
        imap_security="plain",
        imap_username=imap.username,
        imap_password=imap.password,
        append_to_sent=False,
        timezone="Europe/Berlin",
        # No ramp-up and no gap: both first emails go out in one tick.
        daily_cap=30,
        ramp_start=30,
        ramp_step=0,
        min_gap_seconds=0,
        max_gap_seconds=0,
    )
    CampaignMailbox.objects.create(campaign=campaign, mailbox=mailbox)
    with imap.client() as client:
        read_inbox_from_now(mailbox, client)
    bounced_lead = _lead(campaign, unknown)
    # Sent at the same moment to an address that answers nothing: its next step is due when
    # the bounced lead's would be, so the tick below shows it would send follow-ups.
    control_lead = _lead(campaign, f"control-{uuid.uuid4().hex[:8]}@example.test")

    # The first emails, claimed by the dispatcher at a time inside the campaign's window.
    claimed, _ = _tick(_tuesday_10_berlin(timezone.now() - timedelta(days=8)))
    first = {c.lead_id: c.message_pk for c in claimed}
    assert set(first) == {bounced_lead.pk, control_lead.pk}
    settings = SendSettings(secret_key="coldflow-real-servers", smtp_timeout=10.0)
    results = deliver_batch([first[bounced_lead.pk]], settings=settings)
    assert [r.outcome for r in results] == ["sent"], results
    sent = OutboundMessage.objects.get(pk=first[bounced_lead.pk])
    OutboundMessage.objects.filter(pk=first[control_lead.pk]).update(
        state="sent", sent_at=sent.sent_at, sending_started_at=sent.sent_at
    )

    _wait_for_report(imap, sent.message_id)
    report = poll_mailbox(mailbox, ListenSettings(timeout=10.0))
    assert not report.error and report.failed == 0, report
    assert report.new >= 1 and report.kinds["bounce"] >= 1

    inbound = InboundMessage.objects.get(mailbox=mailbox, matched_message=sent)
    assert inbound.kind == "bounce"
    assert inbound.lead_id == bounced_lead.pk
    recipients = inbound.classification["recipients"]
    assert [(r["address"], r["status"], r["hard"]) for r in recipients] == [
        (unknown, "5.1.1", True)
    ]
    assert Suppression.objects.filter(
        workspace=campaign.workspace, value=unknown, reason="hard_bounce"
    ).exists()
    enrollment = Enrollment.objects.get(lead=bounced_lead)
    assert (enrollment.status, enrollment.stop_reason) == ("stopped", "hard_bounce")
    assert Lead.objects.get(pk=bounced_lead.pk).status == "bounced"

    # A week later the control lead's follow-up goes out; the bounced lead's never does.
    for week in (1, 2):
        claimed, enqueued = _tick(_tuesday_10_berlin(sent.sent_at + timedelta(days=7 * week)))
        assert bounced_lead.pk not in {c.lead_id for c in claimed}
        if week == 1:
            assert [(c.lead_id, c.step) for c in claimed] == [(control_lead.pk, 1)]
            assert enqueued == [claimed[0].message_pk]
    assert not OutboundMessage.objects.filter(
        lead=bounced_lead, step__position=1, state__in=("queued", "sending", "sent", "unknown")
    ).exists()
    assert Enrollment.objects.get(lead=bounced_lead).stop_reason == "hard_bounce"
