"""Dates as blogs and news pages write them, in English and German: "2025-03-12",
"12 March 2025", "March 12, 2025", "12. März 2025", "12.03.2025", "Mar 12th, 2025"."""

from __future__ import annotations

import re
from datetime import date

from coldflow.research.extract.text_cache import short_text_cache

MONTHS = {
    "january": 1,
    "jan": 1,
    "januar": 1,
    "jänner": 1,
    "february": 2,
    "feb": 2,
    "februar": 2,
    "march": 3,
    "mar": 3,
    "märz": 3,
    "maerz": 3,
    "mär": 3,
    "mrz": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "mai": 5,
    "june": 6,
    "jun": 6,
    "juni": 6,
    "july": 7,
    "jul": 7,
    "juli": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    "dezember": 12,
    "dez": 12,
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(\d{1,2})(?:\s?(?:st|nd|rd|th))?"
_YEAR = r"((?:19|20)\d{2})"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b" + _YEAR + r"-(\d{1,2})-(\d{1,2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?" + _YEAR + r"\b"), "dmy"),
    (
        re.compile(r"\b" + _DAY + r"\.?\s+" + _MONTH + r"\.?,?\s+" + _YEAR + r"\b", re.I),
        "d_month_y",
    ),
    (re.compile(r"\b" + _MONTH + r"\.?\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I), "month_d_y"),
)

_YEAR_HINT = re.compile(_YEAR)


# Pages of one site repeat most of their lines, and posts read each line more than once.
@short_text_cache
def find_date(text: str) -> date | None:
    """The first date written in the text."""
    # Every pattern has a year; most lines have none.
    if not _YEAR_HINT.search(text):
        return None
    best: tuple[int, date] | None = None
    for pattern, order in _PATTERNS:
        for match in pattern.finditer(text):
            parsed = _to_date(match.groups(), order)
            if parsed is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), parsed)
                break
    return best[1] if best else None


def without_dates(text: str) -> str:
    for pattern, _ in _PATTERNS:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def parse_iso_date(text: str | None) -> date | None:
    """The date part of an ISO 8601 value ("2025-03-12T09:00:00+01:00")."""
    match = re.match(r"\s*((?:19|20)\d{2})-(\d{2})-(\d{2})", text or "")
    return _to_date(match.groups(), "ymd") if match else None


def _to_date(groups: tuple[str, ...], order: str) -> date | None:
    if order == "ymd":
        year, month, day = groups
    elif order == "dmy":
        day, month, year = groups
    elif order == "d_month_y":
        day, month, year = groups[0], str(MONTHS[groups[1].lower()]), groups[2]
    else:
        month, day, year = str(MONTHS[groups[0].lower()]), groups[1], groups[2]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
