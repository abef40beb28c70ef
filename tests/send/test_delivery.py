"""Delivering queued messages through a real SMTP submission server (the sandbox's)."""

from __future__ import annotations

import email
import email.policy

import pytest

from coldflow.analytics.models import Event
from coldflow.contacts.models import Lead
from coldflow.send.delivery import deliver, deliver_batch
from coldflow.send.models import Enrollment, Mailbox, OutboundMessage, Suppression
from coldflow.send.suppression import suppress
from tests.sandbox.mail.harness import SAM, TINA, wait_for

from .factory import SendWorld
from .routes import arrived_in_inbox
from .scripted_smtp import Script, scripted_server

pytestmark = pytest.mark.django_db(transaction=True)


def sandbox_mailbox(world: SendWorld, mail, sender=SAM, **fields) -> Mailbox:
    endpoints = mail.endpoints()
    return world.mailbox(
        sender.address,
        host=endpoints["submission"]["host"],
        port=endpoints["submission"]["port"],
        imap_port=endpoints["imap"]["port"],
        username=sender.username,
        password=sender.password,
        append_to_sent=not sender.server_appends_to_sent,
        **fields,
    )


def received_ids(mail, address: str) -> list[str]:
    return [
        " ".join(str(email.message_from_bytes(raw).get("Message-ID", "")).split())
        for raw in mail.received(address)
    ]


def test_a_queued_message_reaches_the_prospect_once_with_its_stored_message_id(
    mail, settings_for_send
):
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail)
    message = world.message("p1@acme.test", mailbox)

    result = deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    assert result.outcome == "sent", result.detail
    assert message.state == "sent" and message.sent_at is not None
    assert message.message_id.endswith("@sender.test>")
    assert "250" in message.smtp_response
    assert wait_for(lambda: received_ids(mail, "p1@acme.test")) == [message.message_id]


def test_a_message_reaches_the_recipients_inbox_once_through_each_server(route, settings_for_send):
    """Against the sandbox and, where configured (always in CI), Debian's Postfix."""
    host, port, username, password = route.submission
    world = SendWorld()
    mailbox = world.mailbox(
        route.sender,
        host=host,
        port=port,
        username=username,
        password=password,
        append_to_sent=False,
    )
    message = world.message(route.recipient, mailbox)

    result = deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    assert result.outcome == "sent", result.detail
    assert message.state == "sent" and " 250 " in message.smtp_response
    arrived_in_inbox(route.inbox, [message.message_id])
    with route.inbox.client() as client:
        client.select_folder("INBOX", readonly=True)
        assert len(client.search(["HEADER", "Message-ID", message.message_id])) == 1


def test_the_first_email_starts_the_thread_and_moves_enrollment_lead_and_mailbox(
    mail, settings_for_send
):
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail)
    message = world.message("p2@acme.test", mailbox)

    deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    enrollment = Enrollment.objects.get(pk=message.enrollment_id)
    assert enrollment.thread_message_id == message.message_id
    assert enrollment.last_sent_at == message.sent_at
    assert Mailbox.objects.get(pk=mailbox.pk).last_sent_at == message.sending_started_at
    assert Lead.objects.get(pk=message.lead_id).status == "contacted"
    assert Event.objects.filter(kind="message.sent", message=message).count() == 1


def test_a_follow_up_carries_the_thread_headers(mail, settings_for_send):
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail)
    first = world.message("p3@acme.test", mailbox)
    deliver(first.pk, settings=settings_for_send)
    first.refresh_from_db()
    follow_up = world.message(
        "p3@acme.test",
        mailbox,
        step=1,
        enrollment=first.enrollment,
        subject="Re: Quick question",
        in_reply_to=first.message_id,
        references=first.message_id,
    )

    deliver(follow_up.pk, settings=settings_for_send)

    raw = wait_for(
        lambda: len(mail.received("p3@acme.test")) == 2 and mail.received("p3@acme.test")
    )
    received = email.message_from_bytes(raw[1], policy=email.policy.default)
    assert received["In-Reply-To"] == first.message_id
    assert received["References"] == first.message_id
    assert received["Subject"] == "Re: Quick question"


