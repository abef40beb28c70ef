"""Founding year and company size, from structured data or from how sites say it:
"founded in 2009", "gegründet 2009", "seit 1998", "50 employees", "team of 12",
"über 200 Mitarbeiter"."""

from __future__ import annotations

import re
from datetime import date

from coldflow.research.extract.facts import CompanyFact
from coldflow.research.extract.page import Page
from coldflow.research.extract.structured_data import StructuredItem, text_value
from coldflow.research.extract.text_cache import short_text_cache

_YEAR = r"((?:18|19|20)\d{2})"
_FOUNDED = [
    (
        re.compile(
            r"\b(?:founded|established|gegründet|gründung(?:sjahr)?|incorporated)\b[^.\d]{0,30}?"
            + _YEAR,
            re.I,
        ),
        0.85,
    ),
    (re.compile(r"\b(?:est\.|estd\.?)\s*" + _YEAR, re.I), 0.8),
    (re.compile(_YEAR + r"[^.\d]{0,40}?\b(?:gegründet|founded|established)\b", re.I), 0.8),
    (
        re.compile(
            r"\b(?:since|seit|started\s+in|began\s+in)\s+(?:dem\s+jahr\s+|the\s+year\s+)?"
            + _YEAR
            + r"\b",
            re.I,
        ),
        0.6,
    ),
]
_NUMBER = r"(\d{1,3}(?:[.,]\d{3})+|\d{1,6})"
_QUALIFIER = (
    r"(?:(?:over|more\s+than|about|around|nearly|almost|approximately|approx\.|some|roughly|"
)
_QUALIFIER += r"über|mehr\s+als|rund|ca\.|circa|etwa|knapp|fast)\s+)?"
_SIZE = [
    re.compile(
        _QUALIFIER
        + _NUMBER
        + r"\s*\+?\s*(?:full[- ]time\s+)?(?:employees|staff(?:\s+members)?|team\s+members|"
        r"colleagues|engineers|specialists|professionals|experts)\b",
        re.I,
    ),
    re.compile(r"\bteam\s+of\s+" + _QUALIFIER + _NUMBER + r"\b", re.I),
    re.compile(r"\bwe\s+are\s+" + _QUALIFIER + _NUMBER + r"\s*\+?\s+people\b", re.I),
    re.compile(_NUMBER + r"[- ](?:person|people|strong)\s+team\b", re.I),
    re.compile(
        _QUALIFIER
        + _NUMBER
        + r"\s*\+?\s*(?:Mitarbeiter(?:innen|n)?(?:\s+und\s+Mitarbeiter(?:innen|n)?)?|"
        r"Mitarbeitende[n]?|Beschäftigte[n]?|Angestellte[n]?|Kolleg(?:inn)?en|Fachkräfte[n]?)\b",
        re.I,
    ),
    re.compile(r"\bTeam\s+(?:aus|von)\s+" + _QUALIFIER + _NUMBER + r"\b", re.I),
]

# Cheap tests every line must pass before the patterns above are tried (most lines fail them):
# each pattern needs a year, or a number and one of these words.
_FOUNDED_HINT = re.compile(_YEAR)
_SIZE_HINT = re.compile(
    r"employees|staff|team|colleagues|engineers|specialists|professionals|experts|people|"
    r"mitarbeit|beschäftigte|angestellte|kolleg|fachkräfte",
    re.I,
)
_DIGIT = re.compile(r"\d")


def find_founding_year(page: Page, organisations: list[StructuredItem]) -> CompanyFact | None:
    this_year = date.today().year
    for item in organisations:
        text = text_value(item.properties.get("foundingDate")) or ""
        match = re.match(r"\s*((?:18|19|20)\d{2})", text)
        if match and int(match.group(1)) <= this_year:
            return CompanyFact(int(match.group(1)), item.method, 0.95, page.url)
    best: CompanyFact | None = None
    for text in _texts(page):
        found = _founding_year_in(text, this_year)
        if found is not None and (best is None or found[1] > best.confidence):
            best = CompanyFact(found[0], "text", found[1], page.url)
    return best


# Pages of one site repeat most of their lines: each line is read once.
@short_text_cache
def _founding_year_in(text: str, this_year: int) -> tuple[int, float] | None:
    """(year, confidence) of the first pattern finding a past year in the text."""
    if not _FOUNDED_HINT.search(text):
        return None
    for pattern, confidence in _FOUNDED:
        match = pattern.search(text)
        if match and int(match.group(1)) <= this_year:
            return int(match.group(1)), confidence
    return None


def find_size(page: Page, organisations: list[StructuredItem]) -> CompanyFact | None:
    for item in organisations:
        value = item.properties.get("numberOfEmployees")
        if isinstance(value, dict):
            value = value.get("value") or value.get("maxValue") or value.get("minValue")
        employees = _number(text_value(value) or "")
        if employees:
            return CompanyFact(
                {"text": str(employees), "employees": employees}, item.method, 0.9, page.url
            )
    for text in _texts(page):
        found = _size_in(text)
        if found is not None:
            return CompanyFact({"text": found[0], "employees": found[1]}, "text", 0.7, page.url)
    return None


@short_text_cache
def _size_in(text: str) -> tuple[str, int] | None:
    """(the words saying it, employees) of the first size the text states."""
    if not (_DIGIT.search(text) and _SIZE_HINT.search(text)):
        return None
    for pattern in _SIZE:
        match = pattern.search(text)
        if match:
            employees = _number(match.group(1))
            if employees and employees < 1_000_000:
                return match.group(0).strip(), employees
    return None


def _texts(page: Page) -> list[str]:
    texts = [line.text for line in page.lines if len(line.text) <= 600]
    description = page.meta("description", "og:description")
    return texts + [description] if description else texts


def _number(text: str) -> int | None:
    digits = re.sub(r"[.,](?=\d{3}\b)", "", text.strip())
    return int(digits) if digits.isdigit() and int(digits) > 0 else None
