"""Undeliverable mail comes back to the sender as an RFC 3464 delivery report."""

from __future__ import annotations

import email
import email.policy
import smtplib
import time
from datetime import UTC, datetime
from email.message import Message

from coldflow.sandbox.mail.delivery_report import FailedRecipient, build_delivery_report

from .harness import SAM, wait_for

ORIGINAL = (
    b"From: Sam Seller <sam@sender.test>\r\nTo: gone@acme.test\r\n"
    b"Subject: Partnership\r\nMessage-ID: <bounce-me@sender.test>\r\n\r\nHello.\r\n"
)


def send(mail, recipients: list[str], message: bytes = ORIGINAL) -> None:
    endpoint = mail.endpoints()["submission"]
    with smtplib.SMTP(endpoint["host"], endpoint["port"], timeout=10) as client:
        client.login(SAM.username, SAM.password)
        client.sendmail(SAM.address, recipients, message)


def status_fields(report: Message) -> list[Message]:
    """The per-message and per-recipient field groups of the message/delivery-status part."""
    part = next(p for p in report.walk() if p.get_content_type() == "message/delivery-status")
    return part.get_payload()


def test_a_bounce_after_accept_puts_a_delivery_report_in_the_inbox(mail):
    send(mail, ["gone@acme.test"])
    assert mail.deliveries()[0].outcome == "bounced"
    raw = wait_for(lambda: mail.mailbox(SAM.address))[0]
    report = email.message_from_bytes(raw)

    assert report.get_content_type() == "multipart/report"
    assert report.get_param("report-type") == "delivery-status"
    assert report["From"].startswith("Mail Delivery System <MAILER-DAEMON@")
    per_message, per_recipient = status_fields(report)
    assert per_message["Reporting-MTA"] == "dns; mx.acme.test"
    assert per_recipient["Final-Recipient"] == "rfc822; gone@acme.test"
    assert per_recipient["Action"] == "failed"
    assert per_recipient["Status"] == "5.1.1"
    assert per_recipient["Diagnostic-Code"].startswith("smtp; 550 5.1.1")
    headers = next(p for p in report.walk() if p.get_content_type() == "text/rfc822-headers")
    assert b"Message-ID: <bounce-me@sender.test>" in headers.get_payload(decode=True)


def test_recipients_refused_at_rcpt_time_are_reported_together(mail):
    send(mail, ["nobody@acme.test", "someone@nomx.test", "anna@acme.test"])
    reports = mail.mailbox(SAM.address)
    assert len(reports) == 1
    recipients = status_fields(email.message_from_bytes(reports[0]))[1:]
    assert [(r["Final-Recipient"], r["Status"]) for r in recipients] == [
        ("rfc822; nobody@acme.test", "5.1.1"),
        ("rfc822; someone@nomx.test", "5.1.2"),
    ]
    assert recipients[0]["Remote-MTA"] == "dns; mx.acme.test"
    assert recipients[1]["Remote-MTA"] is None
    assert [d.recipient for d in mail.deliveries()] == ["anna@acme.test"]


def mx_send(mail, sender: str) -> None:
    endpoint = mail.endpoints()["mx"]
    with smtplib.SMTP(endpoint["host"], endpoint["port"], timeout=10) as client:
        client.sendmail(sender, ["gone@acme.test"], ORIGINAL)


def test_a_bounce_at_the_mx_is_reported_to_the_envelope_sender(mail):
    mx_send(mail, SAM.address)
    wait_for(lambda: mail.mailbox(SAM.address))


def test_a_null_sender_gets_no_report(mail):
    mx_send(mail, "")
    assert mail.deliveries()[0].outcome == "bounced"
    # Long enough for the late bounce (3 sandbox seconds at time_scale 0.02) to have fired.
    time.sleep(0.3)
    assert mail.mailbox(SAM.address) == []


def test_the_report_parses_with_the_standard_library_policy():
    raw = build_delivery_report(
        original=ORIGINAL,
        envelope_sender="sam@sender.test",
        failures=[FailedRecipient("gone@acme.test", "5.1.1", "550 5.1.1 no such user")],
        reporting_mta="mx.acme.test",
        arrival_date=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        now=datetime(2025, 1, 2, 3, 5, 0, tzinfo=UTC),
    )
    report = email.message_from_bytes(raw, policy=email.policy.default)
    assert not report.defects
    assert [p.get_content_type() for p in report.iter_parts()] == [
        "text/plain",
        "message/delivery-status",
        "text/rfc822-headers",
    ]
    assert "gone@acme.test" in next(report.iter_parts()).get_content()
