"""`inspect_file`: the JSON object `coldflow inspect-message --json` prints per file."""

from __future__ import annotations

import json
from pathlib import Path

from coldflow.listen.inspect import inspect_file

FIXTURES = Path(__file__).parent / "fixtures"
KEYS = ["file", "kind", "recipients", "original_message_id", "intent", "reply_text", "return_date"]


def test_it_gives_exactly_the_documented_keys_for_a_bounce():
    reading = inspect_file(FIXTURES / "dsn_truncated.eml")
    assert list(reading) == KEYS
    assert reading["kind"] == "bounce"
    assert reading["recipients"] == [
        {"address": "ghost@acme.example", "status": "5.1.1", "hard": True, "reason": "userunknown"}
    ]
    json.dumps(reading)


def test_it_writes_the_return_date_as_an_iso_string():
    reading = inspect_file(str(FIXTURES / "ooo_de.eml"))
    assert reading["file"] == str(FIXTURES / "ooo_de.eml")
    assert reading["return_date"] == "2024-08-19"
    assert reading["intent"] is None


def test_it_gives_a_reply_s_intent_and_own_words():
    reading = inspect_file(FIXTURES / "reply_interested_en.eml")
    assert (reading["kind"], reading["intent"]) == ("reply", "interested")
    assert reading["reply_text"].endswith("next Tuesday afternoon?")
    assert reading["recipients"] == []
