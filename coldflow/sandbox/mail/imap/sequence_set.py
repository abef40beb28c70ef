"""IMAP sequence sets ("1:4,7,9:*") over message sequence numbers or UIDs."""

from __future__ import annotations

import re

from coldflow.sandbox.mail.imap.wire import ParseError

_PART = re.compile(r"^(\d+|\*)(?::(\d+|\*))?$")
MAX_PARTS = 10_000

# A range's ends; None stands for "*", the largest number in use.
Range = tuple[int | None, int | None]


def parse_sequence_set(text: str) -> list[Range]:
    parts = text.split(",")
    if not text or len(parts) > MAX_PARTS:
        raise ParseError("invalid sequence set")
    ranges: list[Range] = []
    for part in parts:
        match = _PART.match(part)
        if match is None:
            raise ParseError("invalid sequence set")
        first = _number(match.group(1))
        last = _number(match.group(2)) if match.group(2) else first
        if first == 0 or last == 0:
            raise ParseError("0 is not a valid message number")
        ranges.append((first, last))
    return ranges


def is_sequence_set(text: str) -> bool:
    try:
        parse_sequence_set(text)
    except ParseError:
        return False
    return True


def _number(text: str) -> int | None:
    return None if text == "*" else int(text)


def contains(ranges: list[Range], value: int, largest: int) -> bool:
    """Whether `value` is in the set, "*" meaning `largest`; a:b and b:a are the same range."""
    for first, last in ranges:
        low = largest if first is None else first
        high = largest if last is None else last
        if low > high:
            low, high = high, low
        if low <= value <= high:
            return True
    return False


def highest_explicit(ranges: list[Range]) -> int:
    return max((n for r in ranges for n in r if n is not None), default=0)
