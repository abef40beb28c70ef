"""Abuse reports from feedback loops (ARF, RFC 5965)."""

from __future__ import annotations

from pathlib import Path

from coldflow.listen.classify import classify

FIXTURES = Path(__file__).parent / "fixtures"


def test_it_reads_an_arf_report_its_recipient_and_the_original_message_id():
    reading = classify((FIXTURES / "arf_abuse.eml").read_bytes())
    assert reading.kind == "complaint"
    assert [(r.address, r.reason, r.hard) for r in reading.recipients] == [
        ("jane.doe@acme.example", "feedback", False)
    ]
    assert reading.original_message_id == "<20240112105700.5@outreach.example>"


def test_it_takes_the_addressee_of_the_copy_when_the_report_names_no_recipient():
    raw = (
        (FIXTURES / "arf_abuse.eml")
        .read_bytes()
        .replace(b"Original-Rcpt-To: <jane.doe@acme.example>\n", b"")
    )
    reading = classify(raw)
    assert [r.address for r in reading.recipients] == ["jane.doe@acme.example"]