def test_a_batch_goes_over_one_reused_connection(mail, settings_for_send):
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail)
    messages = [world.message(f"p{10 + i}@acme.test", mailbox) for i in range(5)]
    before = mail.stats()["submission"]["connections"]

    results = deliver_batch([m.pk for m in messages], settings=settings_for_send)

    assert [r.outcome for r in results] == ["sent"] * 5
    assert mail.stats()["submission"]["connections"] - before == 1


def test_a_copy_is_filed_in_sent_when_the_server_does_not_do_it(mail, settings_for_send):
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail, sender=TINA)
    message = world.message("p20@acme.test", mailbox)

    deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    sent = [email.message_from_bytes(raw) for raw in mail.mailbox(TINA.address, "Sent")]
    assert [m["Message-ID"] for m in sent].count(message.message_id) == 1


def test_a_message_is_claimed_once_so_a_second_delivery_sends_nothing(mail, settings_for_send):
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail)
    message = world.message("p21@acme.test", mailbox)

    first = deliver(message.pk, settings=settings_for_send)
    second = deliver(message.pk, settings=settings_for_send)

    assert (first.outcome, second.outcome) == ("sent", "skipped")
    message.refresh_from_db()
    wait_for(lambda: received_ids(mail, "p21@acme.test"))
    assert received_ids(mail, "p21@acme.test") == [message.message_id]


def test_an_address_suppressed_after_queueing_is_not_sent(mail, settings_for_send):
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail)
    message = world.message("p22@acme.test", mailbox)
    suppress(world.workspace.pk, "domain", "ACME.test", "manual")

    result = deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    assert result.outcome == "dropped"
    assert message.state == "failed" and "suppressed domain acme.test" in message.error
    assert mail.received("p22@acme.test") == []


def test_a_paused_mailbox_keeps_its_messages_queued(mail, settings_for_send):
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail, status="paused_by_user")
    message = world.message("p23@acme.test", mailbox)

    result = deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    assert result.outcome == "held" and "paused by user" in result.detail
    assert message.state == "queued"


def test_a_refused_login_pauses_the_mailbox_and_keeps_the_lead(mail, settings_for_send):
    world = SendWorld()
    endpoints = mail.endpoints()["submission"]
    mailbox = world.mailbox(
        SAM.address,
        host=endpoints["host"],
        port=endpoints["port"],
        username=SAM.username,
        password="wrong",
    )
    message = world.message("p24@acme.test", mailbox)

    result = deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    mailbox.refresh_from_db()
    assert result.outcome == "pause_mailbox"
    assert mailbox.status == "paused_by_system" and "refused the login" in mailbox.status_reason
    assert message.state == "queued" and message.attempts == 0
    assert Lead.objects.get(pk=message.lead_id).status == "enrolled"


def test_a_policy_refusal_of_the_sender_pauses_the_mailbox(mail, settings_for_send):
    world = SendWorld()
    endpoints = mail.endpoints()["submission"]
    # Logs in as SAM but sends as an address SAM does not own: 553 5.7.1.
    mailbox = world.mailbox(
        "someone-else@sender.test",
        host=endpoints["host"],
        port=endpoints["port"],
        username=SAM.username,
        password=SAM.password,
    )
    message = world.message("p25@acme.test", mailbox)

    result = deliver(message.pk, settings=settings_for_send)

    mailbox.refresh_from_db()
    assert result.outcome == "pause_mailbox"
    assert "5.7.1" in mailbox.status_reason
    assert OutboundMessage.objects.get(pk=message.pk).state == "queued"


