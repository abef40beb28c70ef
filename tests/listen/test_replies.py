"""A person's replies: their own words, their intent, and requests to be removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from coldflow.listen.classify import IntentReading, Referral, classify
from coldflow.listen.classify.reply_text import own_words

FIXTURES = Path(__file__).parent / "fixtures"


def _reply(body: str, subject: str = "Re: Faster invoicing", headers: str = "") -> bytes:
    return (
        "From: Jane Doe <jane@acme.example>\nTo: Max <max@outreach.example>\n"
        f"Subject: {subject}\nIn-Reply-To: <1@outreach.example>\n{headers}"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"{body}"
    ).encode()


def test_it_strips_the_quote_and_signature_of_an_interested_reply():
    reading = classify((FIXTURES / "reply_interested_en.eml").read_bytes())
    assert reading.kind == "reply"
    assert reading.intent == "interested"
    assert (
        reading.reply_text
        == "Hi Max,\n\nSounds interesting! Could we set up a call next Tuesday afternoon?"
    )
    assert reading.in_reply_to == "<20240108100000.1@outreach.example>"


def test_it_reads_a_german_referral_with_the_named_person_and_address():
    reading = classify((FIXTURES / "reply_referral_de.eml").read_bytes())
    assert reading.intent == "referral"
    assert reading.referral == Referral(name="Petra Schmidt", email="p.schmidt@firma.example")
    assert "Ursprüngliche" not in reading.reply_text


def test_it_takes_a_german_removal_request_for_an_unsubscribe():
    reading = classify((FIXTURES / "reply_unsubscribe_de.eml").read_bytes())
    assert reading.kind == "unsubscribe"
    assert reading.reply_text == "Bitte austragen, ich möchte keine weiteren E-Mails von Ihnen."


@pytest.mark.parametrize(
    "body",
    [
        "Please remove me from your list.",
        "Unsubscribe",
        "Keine weiteren E-Mails bitte.",
        "Merci de me désinscrire.",
        "Por favor, darme de baja.",
        "Not interested. Take me off your list.",
    ],
)
def test_a_removal_request_wins_over_any_intent(body):
    assert classify(_reply(body)).kind == "unsubscribe"


def test_the_unsubscribe_link_in_our_own_quoted_footer_is_not_a_request():
    body = "Sounds good, let's talk.\n\nOn Mon, 8 Jan 2024, Max wrote:\n> To unsubscribe, click here.\n> Unsubscribe\n"
    reading = classify(_reply(body))
    assert (reading.kind, reading.intent) == ("reply", "interested")


@pytest.mark.parametrize(
    ("body", "intent"),
    [
        ("Yes, I'd love to learn more. When are you free?", "interested"),
        ("Klingt interessant, lassen Sie uns telefonieren.", "interested"),
        ("Not right now, maybe reach out again in Q3.", "not_now"),
        ("Derzeit nicht, melden Sie sich gerne in ein paar Monaten wieder.", "not_now"),
        ("No thanks, we're not interested.", "not_interested"),
        ("Kein Interesse, danke.", "not_interested"),
        ("I'm not the right person for this.", "referral"),
        ("Could you send me a few time slots for a call next week?", "interested"),
        ("Gerne können wir sprechen. Passt Ihnen Donnerstag?", "interested"),
        (
            "Our budget for this year is already allocated. Let's talk again in the new year.",
            "not_now",
        ),
        ("Das Budget ist leider schon verplant, sprechen Sie mich im neuen Jahr an.", "not_now"),
        ("This isn't something we need.", "not_interested"),
        ("Our current tool handles this already, so no thanks.", "not_interested"),
        ("How much does it cost per user?", "question"),
        ("Was kostet das pro Monat?", "question"),
    ],
)
def test_it_reads_the_intent_of_replies_in_english_and_german(body, intent):
    assert classify(_reply(body)).intent == intent


def test_it_names_the_person_an_english_reply_refers_us_to():
    reading = classify(_reply("You should talk to our CTO, Mark Smith (mark@acme.example)."))
    assert reading.intent == "referral"
    assert reading.referral == Referral(name="Mark Smith", email="mark@acme.example")


def test_it_names_the_person_a_reply_says_is_responsible():
    reading = classify(_reply("Petra Schmidt (petra@acme.example) is responsible for this topic."))
    assert reading.referral == Referral(name="Petra Schmidt", email="petra@acme.example")


def test_it_says_so_when_no_rule_recognises_the_reply():
    assert classify(_reply("Noted.")).intent is None


def test_a_configured_intent_reader_decides_before_the_rules():
    reading = classify(
        _reply("Kein Interesse."), intent_reader=lambda text: IntentReading("interested")
    )
    assert reading.intent == "interested"


def test_the_rules_decide_when_the_intent_reader_declines():
    reading = classify(_reply("Kein Interesse."), intent_reader=lambda text: None)
    assert reading.intent == "not_interested"


def test_it_strips_an_outlook_header_block_and_a_mobile_footer():
    text = (
        "Not now.\n\nSent from my iPhone\n\n________________________________\n"
        "From: Max <max@outreach.example>\nSent: Monday, January 8, 2024 10:00 AM\n"
        "To: Jane Doe\nSubject: Demo\n\nHi Jane"
    )
    assert own_words(text) == "Not now."


def test_it_strips_interleaved_quoted_lines_and_a_signature_delimiter():
    text = "> Would you like a demo?\nYes please.\n> Tuesday?\nWorks.\n-- \nJane Doe\nAcme"
    assert own_words(text) == "Yes please.\nWorks."


def test_it_reads_the_own_words_of_an_html_only_reply():
    html = (
        "<html><body><div>Not interested, thanks.</div><br>"
        '<div class="gmail_quote"><div>On Mon, 8 Jan 2024 at 10:00, Max &lt;max@outreach.example&gt; wrote:</div>'
        "<blockquote>Would you like a demo?</blockquote></div></body></html>"
    )
    raw = _reply(html).replace(b"text/plain", b"text/html")
    reading = classify(raw)
    assert (reading.reply_text, reading.intent) == ("Not interested, thanks.", "not_interested")


def test_a_newsletter_is_other_even_when_it_asks_something():
    raw = _reply(
        "What's new this week?",
        subject="Weekly digest",
        headers="List-Unsubscribe: <mailto:u@x.example>\n",
    )
    assert classify(raw).kind == "other"


def test_it_reads_a_reply_written_below_the_quote():
    text = "On Mon, 8 Jan 2024, Max wrote:\n> Want a demo?\n\nPlease remove me from your list.\n\n-- \nJane"
    assert own_words(text) == "Please remove me from your list."
