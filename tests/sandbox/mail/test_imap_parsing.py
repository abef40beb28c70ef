"""Pure parsing of IMAP commands: tokens, sequence sets, search keys, fetch items."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coldflow.sandbox.mail.imap.fetch import header_fields, parse_fetch_items
from coldflow.sandbox.mail.imap.search import Bounds, Candidate, compile_search
from coldflow.sandbox.mail.imap.sequence_set import contains, parse_sequence_set
from coldflow.sandbox.mail.imap.wire import ParseError, tokenize
from coldflow.sandbox.mail.store import StoredMessage


def test_it_tokenizes_atoms_strings_lists_and_literals():
    segments = [b'a1 APPEND "Sent Items" (\\Seen) {5}', b"hello", b""]
    assert tokenize(segments) == ["a1", "APPEND", b"Sent Items", ["\\Seen"], b"hello"]


def test_a_fetch_section_stays_one_token_despite_its_spaces():
    tokens = tokenize([b"a UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0.100>)"])
    assert tokens[-1] == ["UID", "BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0.100>"]


def test_quoted_strings_unescape_quotes_and_backslashes():
    assert tokenize([rb'a LOGIN "sa\"m" "p\\w"']) == ["a", "LOGIN", b'sa"m', b"p\\w"]


@pytest.mark.parametrize("line", [b'a "open', b"a (x", b"a x)", b"a BODY[HEADER", b"a \x01"])
def test_malformed_commands_raise_parse_errors(line):
    with pytest.raises(ParseError):
        tokenize([line])


@given(st.binary(max_size=200))
@settings(max_examples=300, deadline=None)
def test_no_line_crashes_the_tokenizer(line):
    with contextlib.suppress(ParseError):
        tokenize([line.replace(b"{", b"(")])


def test_sequence_sets_cover_ranges_stars_and_reversed_ranges():
    ranges = parse_sequence_set("1:3,7,9:*,12:10")
    members = [n for n in range(1, 15) if contains(ranges, n, largest=14)]
    assert members == [1, 2, 3, 7, 9, 10, 11, 12, 13, 14]


@pytest.mark.parametrize("text", ["", "0", "1:0", "a", "1,,2", "1:2:3", "-1"])
def test_invalid_sequence_sets_are_refused(text):
    with pytest.raises(ParseError):
        parse_sequence_set(text)


def stored(uid: int, headers: str, flags=()) -> StoredMessage:
    raw = (headers + "\r\nbody text\r\n").encode()
    return StoredMessage(uid, raw, datetime(2025, 11, 25, 9, 0, tzinfo=UTC), set(flags))


def test_search_keys_nest_with_lists_not_and_or():
    messages = [
        stored(1, "Subject: Invoice\r\nFrom: a@x.test\r\n", ["\\Seen"]),
        stored(2, "Subject: Lunch\r\nFrom: b@x.test\r\n"),
        stored(3, "Subject: =?utf-8?q?Rechnung_f=C3=BCr_Sie?=\r\nFrom: c@x.test\r\n"),
    ]

    def search(*tokens):
        predicate = compile_search(list(tokens), Bounds(3, 3))
        return [m.uid for i, m in enumerate(messages) if predicate(Candidate(i + 1, m, False))]

    assert search("UNSEEN") == [2, 3]
    assert search("OR", "SEEN", ["FROM", b"c@"]) == [1, 3]
    assert search("NOT", ["SUBJECT", b"lunch"]) == [1, 3]
    assert search("SUBJECT", "Rechnung für".encode()) == [3]
    assert search("2:*") == [2, 3]
    assert search("ON", "25-Nov-2025", "SMALLER", "1000") == [1, 2, 3]


@pytest.mark.parametrize(
    "tokens", [[], ["NOT"], ["OR", "SEEN"], ["SINCE", "yesterday"], ["BOGUS"], ["LARGER", "x"]]
)
def test_incomplete_or_unknown_search_keys_are_parse_errors(tokens):
    with pytest.raises(ParseError):
        compile_search(tokens, Bounds(0, 0))


def test_deeply_nested_searches_are_refused_not_a_crash():
    nested = ["ALL"]
    for _ in range(500):
        nested = [nested]
    with pytest.raises(ParseError):
        compile_search(nested, Bounds(0, 0))


def test_fetch_macros_expand_and_sections_echo_without_peek():
    assert [i.kind for i in parse_fetch_items("FAST")] == ["FLAGS", "INTERNALDATE", "RFC822.SIZE"]
    [item] = parse_fetch_items(["BODY.PEEK[header.fields (Subject)]<5>"])
    assert item.response_name == "BODY[HEADER.FIELDS (SUBJECT)]<5>"
    assert not item.sets_seen
    with pytest.raises(ParseError):
        parse_fetch_items(["BODY[1.2.MIME]"])


def test_header_fields_keep_continuation_lines():
    header = b"Subject: a\r\n long\r\nFrom: x\r\nTo: y\r\n\r\n"
    assert header_fields(header, ("SUBJECT",), exclude=False) == b"Subject: a\r\n long\r\n\r\n"
    assert header_fields(header, ("SUBJECT",), exclude=True) == b"From: x\r\nTo: y\r\n\r\n"
