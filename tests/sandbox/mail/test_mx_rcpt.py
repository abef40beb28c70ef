"""The prospects' MX answers RCPT TO from the world's truth, over real SMTP connections."""

from __future__ import annotations

import smtplib
import time

from .harness import running_mail_servers, wait_for


def mx_client(mail) -> smtplib.SMTP:
    endpoint = mail.endpoints()["mx"]
    client = smtplib.SMTP(endpoint["host"], endpoint["port"], timeout=10)
    client.ehlo("verifier.test")
    return client


def rcpt(mail, address: str, sender: str = "probe@verifier.test") -> tuple[int, bytes]:
    with mx_client(mail) as client:
        client.mail(sender)
        return client.rcpt(address)


def test_it_accepts_a_known_mailbox(mail):
    assert rcpt(mail, "anna@acme.test")[0] == 250


def test_it_rejects_an_unknown_mailbox_with_5_1_1(mail):
    code, text = rcpt(mail, "nobody@acme.test")
    assert code == 550
    assert text.startswith(b"5.1.1 ")


def test_it_accepts_any_address_on_a_catch_all_domain(mail):
    assert rcpt(mail, "zz-random-8f3a@catchall.test")[0] == 250


def test_it_refuses_domains_it_does_not_handle(mail):
    for address in ("someone@elsewhere.test", "someone@nomx.test"):
        code, text = rcpt(mail, address)
        assert code == 550
        assert text.startswith(b"5.1.2 ")


def test_it_accepts_addresses_that_bounce_later(mail):
    assert rcpt(mail, "gone@acme.test")[0] == 250


def test_it_greylists_the_first_attempt_and_accepts_the_retry(mail):
    code, text = rcpt(mail, "carl@grey.test")
    assert (code, text[:6]) == (450, b"4.7.1 ")
    assert rcpt(mail, "carl@grey.test")[0] == 450, "a retry before the period ends is deferred"
    time.sleep(mail.greylist.seconds + 0.05)
    assert rcpt(mail, "carl@grey.test")[0] == 250


def test_greylisting_is_per_sender(mail):
    rcpt(mail, "carl@grey.test", sender="one@verifier.test")
    time.sleep(mail.greylist.seconds + 0.05)
    assert rcpt(mail, "carl@grey.test", sender="one@verifier.test")[0] == 250
    assert rcpt(mail, "carl@grey.test", sender="two@verifier.test")[0] == 450


def test_greylisting_does_not_hide_unknown_users(mail):
    assert rcpt(mail, "nobody@grey.test")[0] == 550


def test_one_connection_serves_many_probes_with_rset(mail):
    answers = []
    with mx_client(mail) as client:
        for address in ("anna@acme.test", "x1@acme.test", "x2@catchall.test", "bob@acme.test"):
            client.mail("probe@verifier.test")
            answers.append(client.rcpt(address)[0])
            client.rset()
    assert answers == [250, 550, 250, 250]
    stats = mail.stats()["mx"]
    assert stats["connections"] == 1
    assert stats["commands"]["RCPT"] == 4
    assert stats["commands"]["RSET"] == 4
    assert stats["rcpt_answers"] == {"250": 3, "550": 1}


def test_it_accepts_the_null_sender(mail):
    assert rcpt(mail, "anna@acme.test", sender="")[0] == 250


def test_each_reply_is_delayed_by_the_configured_latency():
    with running_mail_servers(reply_delay=0.05) as mail:
        started = time.monotonic()
        with mx_client(mail) as client:  # greeting + EHLO
            client.noop()
            client.noop()
        elapsed = time.monotonic() - started
        # greeting, EHLO, NOOP, NOOP, QUIT: five replies, the multi-line EHLO counted once
        assert elapsed >= 5 * 0.05
        assert mail.stats()["mx"]["replies"] == 5


def test_data_delivers_each_message_once_per_accepted_recipient(mail):
    message = (
        b"From: Probe <probe@verifier.test>\r\nTo: anna@acme.test\r\n"
        b"Subject: hi\r\nMessage-ID: <direct-1@verifier.test>\r\n\r\nhello\r\n"
    )
    with mx_client(mail) as client:
        refused = client.sendmail(
            "probe@verifier.test", ["anna@acme.test", "no@acme.test"], message
        )
    assert list(refused) == ["no@acme.test"]
    deliveries = [d for d in mail.deliveries() if d.message_id == "<direct-1@verifier.test>"]
    assert [(d.recipient, d.outcome) for d in deliveries] == [("anna@acme.test", "delivered")]
    assert wait_for(lambda: mail.received("anna@acme.test"))[0].endswith(b"hello\r\n")
