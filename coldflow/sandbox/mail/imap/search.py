"""SEARCH criteria (RFC 3501 section 6.4.4) compiled to a predicate over messages."""

from __future__ import annotations

import email.header
import email.policy
import email.utils
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from coldflow.sandbox.mail.imap.sequence_set import contains, is_sequence_set, parse_sequence_set
from coldflow.sandbox.mail.imap.wire import ParseError, Token, text_of
from coldflow.sandbox.mail.store import StoredMessage

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MAX_DEPTH = 50


@dataclass(frozen=True)
class Candidate:
    seq: int
    message: StoredMessage
    recent: bool


@dataclass(frozen=True)
class Bounds:
    """What "*" means in sequence sets: the last sequence number and the largest UID."""

    last_seq: int
    last_uid: int


Predicate = Callable[[Candidate], bool]

_FLAG_KEYS = {
    "ANSWERED": ("\\Answered", True),
    "DELETED": ("\\Deleted", True),
    "DRAFT": ("\\Draft", True),
    "FLAGGED": ("\\Flagged", True),
    "SEEN": ("\\Seen", True),
    "UNANSWERED": ("\\Answered", False),
    "UNDELETED": ("\\Deleted", False),
    "UNDRAFT": ("\\Draft", False),
    "UNFLAGGED": ("\\Flagged", False),
    "UNSEEN": ("\\Seen", False),
}
_ADDRESS_KEYS = {"BCC", "CC", "FROM", "TO", "SUBJECT"}


def parse_imap_date(text: str) -> date:
    try:
        day, month, year = text.split("-")
        return date(int(year), MONTHS.index(month.capitalize()) + 1, int(day))
    except ValueError as error:
        raise ParseError(f"invalid date {text!r}") from error


def compile_search(tokens: list[Token], bounds: Bounds, depth: int = 0) -> Predicate:
    if depth > MAX_DEPTH:
        raise ParseError("search nested too deeply")
    if not tokens:
        raise ParseError("empty search")
    position = 0
    predicates = []
    while position < len(tokens):
        predicate, position = _key(tokens, position, bounds, depth)
        predicates.append(predicate)
    return lambda c: all(p(c) for p in predicates)


def _key(tokens: list[Token], pos: int, bounds: Bounds, depth: int) -> tuple[Predicate, int]:
    if depth > MAX_DEPTH:
        raise ParseError("search nested too deeply")
    token = tokens[pos]
    if isinstance(token, list):
        inner = compile_search(token, bounds, depth + 1)
        return inner, pos + 1
    name = text_of(token)
    key = name.upper()

    def argument(offset: int = 1) -> Token:
        if pos + offset >= len(tokens):
            raise ParseError(f"{key} needs an argument")
        return tokens[pos + offset]

    if key == "ALL":
        return (lambda c: True), pos + 1
    if key in _FLAG_KEYS:
        flag, wanted = _FLAG_KEYS[key]
        return (lambda c: (flag in c.message.flags) == wanted), pos + 1
    if key == "RECENT":
        return (lambda c: c.recent), pos + 1
    if key == "OLD":
        return (lambda c: not c.recent), pos + 1
    if key == "NEW":
        return (lambda c: c.recent and "\\Seen" not in c.message.flags), pos + 1
    if key in ("KEYWORD", "UNKEYWORD"):
        keyword = text_of(argument()).lower()
        wanted = key == "KEYWORD"

        def has_keyword(c: Candidate) -> bool:
            present = any(f.lower() == keyword for f in c.message.flags)
            return present == wanted

        return has_keyword, pos + 2
    if key in _ADDRESS_KEYS:
        needle = text_of(argument()).casefold()
        return (lambda c: _header_contains(c.message, key, needle)), pos + 2
    if key == "HEADER":
        field = text_of(argument())
        needle = text_of(argument(2)).casefold()
        return (lambda c: _header_contains(c.message, field, needle)), pos + 3
    if key == "BODY":
        needle = text_of(argument()).casefold()
        return (lambda c: needle in _body_text(c.message).casefold()), pos + 2
    if key == "TEXT":
        needle = text_of(argument()).casefold()
        return (lambda c: needle in _full_text(c.message).casefold()), pos + 2
    if key in ("BEFORE", "ON", "SINCE"):
        day = parse_imap_date(text_of(argument()))
        return _date_test(key, day, lambda c: c.message.internal_date.date()), pos + 2
    if key in ("SENTBEFORE", "SENTON", "SENTSINCE"):
        day = parse_imap_date(text_of(argument()))
        return _date_test(key[4:], day, _sent_date), pos + 2
    if key in ("LARGER", "SMALLER"):
        size = _number(argument())
        if key == "LARGER":
            return (lambda c: len(c.message.raw) > size), pos + 2
        return (lambda c: len(c.message.raw) < size), pos + 2
    if key == "UID":
        ranges = parse_sequence_set(text_of(argument()))
        return (lambda c: contains(ranges, c.message.uid, bounds.last_uid)), pos + 2
    if key == "NOT":
        if pos + 1 >= len(tokens):
            raise ParseError("NOT needs a key")
        inner, after = _key(tokens, pos + 1, bounds, depth + 1)
        return (lambda c: not inner(c)), after
    if key == "OR":
        if pos + 1 >= len(tokens):
            raise ParseError("OR needs two keys")
        left, middle = _key(tokens, pos + 1, bounds, depth + 1)
        if middle >= len(tokens):
            raise ParseError("OR needs two keys")
        right, after = _key(tokens, middle, bounds, depth + 1)
        return (lambda c: left(c) or right(c)), after
    if isinstance(token, str) and is_sequence_set(name):
        ranges = parse_sequence_set(name)
        return (lambda c: contains(ranges, c.seq, bounds.last_seq)), pos + 1
    raise ParseError(f"unknown search key {name[:40]!r}")


def _number(token: Token) -> int:
    text = text_of(token)
    if not text.isdigit():
        raise ParseError("expected a number")
    return int(text)


def _date_test(
    comparison: str, day: date, date_of: Callable[[Candidate], date | None]
) -> Predicate:
    def test(c: Candidate) -> bool:
        value = date_of(c)
        if value is None:
            return False
        if comparison == "BEFORE":
            return value < day
        if comparison == "ON":
            return value == day
        return value >= day

    return test


def _sent_date(c: Candidate) -> date | None:
    value = c.message.headers.get("Date")
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(str(value)).date()
    except (TypeError, ValueError):
        return None


def decoded_header(value: str) -> str:
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except Exception:  # undecodable encoded-words: match on the raw text
        return value


def _header_contains(message: StoredMessage, field: str, needle: str) -> bool:
    values = message.headers.get_all(field) or []
    return any(needle in decoded_header(str(value)).casefold() for value in values)


def _body_text(message: StoredMessage) -> str:
    try:
        parsed = email.message_from_bytes(message.raw, policy=email.policy.default)
        texts = [
            part.get_content()
            for part in parsed.walk()
            if part.get_content_maintype() == "text" and not part.is_multipart()
        ]
        return "\n".join(t for t in texts if isinstance(t, str))
    except Exception:  # broken MIME: fall back to the raw body
        return message.body_bytes.decode("utf-8", "replace")


def _full_text(message: StoredMessage) -> str:
    return message.header_bytes.decode("utf-8", "replace") + _body_text(message)
