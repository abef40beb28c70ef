"""The classifier on 295 real bounce, auto-reply and complaint mails (the sisimai collection)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coldflow.listen.classify import classify

# A copy of the collection travels with the tests (BSD 2-Clause; see its README).
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "sisimai"


@pytest.fixture(scope="module")
def readings() -> list[tuple[dict, object]]:
    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
    return [
        (expected, classify((SAMPLES / "eml" / expected["file"]).read_bytes()))
        for expected in truth
    ]


def _sample(name: str):
    return classify((SAMPLES / "eml" / name).read_bytes())


def test_it_reads_the_kind_of_at_least_98_percent_of_the_samples(readings):
    right = sum(reading.kind == expected["kind"] for expected, reading in readings)
    assert right / len(readings) >= 0.98


def test_it_counts_the_failed_recipients_of_at_least_95_percent_of_the_bounces(readings):
    bounces = [
        (expected, reading) for expected, reading in readings if expected["kind"] == "bounce"
    ]
    right = sum(
        len(reading.recipients) == len(expected["recipients"]) for expected, reading in bounces
    )
    assert right / len(bounces) >= 0.95


def test_it_gets_the_status_and_hardness_of_at_least_95_percent_of_failed_recipients(readings):
    statuses = hardness = with_status = total = 0
    for expected, reading in readings:
        if expected["kind"] != "bounce":
            continue
        for position, want in enumerate(expected["recipients"]):
            have = reading.recipients[position] if position < len(reading.recipients) else None
            total += 1
            hardness += have is not None and have.hard == want["hard"]
            if want["status"]:
                with_status += 1
                statuses += have is not None and have.status == want["status"]
    assert statuses / with_status >= 0.95
    assert hardness / total >= 0.95


def test_it_reads_an_exim_report_without_a_delivery_status_part():
    reading = _sample("lhost-exim-05.eml")
    assert reading.kind == "bounce"
    assert [(r.address, r.status, r.reason, r.hard) for r in reading.recipients] == [
        ("kijitora@neko.example.co.jp", "5.1.1", "userunknown", True)
    ]
    assert reading.original_message_id == "<19990429233445.000000@mx4.example.org>"


def test_it_reads_each_recipient_of_a_multi_recipient_postfix_report():
    reading = _sample("lhost-postfix-13.eml")
    assert [(r.status, r.reason, r.hard) for r in reading.recipients] == [
        ("5.2.1", "userunknown", True),
        ("5.2.2", "mailboxfull", False),
    ]


def test_it_takes_a_pseudo_status_code_from_the_reason_when_the_report_gives_none():
    reading = _sample("lhost-exchange2003-01.eml")
    assert [(r.status, r.reason, r.hard) for r in reading.recipients] == [
        ("5.0.911", "userunknown", True)
    ]


def test_it_reads_amazon_ses_notifications_delivered_by_sns():
    bounce, complaint = _sample("lhost-amazonses-09.eml"), _sample("lhost-amazonses-11.eml")
    assert bounce.kind == "bounce"
    assert [(r.address, r.status, r.hard) for r in bounce.recipients] == [
        ("bounce@simulator.amazonses.com", "5.1.1", True)
    ]
    assert complaint.kind == "complaint"
    assert [r.address for r in complaint.recipients] == ["complaint@simulator.amazonses.com"]


def test_it_reads_an_arf_report_with_two_original_recipients():
    reading = _sample("arf-17.eml")
    assert reading.kind == "complaint"
    assert [r.address for r in reading.recipients] == [
        "kijitora@example.com",
        "sabatora@example.net",
    ]
    assert reading.original_message_id == "<EEEEEEEE-0000-0000-0000-EEEEEEEE2222@example.net>"


def test_it_reads_the_return_date_of_an_rfc3834_auto_reply():
    reading = _sample("rfc3834-01.eml")
    assert reading.kind == "auto_reply"
    assert reading.return_date.isoformat() == "2005-05-05"
