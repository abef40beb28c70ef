"""The user's mailboxes accept mail over authenticated SMTP submission and relay it."""

from __future__ import annotations

import email
import smtplib

import pytest

from .harness import SAM, TINA, SubmissionAccount, wait_for


def submission_client(mail) -> smtplib.SMTP:
    endpoint = mail.endpoints()["submission"]
    client = smtplib.SMTP(endpoint["host"], endpoint["port"], timeout=10)
    client.ehlo("laptop.test")
    return client


def outreach(message_id: str, to: str = "anna@acme.test", sender=SAM) -> bytes:
    return (
        f"From: {sender.display_name} <{sender.address}>\r\nTo: {to}\r\n"
        f"Subject: Quick question\r\nMessage-ID: {message_id}\r\n"
        "Date: Tue, 25 Nov 2025 10:00:00 +0000\r\n\r\nHello there.\r\n"
    ).encode()


def connect(account: SubmissionAccount) -> smtplib.SMTP:
    client = smtplib.SMTP(account.host, account.port, timeout=10)
    client.ehlo("laptop.test")
    return client


def refused_before_data(client: smtplib.SMTP, sender: str, recipient: str) -> tuple[int, bytes]:
    """The first refusal of MAIL or RCPT: servers differ in which one they refuse at."""
    code, text = client.mail(sender)
    if code >= 400:
        return code, text
    return client.rcpt(recipient)


def test_it_advertises_auth_plain_and_login(submission_account):
    with connect(submission_account) as client:
        assert {"PLAIN", "LOGIN"} <= set(client.esmtp_features["auth"].upper().split())


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_it_authenticates_a_sender_mailbox(submission_account, mechanism):
    with connect(submission_account) as client:
        client.user, client.password = submission_account.username, submission_account.password
        method = client.auth_plain if mechanism == "PLAIN" else client.auth_login
        code, _ = client.auth(mechanism, method)
        assert code == 235


def test_it_rejects_a_wrong_password(submission_account):
    client = connect(submission_account)
    with client, pytest.raises(smtplib.SMTPAuthenticationError) as error:
        client.login(submission_account.username, "wrong")
    assert error.value.smtp_code == 535


def test_it_refuses_mail_from_an_unauthenticated_client(submission_account):
    with connect(submission_account) as client:
        code, _ = refused_before_data(client, submission_account.address, "anna@acme.test")
    assert code in (530, 554)


def test_it_refuses_a_sender_address_the_user_does_not_own(submission_account):
    account = submission_account
    with connect(account) as client:
        client.login(account.username, account.password)
        code, text = refused_before_data(client, account.foreign_address, account.address)
    assert (code, text[:6]) == (553, b"5.7.1 ")


def test_the_sandbox_refuses_at_mail_time(mail):
    with submission_client(mail) as client:
        assert client.mail(SAM.address)[0] == 530
        client.login(SAM.username, SAM.password)
        assert client.mail(TINA.address)[0] == 553


def test_it_files_a_copy_in_sent_when_the_provider_does_that(mail):
    with submission_client(mail) as client:
        client.login(SAM.username, SAM.password)
        client.sendmail(SAM.address, ["anna@acme.test"], outreach("<sent-1@sender.test>"))
    sent = mail.mailbox(SAM.address, "Sent")
    assert len(sent) == 1
    assert email.message_from_bytes(sent[0])["Message-ID"] == "<sent-1@sender.test>"


def test_it_leaves_sent_alone_when_the_provider_does_not(mail):
    with submission_client(mail) as client:
        client.login(TINA.username, TINA.password)
        client.sendmail(
            TINA.address, ["anna@acme.test"], outreach("<t-1@sender.test>", sender=TINA)
        )
    assert mail.mailbox(TINA.address, "Sent") == []


def test_it_delivers_to_the_prospect_exactly_once(mail):
    with submission_client(mail) as client:
        client.login(SAM.username, SAM.password)
        client.sendmail(SAM.address, ["anna@acme.test"], outreach("<once@sender.test>"))
    deliveries = [d for d in mail.deliveries() if d.message_id == "<once@sender.test>"]
    assert [(d.recipient, d.outcome) for d in deliveries] == [("anna@acme.test", "delivered")]
    assert len(mail.received("anna@acme.test")) == 1


def test_it_adds_a_message_id_when_the_client_left_it_out(mail):
    bare = b"From: sam@sender.test\r\nTo: anna@acme.test\r\nSubject: x\r\n\r\nbody\r\n"
    with submission_client(mail) as client:
        client.login(SAM.username, SAM.password)
        client.sendmail(SAM.address, ["anna@acme.test"], bare)
    delivered = email.message_from_bytes(mail.received("anna@acme.test")[0])
    assert delivered["Message-ID"].endswith("@sender.test>")
    assert delivered["Date"]
    assert mail.deliveries()[0].message_id == delivered["Message-ID"]


def test_it_retries_a_greylisted_recipient_like_a_queue(mail):
    with submission_client(mail) as client:
        client.login(SAM.username, SAM.password)
        refused = client.sendmail(SAM.address, ["carl@grey.test"], outreach("<grey@sender.test>"))
    assert refused == {}
    assert mail.received("carl@grey.test") == []
    wait_for(lambda: mail.received("carl@grey.test"), timeout=3)
    assert [d.message_id for d in mail.deliveries()] == ["<grey@sender.test>"]


def test_mail_between_the_users_own_mailboxes_lands_in_the_inbox(mail):
    with submission_client(mail) as client:
        client.login(SAM.username, SAM.password)
        client.sendmail(
            SAM.address, [TINA.address], outreach("<internal@sender.test>", TINA.address)
        )
    assert len(mail.mailbox(TINA.address)) == 1


def test_a_malformed_message_is_relayed_without_breaking_anything(mail):
    garbage = (
        b"From: =?utf-8?b?////?= <<<@@>>>\r\nSubject: \xff\xfe\r\nContent-Type: multipart/mixed;"
        b' boundary="\r\n\r\n--\x00\x01 not mime at all \xc3\x28\r\n'
    )
    with submission_client(mail) as client:
        client.login(SAM.username, SAM.password)
        assert client.sendmail(SAM.address, ["anna@acme.test"], garbage) == {}
        client.sendmail(SAM.address, ["anna@acme.test"], outreach("<after@sender.test>"))
    assert len(mail.received("anna@acme.test")) == 2
    # The well-formed one still gets its answer.
    wait_for(lambda: mail.mailbox(SAM.address))
