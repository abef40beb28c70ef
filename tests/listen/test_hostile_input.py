"""Huge, broken or malicious messages: bounded work, never a crash."""

from __future__ import annotations

import base64
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from coldflow.listen.classify import classify, mime

# Bounded work is checked by what is done (bytes parsed, parts visited, characters kept), not by
# the clock: timings belong in benchmarks/, and a loaded machine makes them flaky.


def test_it_reads_a_10_mb_message_correctly_parsing_only_its_first_megabyte():
    attachment = base64.encodebytes(os.urandom(7_500_000)).decode()
    raw = (
        "From: Jane Doe <jane@acme.example>\nTo: max@outreach.example\nSubject: Re: Demo\n"
        "In-Reply-To: <1@outreach.example>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nNo thanks, we're not interested.\n"
        "--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n"
        f"{attachment}\n--b--\n"
    ).encode()
    assert len(raw) > 10_000_000
    reading = classify(raw)
    assert (reading.kind, reading.intent) == ("reply", "not_interested")
    attachment_seen = mime.parse(raw).get_payload()[1].get_payload()
    assert len(attachment_seen) < mime.MAX_PARSE_BYTES


def test_it_bounds_the_work_on_a_message_of_thousands_of_parts():
    parts = "".join(f"--b\nContent-Type: text/plain\n\npart {n}\n" for n in range(20_000))
    raw = f"From: x@y.example\nSubject: Re: hi\nContent-Type: multipart/mixed; boundary=b\n\n{parts}--b--\n".encode()
    assert sum(1 for _ in mime.walk(mime.parse(raw))) == mime.MAX_PARTS
    assert classify(raw).kind == "reply"


def test_it_survives_a_header_of_a_megabyte():
    raw = b"From: x@y.example\nSubject: =?utf-8?q?" + b"A" * 900_000 + b"?=\n\nhello"
    reading = classify(raw)
    assert 0 < len(reading.subject) <= mime.MAX_HEADER_CHARS


def test_it_reads_nothing_into_an_empty_message():
    reading = classify(b"")
    assert reading.kind == "other"
    assert reading.recipients == ()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4000))
def test_it_never_raises_on_arbitrary_bytes(raw):
    classify(raw)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=1500))
def test_it_never_raises_on_an_arbitrary_bounce_body(body):
    raw = (
        "From: MAILER-DAEMON@mx.example\nSubject: Undelivered Mail Returned to Sender\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        f"--b\n\n{body}\n--b\nContent-Type: message/delivery-status\n\n{body}\n--b--\n"
    ).encode("utf-8", "surrogatepass")
    classify(raw)
