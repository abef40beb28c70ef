"""Prospects answer delivered first emails with threaded replies, readable over IMAP."""

from __future__ import annotations

import email
import email.policy
import smtplib
import time
from datetime import UTC, date, datetime

import pytest

from coldflow.sandbox.mail.prospect_replies import build_reply, read_received
from coldflow.sandbox.mail_world import ProspectBehaviour

from .harness import SAM, connect_imap, wait_for


def first_email(message_id: str, to: str, extra: str = "") -> bytes:
    return (
        f"From: Sam Seller <sam@sender.test>\r\nTo: {to}\r\nSubject: Faster invoicing\r\n"
        f"Message-ID: {message_id}\r\nDate: Tue, 25 Nov 2025 10:00:00 +0000\r\n{extra}"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hi,\r\nwe make invoicing faster.\r\nWorth a chat?\r\n"
    ).encode()


def send(mail, to: str, message: bytes) -> None:
    endpoint = mail.endpoints()["submission"]
    with smtplib.SMTP(endpoint["host"], endpoint["port"], timeout=10) as client:
        client.login(SAM.username, SAM.password)
        client.sendmail(SAM.address, [to], message)


def inbox_over_imap(mail) -> list[email.message.EmailMessage]:
    endpoint = mail.endpoints()["imap"]
    with connect_imap(endpoint["host"], endpoint["port"]) as client:
        client.login(SAM.username, SAM.password)
        client.select_folder("INBOX", readonly=True)
        uids = client.search("ALL")
        fetched = client.fetch(uids, ["BODY.PEEK[]"])
    return [
        email.message_from_bytes(fetched[uid][b"BODY[]"], policy=email.policy.default)
        for uid in uids
    ]


def test_an_interested_prospect_replies_in_the_thread(mail):
    send(mail, "anna@acme.test", first_email("<thread-1@sender.test>", "anna@acme.test"))
    wait_for(lambda: mail.mailbox(SAM.address))
    [reply] = inbox_over_imap(mail)
    assert reply["From"].addresses[0].addr_spec == "anna@acme.test"
    assert reply["To"].addresses[0].addr_spec == SAM.address
    assert reply["Subject"] == "Re: Faster invoicing"
    assert reply["In-Reply-To"] == "<thread-1@sender.test>"
    assert reply["References"] == "<thread-1@sender.test>"
    assert reply["Message-ID"].endswith("@acme.test>")
    body = reply.get_content()
    assert "> we make invoicing faster." in body
    assert " wrote:" in body
    assert "Auto-Submitted" not in reply


def test_the_answer_waits_for_the_prospects_delay(mail):
    send(mail, "anna@acme.test", first_email("<later@sender.test>", "anna@acme.test"))
    assert mail.mailbox(SAM.address) == [], "2 sandbox seconds must pass first"
    started = time.monotonic()
    wait_for(lambda: mail.mailbox(SAM.address))
    assert time.monotonic() - started >= 2.0 * mail.time_scale * 0.5


def test_an_out_of_office_answer_is_marked_as_automatic(mail):
    send(mail, "bob@acme.test", first_email("<ooo@sender.test>", "bob@acme.test"))
    wait_for(lambda: mail.mailbox(SAM.address))
    [reply] = inbox_over_imap(mail)
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["X-Autoreply"] == "yes"
    assert reply["Subject"].endswith(": Faster invoicing")
    assert reply["Subject"].split(":")[0] in (
        "Abwesenheitsnotiz",
        "Automatische Antwort",
        "Abwesend",
    )
    assert reply["In-Reply-To"] == "<ooo@sender.test>"
    assert "03.03.2025" in reply.get_content()


def test_a_referral_names_the_colleague_and_their_address(mail):
    send(mail, "info@catchall.test", first_email("<ref@sender.test>", "info@catchall.test"))
    wait_for(lambda: mail.mailbox(SAM.address))
    [reply] = inbox_over_imap(mail)
    assert "Dora Meyer (dora@catchall.test)" in reply.get_content()