def test_an_unreachable_server_pauses_the_mailbox_with_the_reason_in_words(settings_for_send):
    world = SendWorld()
    mailbox = world.mailbox(
        "sam@sender.test", host="127.0.0.1", port=1, username="sam", password="x"
    )
    message = world.message("p26@acme.test", mailbox)

    deliver(message.pk, settings=settings_for_send)

    mailbox.refresh_from_db()
    assert mailbox.status == "paused_by_system"
    assert "cannot connect to 127.0.0.1:1" in mailbox.status_reason


def test_an_unknown_recipient_is_a_hard_bounce_that_suppresses_and_stops(settings_for_send):
    script = Script(rcpt={"gone@acme.test": "550 5.1.1 <gone@acme.test>: no such user"})
    with scripted_server(script) as (host, port):
        world = SendWorld()
        mailbox = world.mailbox(
            "sam@sender.test", host=host, port=port, username="sam", password="s3cret"
        )
        message = world.message("gone@acme.test", mailbox)
        result = deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    assert result.outcome == "hard_bounce"
    assert message.state == "failed" and "5.1.1" in message.error
    assert Suppression.objects.filter(
        workspace=world.workspace, value="gone@acme.test", reason="hard_bounce"
    ).exists()
    enrollment = Enrollment.objects.get(pk=message.enrollment_id)
    assert (enrollment.status, enrollment.stop_reason) == ("stopped", "hard_bounce")
    assert Lead.objects.get(pk=message.lead_id).status == "bounced"
    assert Event.objects.filter(kind="message.bounced", message=message, data__hard=True).exists()


def test_a_temporary_refusal_is_retried_with_backoff_then_given_up(settings_for_send):
    script = Script(data={"busy@acme.test": "451 4.3.0 try again later"})
    with scripted_server(script) as (host, port):
        world = SendWorld()
        mailbox = world.mailbox(
            "sam@sender.test", host=host, port=port, username="sam", password="s3cret"
        )
        message = world.message("busy@acme.test", mailbox)
        first = deliver(message.pk, settings=settings_for_send)
        message.refresh_from_db()
        assert first.outcome == "retry" and message.state == "queued"
        assert first.retry_at == message.scheduled_at
        waits = []
        for _ in range(settings_for_send.max_attempts - 1):
            OutboundMessage.objects.filter(pk=message.pk).update(scheduled_at=None)
            last = deliver(message.pk, settings=settings_for_send)
            if last.retry_at:
                waits.append(last.retry_at)

    message.refresh_from_db()
    assert last.outcome == "rejected" and message.state == "failed"
    assert message.attempts == settings_for_send.max_attempts
    assert "gave up after 5 attempts" in message.error
    assert not Suppression.objects.filter(value="busy@acme.test").exists()
    assert settings_for_send.retry_delay(2) == 2 * settings_for_send.retry_delay(1)


def test_a_server_that_goes_silent_after_data_leaves_the_message_unknown(settings_for_send):
    script = Script(hang={"slow@acme.test"})
    with scripted_server(script) as (host, port):
        world = SendWorld()
        mailbox = world.mailbox(
            "sam@sender.test", host=host, port=port, username="sam", password="s3cret"
        )
        message = world.message("slow@acme.test", mailbox)
        from dataclasses import replace

        result = deliver(message.pk, settings=replace(settings_for_send, smtp_timeout=0.5))

    message.refresh_from_db()
    assert result.outcome == "unknown"
    assert message.state == "unknown" and "DATA" in message.error
    assert Mailbox.objects.get(pk=mailbox.pk).status == "active"


def _suppress_address(message):
    suppress(message.workspace_id, "address", message.to_address, "unsubscribe")


def _suppress_domain(message):
    suppress(message.workspace_id, "domain", "acme.test", "manual")


def _lead_replied(message):
    Lead.objects.filter(pk=message.lead_id).update(status="replied")


def _enrollment_stopped(message):
    Enrollment.objects.filter(pk=message.enrollment_id).update(
        status="stopped", stop_reason="replied"
    )


