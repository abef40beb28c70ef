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
import os
import time
import uuid
from dataclasses import dataclass
from datetime import time as clock

import pytest
from django.utils import timezone

from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.research.models import Company
from coldflow.send.delivery import deliver_batch
from coldflow.send.models import CampaignMailbox, Enrollment, Mailbox, OutboundMessage
from coldflow.send.schedule.dispatch import advance_sent_enrollments, dispatch_tick
from coldflow.send.settings import SendSettings
from tests.sandbox.mail.harness import (
    SAM,
    TINA,
    ImapAccount,
    external_imap,
    external_submission,
)
from tests.send.schedule.factories import add_draft, make_campaign

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE_SECONDS = 30


@dataclass(frozen=True)
class Route:
    """Who sends through which submission server, and whose INBOX shows what arrived."""

    sender: str
    submission: tuple[str, int, str, str]
    recipient: str
    inbox: ImapAccount
    # Dovecot threads; the sandbox's IMAP server does not offer THREAD.
    thread_extension: bool


def _sandbox_route(mail) -> Route:
    endpoints = mail.endpoints()
    submission, imap = endpoints["submission"], endpoints["imap"]
    return Route(
        sender=SAM.address,
        submission=(submission["host"], submission["port"], SAM.username, SAM.password),
        recipient=TINA.address,
        inbox=ImapAccount(imap["host"], imap["port"], TINA.username, TINA.password),
        thread_extension=False,
    )


def _postfix_route() -> Route:
    submission, imap = external_submission(), external_imap()
    if submission is None or imap is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run this against Postfix and Dovecot: source real_servers.sh")
        pytest.skip("COLDFLOW_TEST_SUBMISSION / COLDFLOW_TEST_IMAP not set")
    return Route(
        sender=submission.address,
        submission=(submission.host, submission.port, submission.username, submission.password),
        recipient=submission.address,
        inbox=imap,
        thread_extension=True,
    )


@pytest.fixture(params=["sandbox", "postfix"])
def route(request) -> Route:
    if request.param == "postfix":
        return _postfix_route()
    return _sandbox_route(request.getfixturevalue("mail"))


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


def _arrived(inbox: ImapAccount, message_ids: list[str]) -> dict[str, tuple[int, bytes]]:
    """Message-ID → (UID, header block) for each of `message_ids` in the INBOX, waiting until
    all of them are there."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        found = {}
        with inbox.client() as client:
            client.select_folder("INBOX", readonly=True)
            for message_id in message_ids:
                uids = client.search(["HEADER", "Message-ID", message_id])
                if uids:
                    data = client.fetch(uids[-1:], ["BODY.PEEK[HEADER]"])[uids[-1]]
                    found[message_id] = (uids[-1], data[b"BODY[HEADER]"])
        if len(found) == len(message_ids):
            return found
        assert time.monotonic() < deadline, f"not in the INBOX: {set(message_ids) - set(found)}"
        time.sleep(0.2)


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
    arrived = _arrived(route.inbox, [first.message_id, follow_up.message_id])
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
