"""Phone numbers: tel: links first, then numbers labelled as phone numbers in the text or by
the markup (an element classed "phone" or "tel", as in h-card; a table column headed "Phone"),
numbers alone on their line in a phone number's national form, then structured data. Fax
numbers are left out: coldflow's users call people, they do not fax them."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

import phonenumbers
from selectolax.lexbor import LexborNode

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
    r"(?:tel(?:efon|ephone|éfono|efono|efoon)?|tél(?:éphone)?|phone|\bph|fon|mobil(?:e|funk)?|"
    r"\bmob|handy|cell|call(?:\s+us)?(?:\s+(?:today|now|on|at))?|ruf|hotline|helpline|\bline|zentrale|"
    r"switchboard|direkt|direct|durchwahl|whatsapp|\btlf|\bt|\bp|\bm|☎|📞)\.?\s*:?\s*$",
    re.I,
)
# Markup that says an element holds a phone number: h-card's "p-tel", "tel", "phone",
# "#et-info-phone", itemprop="telephone".
_PHONE_MARKUP = re.compile(r"(?:^|[\s_-])(?:p-)?tel(?:$|[\s_-])|phone|telefon", re.I)
_PHONE_HEADER = re.compile(
    r"^(?:direct\s+)?(?:tel(?:efon|ephone)?|t[ée]l[ée]phone|phone(?:\s+number)?|mobile|"
    r"direct(?:\s+line)?|durchwahl)\.?$",
    re.I,
)
_MARKUP_DEPTH = 4
_MAX_MARKED_CHILDREN = 20
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
        for number, kind in _numbers_in_line(line.text):
            if kind == "labelled":
                add(number, "labelled_text", 0.85, strict=False)
            elif kind == "international":
                add(number, "international_text", 0.7, strict=True)
            elif _marked_as_phone(line.node, number):
                add(number, "labelled_markup", 0.8, strict=True)
            elif kind == "written":
                add(number, "national_text", 0.6, strict=True)
    for item in items:
        for value in text_values(item.properties.get("telephone")):
            add(value, item.method, 0.9, strict=False)
    return list(found.values())


# Pages of one site repeat most of their lines: each line is read once.
@short_text_cache
def _numbers_in_line(text: str) -> tuple[tuple[str, str], ...]:
    """(number as written, kind) for the candidate numbers of a line, fax numbers left out;
    the kind is "labelled" (a phone label right before it), "international" (written with
    its country code), "written" (alone on its line, written as a national number) or "bare"
    (only the markup around it can say it is a phone number)."""
    if len(text) > 400 or not _DIGIT.search(text):
        return ()
    numbers = []
    for match in _CANDIDATE.finditer(text):
        before = text[max(0, match.start() - 24) : match.start()]
        if _FAX_LABEL.search(before):
            continue
        if _PHONE_LABEL.search(before):
            numbers.append((match.group(), "labelled"))
        elif match.group().startswith(("+", "00")):
            numbers.append((match.group(), "international"))
        elif not before.strip():
            # The number opens its line: a cell, a list item, a span of its own.
            numbers.append((match.group(), _bare_kind(match.group())))
    return tuple(numbers)


def _bare_kind(number: str) -> str:
    """ "written" for a number alone on its line in a phone number's national form ("06 12 48
    77 03", "(614) 467-2290"): a trunk prefix or a bracketed area code, and enough digits;
    "bare" for any other, which only the markup can vouch for ("2019 – 2023" is no number)."""
    digits = sum(ch.isdigit() for ch in number)
    return "written" if digits >= 9 and number[0] in "0(" else "bare"


def _marked_as_phone(block: LexborNode, number: str) -> bool:
    """Whether the number's line is marked as a phone number: by an inline element around the
    number, by the block or one of its nearest ancestors, or by the heading of its table
    column."""
    inline = block.css("[class], [id], [itemprop]")[:_MAX_MARKED_CHILDREN]
    if any(_says_phone(child) and number in child.text(deep=True) for child in inline):
        return True
    current: LexborNode | None = block
    for _ in range(_MARKUP_DEPTH):
        if current is None or current.tag in ("body", "html"):
            return False
        if _says_phone(current):
            return True
        if current.tag in ("td", "th"):
            return _column_heading_says_phone(current)
        current = current.parent
    return False


def _says_phone(element: LexborNode) -> bool:
    attributes = element.attributes
    for key in ("class", "id", "itemprop"):
        value = attributes.get(key)
        if value and _PHONE_MARKUP.search(value):
            return True
    return False


def _column_heading_says_phone(cell: LexborNode) -> bool:
    row = cell.parent
    if row is None:
        return False
    cells = [c for c in row.iter() if c.tag in ("td", "th")]
    column = next((i for i, c in enumerate(cells) if c.mem_id == cell.mem_id), None)
    table = row.parent
    while table is not None and table.tag != "table":
        table = table.parent
    if column is None or table is None:
        return False
    heading_row = table.css_first("tr")
    if heading_row is None or heading_row.mem_id == row.mem_id:
        return False
    headings = [c for c in heading_row.iter() if c.tag in ("td", "th")]
    if column >= len(headings):
        return False
    return _PHONE_HEADER.match(" ".join(headings[column].text(deep=True).split())) is not None


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