def _campaign_paused(message):
    from coldflow.campaigns.models import Campaign

    Campaign.objects.filter(pk=message.campaign_id).update(status="paused")


def _mailbox_paused(message):
    Mailbox.objects.filter(pk=message.mailbox_id).update(status="paused_by_user")


@pytest.mark.parametrize(
    ("change", "outcome", "reason"),
    [
        (_suppress_address, "dropped", "suppressed address (unsubscribe)"),
        (_suppress_domain, "dropped", "suppressed domain acme.test (manual)"),
        (_lead_replied, "dropped", "lead is replied"),
        (_enrollment_stopped, "dropped", "enrollment stopped: replied"),
        (_campaign_paused, "held", "campaign paused"),
        (_mailbox_paused, "held", "mailbox paused by user"),
    ],
)
def test_a_change_made_while_a_batch_is_sending_stops_the_messages_after_it(
    settings_for_send, change, outcome, reason
):
    from django.db import connection

    world = SendWorld()
    later = {}

    def change_the_second():
        change(later["message"])
        connection.close()  # this runs on the server's thread, with a connection of its own

    script = Script(on_data={"first@acme.test": change_the_second})
    with scripted_server(script) as (host, port):
        mailbox = world.mailbox(
            "sam@sender.test", host=host, port=port, username="sam", password="s3cret"
        )
        first = world.message("first@acme.test", mailbox)
        later["message"] = world.message("second@acme.test", mailbox)

        results = deliver_batch([first.pk, later["message"].pk], settings=settings_for_send)

    assert [r.outcome for r in results] == ["sent", outcome]
    assert results[1].detail.startswith(reason)
    assert len(script.received) == 1
    second = OutboundMessage.objects.get(pk=later["message"].pk)
    assert second.state == ("failed" if outcome == "dropped" else "queued")
    assert OutboundMessage.objects.get(pk=first.pk).state == "sent"


def test_a_batch_costs_one_transaction_and_a_handful_of_queries_per_message(
    mail, settings_for_send
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail)
    messages = [world.message(f"p{30 + i}@acme.test", mailbox) for i in range(10)]

    with CaptureQueriesContext(connection) as queries:
        results = deliver_batch([m.pk for m in messages], settings=settings_for_send)

    assert [r.outcome for r in results] == ["sent"] * 10
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    # Per message: the slot (lock the mailbox row, count its day), the claim and the mailbox's
    # last send; then sent, enrollment, lead and event (with the next message's claim).
    # Plus the batch's messages and its suppressions.
    assert statements.count("SELECT") == 2 + 2 * 10
    assert statements.count("UPDATE") + statements.count("INSERT") == 6 * 10
    assert sum(s.startswith(("COMMIT", "RELEASE")) for s in statements) <= 10 + 1
    assert all(
        m.state == "sent" for m in OutboundMessage.objects.filter(pk__in=[m.pk for m in messages])
    )


def test_a_mailbox_whose_server_address_the_rules_refuse_is_paused_and_sends_nothing(
    mail, settings_for_send, monkeypatch
):
    """Saved while allowed, or a name that now resolves inside the network: sending checks the
    address again before connecting, and pauses the mailbox with the rule in words."""
    world = SendWorld()
    mailbox = sandbox_mailbox(world, mail)
    message = world.message("p-refused@acme.test", mailbox)
    monkeypatch.delenv("MAILBOX_ALLOW_PRIVATE_SERVERS")
    monkeypatch.delenv("SANDBOX", raising=False)

    result = deliver(message.pk, settings=settings_for_send)

    message.refresh_from_db()
    mailbox.refresh_from_db()
    assert result.outcome != "sent" and message.state != "sent"
    assert mailbox.status == "paused_by_system"
    assert "SMTP server 127.0.0.1 is refused: loopback address" in mailbox.status_reason
    assert mail.received("p-refused@acme.test") == []
