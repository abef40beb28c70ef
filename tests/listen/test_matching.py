"""Tying inbound mail to what we sent: each method, in order."""

from __future__ import annotations

import itertools

import pytest

from coldflow.listen import verp
from coldflow.listen.inbox import DatabaseLookup, ListenSettings, store_message
from coldflow.listen.matching import normalise_subject
from coldflow.listen.reader import FetchedMessage
from tests.listen.factory import Factory, delivery_report, reply_to

pytestmark = pytest.mark.django_db
_uids = itertools.count(1)
KEY = "verp-test-key"


@pytest.fixture
def world() -> Factory:
    return Factory()


def stored(world: Factory, raw: bytes, verp_key: str | None = None):
    fetched = FetchedMessage("INBOX", 7, next(_uids), len(raw), raw)
    inbound, _ = store_message(
        world.mailbox,
        fetched,
        DatabaseLookup(world.mailbox),
        frozenset({world.mailbox.email}),
        ListenSettings(verp_key=verp_key),
    )
    return inbound


def test_a_reply_is_matched_by_in_reply_to(world):
    anna = world.sent("anna@acme.test")
    world.sent("bob@acme.test")
    inbound = stored(world, reply_to(anna.message, "Interested, tell me more."))
    assert inbound.matched_message == anna.message and inbound.lead == anna.lead
    assert inbound.match_method == "in_reply_to"


def test_references_are_used_when_in_reply_to_points_elsewhere(world):
    anna = world.sent("anna@acme.test")
    raw = reply_to(
        None,
        "Forwarding to my colleague, she'll answer.",
        sender="anna@acme.test",
        subject="Re: something",
        headers={
            "In-Reply-To": "<their-own-message@acme.test>",
            "References": f"<older@acme.test> {anna.message.message_id} <their-own-message@acme.test>",
        },
    )
    inbound = stored(world, raw)
    assert (inbound.matched_message, inbound.match_method) == (anna.message, "references")


def test_a_bounce_to_a_verp_address_is_matched_when_verp_is_configured(world):
    anna = world.sent("anna@acme.test")
    world.sent("bob@acme.test")
    address = verp.return_path("sam@sender.test", anna.message.pk, KEY)

    def report() -> bytes:
        # Nothing in it names the message: no Message-ID, another subject.
        raw = delivery_report(anna.message, to=address, include_message_id=False)
        return raw.replace(b"Subject: Quick", b"Subject: Other")

    assert stored(world, report(), verp_key=KEY).match_method == "verp"
    assert stored(world, report(), verp_key=None).match_method == ""


def test_a_verp_address_with_a_wrong_signature_names_no_message():
    address = verp.return_path("sam@sender.test", 42, KEY)
    assert verp.message_pk(address, KEY) == 42
    assert verp.message_pk(address.replace("+cf-42-", "+cf-43-"), KEY) is None
    assert verp.message_pk(address, "another key") is None
    assert verp.message_pk("sam@sender.test", KEY) is None


@pytest.mark.parametrize("attach", ["text/rfc822-headers", "message/rfc822"])
def test_a_delivery_report_is_matched_by_the_original_message_inside(world, attach):
    world.sent("bob@acme.test")
    anna = world.sent("anna@acme.test")
    inbound = stored(world, delivery_report(anna.message, attach=attach))
    assert inbound.kind == "bounce"
    assert (inbound.matched_message, inbound.match_method) == (anna.message, "dsn_original")


def test_an_unthreaded_reply_is_matched_by_sender_and_subject(world):
    anna = world.sent("anna@acme.test", subject="Quick question about your shop")
    later = world.follow_up(anna, subject="Another topic", days_later=1)
    raw = reply_to(
        None,
        "Yes, interested.",
        sender="Anna <ANNA@acme.test>",
        subject="AW: Re:  Quick question about your   shop",
        threaded=False,
    )
    inbound = stored(world, raw)
    assert (inbound.matched_message, inbound.match_method) == (anna.message, "sender_subject")
    assert inbound.matched_message != later


def test_mail_from_a_stranger_or_about_another_subject_stays_unmatched(world):
    world.sent("anna@acme.test")
    stranger = stored(world, reply_to(None, "Hello", sender="eve@else.test", subject="Re: hi"))
    other_subject = stored(
        world, reply_to(None, "Hi", sender="anna@acme.test", subject="Re: lunch", threaded=False)
    )
    assert (stranger.matched_message, stranger.match_method) == (None, "")
    assert (other_subject.matched_message, other_subject.match_method) == (None, "")


def test_subjects_are_compared_without_reply_and_auto_reply_prefixes():
    assert normalise_subject("RE: Fwd: AW:  Hello  World") == "hello world"
    assert normalise_subject("Out of Office: Re: Hello world") == "hello world"
    assert normalise_subject("Automatische Antwort: AW: Hello world") == "hello world"
    assert normalise_subject("Reply needed") == "reply needed"