def test_an_unsubscribe_request_asks_to_be_removed(mail):
    send(mail, "carl@grey.test", first_email("<unsub@sender.test>", "carl@grey.test"))
    wait_for(lambda: mail.mailbox(SAM.address), timeout=3)  # greylisted first
    [reply] = inbox_over_imap(mail)
    assert "bitte aus dem verteiler nehmen" in reply.get_content().lower()
    assert "Am " in reply.get_content() and " schrieb " in reply.get_content()


def test_a_prospect_answers_a_thread_only_once(mail):
    message = first_email("<same@sender.test>", "anna@acme.test")
    send(mail, "anna@acme.test", message)
    send(mail, "anna@acme.test", message)
    wait_for(lambda: mail.mailbox(SAM.address))
    time.sleep(0.2)
    assert len(mail.mailbox(SAM.address)) == 1


def test_follow_ups_and_silent_prospects_get_no_answer(mail):
    follow_up = first_email(
        "<fu@sender.test>", "anna@acme.test", "In-Reply-To: <earlier@sender.test>\r\n"
    )
    send(mail, "anna@acme.test", follow_up)
    send(mail, "quiet@acme.test", first_email("<q@sender.test>", "quiet@acme.test"))
    time.sleep(0.3)
    assert len(mail.received("anna@acme.test")) == 1
    assert mail.mailbox(SAM.address) == []


def test_people_answer_the_reply_to_address(mail):
    message = first_email(
        "<rt@sender.test>", "anna@acme.test", "Reply-To: Tina <tina@sender.test>\r\n"
    )
    send(mail, "anna@acme.test", message)
    wait_for(lambda: mail.mailbox("tina@sender.test"))
    assert mail.mailbox(SAM.address) == []


ORIGINAL = read_received(first_email("<unit@sender.test>", "x@acme.test"))
NOW = datetime(2025, 11, 26, 9, 0, tzinfo=UTC)


def reply_text(behaviour: ProspectBehaviour) -> str:
    raw = build_reply(behaviour, ORIGINAL, to="Sam <sam@sender.test>", now=NOW)
    text = email.message_from_bytes(raw, policy=email.policy.default).get_content()
    return text.replace("\r\n", "\n")


@pytest.mark.parametrize(
    "kind", ["interested", "not_now", "not_interested", "referral", "unsubscribe"]
)
def test_several_phrasings_exist_for_each_kind_and_language(kind):
    for language in ("en", "de"):
        texts = {
            reply_text(
                ProspectBehaviour(f"p{n}@acme.test", "P", "Q", kind, language=language)
            ).split("\n\n")[1]
            for n in range(12)
        }
        assert len(texts) >= 3, (kind, language)


def test_the_phrasing_is_the_same_every_time_for_one_address():
    behaviour = ProspectBehaviour("same@acme.test", "S", "T", "not_now")
    assert reply_text(behaviour) == reply_text(behaviour)


def test_an_english_out_of_office_gives_the_return_date_in_words():
    behaviour = ProspectBehaviour(
        "o@acme.test", "O", "P", "out_of_office", return_date=date(2025, 12, 1)
    )
    assert "1 December 2025" in reply_text(behaviour)


def test_english_replies_quote_the_original_under_an_on_wrote_line():
    text = reply_text(ProspectBehaviour("e@acme.test", "E", "F", "interested"))
    assert "On Tue, 25 Nov 2025 at 10:00, Sam Seller <sam@sender.test> wrote:" in text
    assert "> Worth a chat?" in text


def test_a_broken_original_still_gets_an_answer():
    broken = read_received(b"Subject: =?bogus?Q?x?=\r\nContent-Type: multipart/mixed\r\n\r\n\xff")
    raw = build_reply(
        ProspectBehaviour("b@acme.test", "B", "C", "not_interested"), broken, to="s@x.test", now=NOW
    )
    assert b"Subject: Re: " in raw
