"""The reaper and the Sent-folder resolver, against the sandbox's IMAP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coldflow.send.models import Enrollment, OutboundMessage
from coldflow.send.recovery import reap_stuck_sending, resolve_unknown
from tests.sandbox.mail.harness import SAM, TINA

from .factory import SendWorld

pytestmark = pytest.mark.django_db(transaction=True)


def mailbox_for(world, mail, sender):
    endpoints = mail.endpoints()
    return world.mailbox(
        sender.address,
        host=endpoints["submission"]["host"],
        port=endpoints["submission"]["port"],
        imap_port=endpoints["imap"]["port"],
        username=sender.username,
        password=sender.password,
        append_to_sent=not sender.server_appends_to_sent,
    )


def unknown_message(world, mailbox, to, started_minutes_ago=60):
    message = world.message(to, mailbox, state="unknown")
    message.message_id = message.message_id.replace("coldflow.local", "sender.test")
    message.sending_started_at = timezone.now() - timedelta(minutes=started_minutes_ago)
    message.save()
    return message


def sent_copy(message) -> bytes:
    return (
        f"From: {message.mailbox.email}\r\nTo: {message.to_address}\r\nSubject: Hi\r\n"
        f"Message-ID: {message.message_id}\r\n\r\nHello\r\n"
    ).encode()


def test_the_reaper_turns_only_old_sending_messages_into_unknown(mail):
    world = SendWorld()
    mailbox = mailbox_for(world, mail, SAM)
    old = world.message("p100@acme.test", mailbox, state="sending")
    fresh = world.message("p101@acme.test", mailbox, state="sending")
    OutboundMessage.objects.filter(pk=old.pk).update(
        sending_started_at=timezone.now() - timedelta(minutes=11)
    )
    OutboundMessage.objects.filter(pk=fresh.pk).update(sending_started_at=timezone.now())

    assert reap_stuck_sending(timedelta(minutes=10)) == 1

    assert OutboundMessage.objects.get(pk=old.pk).state == "unknown"
    assert OutboundMessage.objects.get(pk=fresh.pk).state == "sending"


def test_an_unknown_message_found_in_sent_is_recorded_as_sent(mail):
    world = SendWorld()
    mailbox = mailbox_for(world, mail, SAM)
    message = unknown_message(world, mailbox, "p102@acme.test")
    mail.store.append(SAM.address, "Sent", sent_copy(message))

    resolution = resolve_unknown(timedelta(minutes=30))

    message.refresh_from_db()
    assert resolution.sent == [message.pk]
    assert message.state == "sent" and "found in 'Sent'" in message.smtp_response
    assert Enrollment.objects.get(pk=message.enrollment_id).thread_message_id == message.message_id


def test_a_similar_message_id_in_sent_is_not_taken_for_it(mail):
    world = SendWorld()
    mailbox = mailbox_for(world, mail, SAM)
    message = unknown_message(world, mailbox, "p103@acme.test", started_minutes_ago=1)
    other = OutboundMessage(
        mailbox=mailbox, to_address="x@acme.test", message_id=message.message_id[:-1] + "x>"
    )
    mail.store.append(SAM.address, "Sent", sent_copy(other))

    resolution = resolve_unknown(timedelta(minutes=30))

    assert resolution.pending == [message.pk]
    assert OutboundMessage.objects.get(pk=message.pk).state == "unknown"


def test_absent_from_a_server_filed_sent_folder_after_the_grace_it_is_queued_again(mail):
    world = SendWorld()
    mailbox = mailbox_for(world, mail, SAM)
    message = unknown_message(world, mailbox, "p104@acme.test", started_minutes_ago=45)

    resolution = resolve_unknown(timedelta(minutes=30))

    message.refresh_from_db()
    assert resolution.requeued == [message.pk]
    assert message.state == "queued" and "queued again" in message.error


def test_absent_where_coldflow_files_copies_it_fails_rather_than_risk_a_duplicate(mail):
    world = SendWorld()
    mailbox = mailbox_for(world, mail, TINA)
    message = unknown_message(world, mailbox, "p105@acme.test", started_minutes_ago=45)

    resolution = resolve_unknown(timedelta(minutes=30))

    message.refresh_from_db()
    assert resolution.failed == [message.pk]
    assert message.state == "failed" and "avoid a duplicate" in message.error


def test_an_unreachable_imap_server_leaves_messages_unknown_with_the_error(mail):
    world = SendWorld()
    mailbox = world.mailbox(
        SAM.address, host="127.0.0.1", port=1, imap_port=1, username="sam", password="x"
    )
    message = unknown_message(world, mailbox, "p106@acme.test")

    resolution = resolve_unknown(timedelta(minutes=30))

    assert resolution.pending == [message.pk]
    assert "cannot connect" in resolution.errors[0]
    assert OutboundMessage.objects.get(pk=message.pk).state == "unknown"
