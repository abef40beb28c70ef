"""Phone numbers: tel: links first, then numbers labelled as phone numbers in the text, then
structured data. Fax numbers are left out."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

import phonenumbers

from coldflow.research.extract.countries import country_of_domain
from coldflow.research.extract.facts import PhoneFact
from coldflow.research.extract.page import Page
from coldflow.research.extract.structured_data import StructuredItem, text_values
from coldflow.research.extract.text_cache import short_text_cache

MAX_PHONES = 50
_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().\/–-]{5,22}\d(?![\w])")
# Lines without a digit hold no candidate: tested first, since most lines have none.
_DIGIT = re.compile(r"\d")
# A label right before the number says what it is.
_PHONE_LABEL = re.compile(
    r"(?:tel(?:efon|ephone)?|phone|fon|mobil(?:e|funk)?|handy|cell|call|ruf|hotline|zentrale|"
    r"switchboard|\bt|\bp|\bm|☎|📞)\.?\s*:?\s*$",
    re.I,
)
_FAX_LABEL = re.compile(r"(?:fax|telefax|\bf)\.?\s*:?\s*$", re.I)
_LANGUAGE_REGIONS = {
    "de": "DE",
    "en": "US",
    "fr": "FR",
    "nl": "NL",
    "it": "IT",
    "es": "ES",
    "pl": "PL",
}


def phone_region(host: str, language: str | None, country: str | None) -> str | None:
    """Region to read national numbers in: the address's country, the ccTLD, the page language."""
    if country and len(country) == 2:
        return country.upper()
    region = country_of_domain(host)
    if region in phonenumbers.SUPPORTED_REGIONS:
        return region
    if language:
        parts = language.split("-")
        if len(parts) > 1 and parts[1].upper() in phonenumbers.SUPPORTED_REGIONS:
            return parts[1].upper()
        return _LANGUAGE_REGIONS.get(parts[0])
    return None


def find_phones(page: Page, items: list[StructuredItem], region: str | None) -> list[PhoneFact]:
    found: dict[str, PhoneFact] = {}

    def add(
        text: str, method: str, confidence: float, *, strict: bool, display: str | None = None
    ) -> None:
        number = _parse(text, region, strict=strict)
        display = display or text
        if number is not None and number not in found and len(found) < MAX_PHONES:
            found[number] = PhoneFact(
                number, " ".join(display.split()), method, confidence, page.url
            )

    for link in page.links:
        if link.href[:4].lower() == "tel:":
            shown = link.text if sum(ch.isdigit() for ch in link.text) >= 6 else None
            add(unquote(link.href[4:]), "tel_link", 0.95, strict=False, display=shown)
    for line in page.lines:
        for number, labelled in _numbers_in_line(line.text):
            if labelled:
                add(number, "labelled_text", 0.85, strict=False)
            else:
                add(number, "international_text", 0.7, strict=True)
    for item in items:
        for value in text_values(item.properties.get("telephone")):
            add(value, item.method, 0.9, strict=False)
    return list(found.values())


# Pages of one site repeat most of their lines: each line is read once.
@short_text_cache
def _numbers_in_line(text: str) -> tuple[tuple[str, bool], ...]:
    """(number as written, labelled as a phone number) for the labelled and the international
    numbers of a line, fax numbers left out."""
    if len(text) > 400 or not _DIGIT.search(text):
        return ()
    numbers = []
    for match in _CANDIDATE.finditer(text):
        before = text[max(0, match.start() - 24) : match.start()]
        if _FAX_LABEL.search(before):
            continue
        if _PHONE_LABEL.search(before):
            numbers.append((match.group(), True))
        elif match.group().startswith(("+", "00")):
            numbers.append((match.group(), False))
    return tuple(numbers)


# The same numbers (header, footer, contact box) recur on every page of a site, and parsing is
# the costly part of phone extraction.
@lru_cache(maxsize=4096)
def _parse(text: str, region: str | None, *, strict: bool) -> str | None:
    """E.164, or None. Labelled numbers need only a possible length for their country
    (published numbers include ranges the metadata calls unassigned); unlabelled ones must be
    valid, since digit runs in text are often something else."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    valid = (
        phonenumbers.is_valid_number(number) if strict else phonenumbers.is_possible_number(number)
    )
    if not valid:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
