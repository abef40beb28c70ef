"""Out-of-office and other automatic replies, and the date they say the person is back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from coldflow.listen.classify import classify
from coldflow.listen.classify.return_date import return_date

FIXTURES = Path(__file__).parent / "fixtures"


def _message(subject: str, body: str, headers: str = "") -> bytes:
    return (
        "From: Jane Doe <jane@acme.example>\nTo: max@outreach.example\n"
        f"Subject: {subject}\nDate: Mon, 05 Aug 2024 07:30:00 +0200\n"
        "In-Reply-To: <1@outreach.example>\n"
        f"{headers}\n{body}"
    ).encode()


def test_it_reads_a_german_out_of_office_and_its_return_date():
    reading = classify((FIXTURES / "ooo_de.eml").read_bytes())
    assert reading.kind == "auto_reply"
    assert reading.return_date == date(2024, 8, 19)
    assert [(r.address, r.reason) for r in reading.recipients] == [
        ("p.schmidt@firma.example", "vacation")
    ]


def test_it_recognises_an_outlook_automatic_reply_by_its_subject():
    raw = _message("Automatic reply: Faster invoicing", "I am out of the office until August 12.")
    reading = classify(raw)
    assert reading.kind == "auto_reply"
    assert reading.return_date == date(2024, 8, 12)


def test_it_recognises_an_autoresponder_by_its_x_autoreply_header():
    assert (
        classify(_message("Re: Faster invoicing", "Thanks!", "X-Autoreply: yes\n")).kind
        == "auto_reply"
    )


def test_it_does_not_take_a_person_s_reply_about_absence_software_for_an_auto_reply():
    raw = _message("Re: absence management for your team", "Yes, let's talk on Tuesday.")
    assert classify(raw).kind == "reply"


def test_it_keeps_a_person_s_reply_that_mentions_their_vacation_a_reply():
    raw = _message(
        "Re: Faster invoicing", "I'm on vacation this week, but interested: let's talk on the 19th."
    )
    assert classify(raw).kind == "reply"


def test_it_recognises_a_bare_absence_notice_outside_a_thread():
    raw = (
        b"From: Jane Doe <jane@acme.example>\nTo: max@outreach.example\nSubject: Faster invoicing\n"
        b"Date: Thu, 1 Aug 2024 09:00:00 +0000\n\n"
        b"I am currently out of the office and will return on 12 August 2024.\n"
    )
    reading = classify(raw)
    assert (reading.kind, reading.return_date) == ("auto_reply", date(2024, 8, 12))


def test_it_reads_return_dates_in_several_languages_and_formats():
    received = date(2024, 8, 1)
    assert return_date("I'll be back on Monday, 12 August.", received) == date(2024, 8, 12)
    assert return_date("Out of office until 08/20/2024.", received) == date(2024, 8, 20)
    assert return_date("Je suis absent jusqu'au 20 août, de retour le 21 août.", received) == date(
        2024, 8, 21
    )
    assert return_date("Estoy fuera hasta el 15 de agosto.", received) == date(2024, 8, 15)
    assert return_date("Ich bin ab 1.8. im Urlaub und ab dem 19.08. wieder da.", received) == date(
        2024, 8, 19
    )


def test_it_counts_the_day_after_an_inclusive_absence():
    received = date(2024, 8, 1)
    assert return_date("Out through August 16.", received) == date(2024, 8, 17)


def test_it_puts_a_date_without_a_year_after_the_message():
    assert return_date("Back on January 3rd.", date(2024, 12, 20)) == date(2025, 1, 3)


def test_it_returns_no_date_when_the_text_names_none():
    assert (
        return_date("I am away with limited access to email. Meeting at 10.30.", date(2024, 8, 1))
        is None
    )
