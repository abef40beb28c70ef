"""Follow-ups land in the recipient's mailbox as one thread with the first email.

The dispatcher claims step 0, delivery sends it, two business days pass, the dispatcher claims
step 1 with the threading headers (In-Reply-To, References, `Re:` subject) and delivery sends
it; then the recipient's INBOX is read over IMAP. Against the sandbox (Sam writes to Tina, one
of the sandbox's own mailboxes, whose INBOX can be read) and against Debian's Postfix and
Dovecot (tests/sandbox/mail/real_servers.sh: Sam writes to himself), where Dovecot's
`THREAD REFERENCES` must also put both messages in one thread. The Postfix run is skipped when
COLDFLOW_TEST_SUBMISSION / COLDFLOW_TEST_IMAP are unset, except under CI, where it must run.
"""

from __future__ import annotations

import email
import email.policy
import uuid
from datetime import time as clock

import pytest
from django.utils import timezone

from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.research.models import Company
from coldflow.send.delivery import deliver_batch
from coldflow.send.models import CampaignMailbox, Enrollment, Mailbox, OutboundMessage
from coldflow.send.schedule.dispatch import advance_sent_enrollments, dispatch_tick
from coldflow.send.settings import SendSettings
from tests.send.routes import arrived_in_inbox
from tests.send.schedule.factories import add_draft, make_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def _lead(campaign, address: str) -> Lead:
    domain = address.partition("@")[2]
    workspace = campaign.workspace
    company, _ = Company.objects.get_or_create(
        workspace=workspace, domain=domain, defaults={"country": "DE", "city": "Berlin"}
    )
    person = Person.objects.create(
        workspace=workspace, company=company, full_name="Tina Buyer", name_key=uuid.uuid4().hex
    )
    email_row = EmailAddress.objects.create(
        workspace=workspace, address=address, domain=domain, person=person, origin="found"
    )
    return Lead.objects.create(
        workspace=workspace,
        campaign=campaign,
        person=person,
        company=company,
        email=email_row,
        status="ready",
    )


def _dispatch_and_deliver(settings: SendSettings) -> OutboundMessage:
    enqueued: list[int] = []
    result = dispatch_tick(enqueue=enqueued.append)
    assert len(result.claimed) == 1 and enqueued == [result.claimed[0].message_pk], result
    outcomes = deliver_batch(enqueued, settings=settings)
    assert [r.outcome for r in outcomes] == ["sent"], outcomes
    return OutboundMessage.objects.get(pk=enqueued[0])


def test_a_follow_up_lands_in_the_recipients_mailbox_in_the_thread_of_the_first_email(route):
    token = uuid.uuid4().hex[:8]
    campaign = make_campaign(
        name=f"Threads {token}",
        leads=0,
        mailboxes=0,
        delays=(0, 2),
        window_start=clock(0),
        window_end=clock(0),
        weekdays=[1, 2, 3, 4, 5, 6, 7],
    )
    host, port, username, password = route.submission
    mailbox = Mailbox.objects.create(
        workspace=campaign.workspace,
        email=route.sender,
        display_name="Sam Seller",
        smtp_host=host,
        smtp_port=port,
        smtp_security="plain",
        smtp_username=username,
        smtp_password=password,
        append_to_sent=False,
        daily_cap=30,
        ramp_start=30,
        ramp_step=0,
        min_gap_seconds=0,
        max_gap_seconds=0,
    )
    CampaignMailbox.objects.create(campaign=campaign, mailbox=mailbox)
    lead = _lead(campaign, route.recipient)
    first_draft, follow_up_draft = (add_draft(lead, step) for step in campaign.sequence.steps.all())
    OutboundMessage.objects.filter(pk=first_draft.pk).update(subject=f"Idea for Acme {token}")
    settings = SendSettings(secret_key="coldflow-threading-test", smtp_timeout=10.0)

    first = _dispatch_and_deliver(settings)
    assert first.pk == first_draft.pk
    # The next tick moves the sequence on: step 1 is due two business days after the send.
    advance_sent_enrollments()
    enrollment = Enrollment.objects.get(lead=lead)
    assert enrollment.next_step == 1 and enrollment.next_action_at > first.sent_at
    Enrollment.objects.filter(pk=enrollment.pk).update(next_action_at=timezone.now())
    follow_up = _dispatch_and_deliver(settings)
    assert follow_up.pk == follow_up_draft.pk

    # As stored: the follow-up names the first email.
    assert follow_up.in_reply_to == first.message_id
    assert follow_up.references == first.message_id
    assert follow_up.subject == f"Re: Idea for Acme {token}"
    assert follow_up.from_address == first.from_address == route.sender

    # As received.
    arrived = arrived_in_inbox(route.inbox, [first.message_id, follow_up.message_id])
    headers = {
        message_id: email.message_from_bytes(raw, policy=email.policy.default)
        for message_id, (_, raw) in arrived.items()
    }
    received_first, received_follow_up = headers[first.message_id], headers[follow_up.message_id]
    assert received_first["Subject"] == f"Idea for Acme {token}"
    assert "In-Reply-To" not in received_first
    assert received_follow_up["Subject"] == f"Re: Idea for Acme {token}"
    assert received_follow_up["In-Reply-To"].strip() == first.message_id
    assert received_follow_up["References"].split() == [first.message_id]
    assert received_follow_up["From"].addresses[0].addr_spec == route.sender

    if route.thread_extension:
        # The server's own threading puts both in one thread, the follow-up under the first.
        with route.inbox.client() as client:
            assert b"THREAD=REFERENCES" in client.capabilities()
            client.select_folder("INBOX", readonly=True)
            threads = client.thread("REFERENCES", ["SUBJECT", token])
        first_uid, follow_up_uid = arrived[first.message_id][0], arrived[follow_up.message_id][0]
        assert [_flatten(t) for t in threads] == [[first_uid, follow_up_uid]], threads


def _flatten(thread) -> list[int]:
    """An IMAP THREAD answer's nested tuples as the UIDs in thread order."""
    uids: list[int] = []
    for node in thread:
        uids.extend(_flatten(node) if isinstance(node, tuple) else [node])
    return uids
