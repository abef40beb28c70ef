"""Reading delivery failure reports: hand-written reports in the layouts real servers use."""

from __future__ import annotations

from pathlib import Path

from coldflow.listen.classify import classify

FIXTURES = Path(__file__).parent / "fixtures"


def _bounce(
    body: str, subject: str = "Undelivered Mail Returned to Sender", headers: str = ""
) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.outreach.example>\n"
        "To: max@outreach.example\n"
        f"Subject: {subject}\n"
        "Date: Mon, 15 Jan 2024 12:00:00 +0000\n"
        f"{headers}"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=us-ascii\n\n"
        f"{body}"
    ).encode()


def test_it_reads_a_truncated_delivery_status_notification():
    reading = classify((FIXTURES / "dsn_truncated.eml").read_bytes())
    assert reading.kind == "bounce"
    assert [(r.address, r.status, r.reason, r.hard) for r in reading.recipients] == [
        ("ghost@acme.example", "5.1.1", "userunknown", True)
    ]


def test_it_prefers_the_specific_code_in_the_diagnostic_to_a_generic_status_field():
    raw = _bounce(
        "Final-Recipient: rfc822; someone@acme.example\n"
        "Action: failed\n"
        "Status: 5.0.0\n"
        "Diagnostic-Code: smtp; 550 5.2.2 <someone@acme.example>: mailbox full\n"
    )
    (recipient,) = classify(raw).recipients
    assert (recipient.status, recipient.reason, recipient.hard) == ("5.2.2", "mailboxfull", False)


def test_it_calls_an_unknown_user_refused_after_data_a_filter_not_a_missing_address():
    raw = _bounce(
        "<someone@acme.example>: host mx.acme.example[192.0.2.1] said: 550 Unknown user\n"
        "    someone@acme.example (in reply to end of DATA command)\n"
    )
    (recipient,) = classify(raw).recipients
    assert (recipient.reason, recipient.hard, recipient.status) == ("filtered", False, "5.0.910")


def test_it_reads_a_modern_gmail_report_that_names_no_code_in_its_text():
    raw = _bounce(
        "** Address not found **\n\n"
        "Your message wasn't delivered to nobody@acme.example because the address couldn't be\n"
        "found, or is unable to receive mail.\n\n"
        "The response was:\n\n"
        "The email account that you tried to reach does not exist.\n",
        subject="Delivery Status Notification (Failure)",
    )
    reading = classify(raw)
    assert reading.kind == "bounce"
    assert [(r.address, r.reason, r.hard) for r in reading.recipients] == [
        ("nobody@acme.example", "userunknown", True)
    ]


def test_it_marks_a_mailbox_full_retry_timeout_as_a_temporary_failure():
    raw = _bounce(
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  save to /var/mail/someone\n"
        "    mailbox is full: retry timeout exceeded\n",
        subject="Mail delivery failed: returning message to sender",
        headers="X-Failed-Recipients: someone@acme.example\n",
    )
    (recipient,) = classify(raw).recipients
    assert (recipient.address, recipient.status, recipient.reason) == (
        "someone@acme.example",
        "4.0.922",
        "mailboxfull",
    )


def test_it_takes_the_original_message_id_from_the_copy_in_the_text():
    raw = _bounce(
        "Hi. This is the qmail-send program at mx.outreach.example.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n"
        "<someone@acme.example>:\n"
        "Sorry, I couldn't find any host named acme.example. (#5.1.2)\n\n"
        "--- Below this line is a copy of the message.\n\n"
        "Return-Path: <max@outreach.example>\n"
        "Message-ID: <20240115115900.7@outreach.example>\n"
        "From: max@outreach.example\n",
        subject="failure notice",
    )
    reading = classify(raw)
    assert reading.original_message_id == "<20240115115900.7@outreach.example>"
    assert [(r.status, r.reason, r.hard) for r in reading.recipients] == [
        ("5.1.2", "hostunknown", True)
    ]


def test_it_never_takes_the_user_s_own_mailbox_for_a_failed_recipient():
    raw = _bounce(
        "  max@outreach.example\n    SMTP error from remote mail server after RCPT TO:\n"
        "    550 5.1.1 user unknown\n",
        subject="Mail delivery failed",
    )
    reading = classify(raw, own_addresses=frozenset({"max@outreach.example"}))
    assert all(recipient.address != "max@outreach.example" for recipient in reading.recipients)


def test_it_does_not_take_a_person_mentioning_a_failed_delivery_for_a_bounce():
    raw = (
        b"From: Jane Doe <jane@acme.example>\nTo: max@outreach.example\n"
        b"Subject: Re: Demo\nIn-Reply-To: <1@outreach.example>\n\n"
        b"My earlier mail could not be delivered to our CFO, so I am writing again. Interested!\n"
    )
    assert classify(raw).kind == "reply"


def test_it_lends_a_shared_explanation_to_each_address_of_a_list():
    raw = _bounce(
        "Delivery to the following recipients failed permanently:\n\n"
        "     a@acme.example\n     b@acme.example\n\n"
        "Technical details of permanent failure:\n"
        "The error that the other server returned was:\n550 5.1.1 User unknown\n",
        subject="Delivery Status Notification (Failure)",
        headers="X-Failed-Recipients: a@acme.example, b@acme.example\n",
    )
    assert [(r.address, r.status, r.reason) for r in classify(raw).recipients] == [
        ("a@acme.example", "5.1.1", "userunknown"),
        ("b@acme.example", "5.1.1", "userunknown"),
    ]


def test_it_reports_the_address_we_sent_to_rather_than_the_alias_it_expanded_to():
    raw = _bounce(
        "<final@mailbox.example> (expanded from\n"
        "    <lead@acme.example>): host mx.mailbox.example[192.0.2.1] said: 550 5.1.1\n"
        "    <final@mailbox.example>: Recipient address rejected: User unknown (in reply to\n"
        "    RCPT TO command)\n"
    )
    assert [r.address for r in classify(raw).recipients] == ["lead@acme.example"]
