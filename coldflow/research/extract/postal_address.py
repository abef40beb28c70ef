"""The company's postal address: structured data first, then <address> elements and address
blocks in the text (German, Austrian, Swiss, British and US layouts)."""

from __future__ import annotations

import re

from coldflow.research.extract.countries import COUNTRY_CODES, country_code
from coldflow.research.extract.facts import CompanyFact
from coldflow.research.extract.page import Page
from coldflow.research.extract.structured_data import StructuredItem, of_type, text_value
from coldflow.research.extract.text_cache import short_text_cache

Address = dict[str, str]

_POSTCODE_CITY = re.compile(
    r"^(?:(?P<prefix>D|A|CH|DE|AT|FL)[- ])?(?P<code>\d{4,5})\s+(?P<city>[^\W\d_][\w.'’()\- ]{1,40}?)$"
)
_US_CITY_LINE = re.compile(
    r"^(?P<city>[A-Z][\w .'’-]{1,40}),\s*(?P<state>[A-Z]{2})\s+(?P<code>\d{5}(?:-\d{4})?)$"
)
_UK_POSTCODE = re.compile(
    r"^(?:(?P<city>[A-Z][\w .'’-]{1,40}?),?\s+)?(?P<code>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$"
)
_STREET = re.compile(
    r"^(?:[^\W\d_][\w.'’\- ]{2,50}?\s+\d{1,4}\s?[a-zA-Z]?(?:\s*[-/]\s*\d{1,4}[a-zA-Z]?)?"
    r"|\d{1,5}[a-zA-Z]?\s+[^\W\d_][\w.'’\- ]{2,50})$"
)
# "Anschrift: Hauptstraße 5", "Werkstatt: …"
_LABEL = re.compile(r"^[^\W\d_][\w -]{1,24}:\s*")
_PARTS = re.compile(r"\s*[,·|•]\s*|\s+[–—-]\s+")
_DIGIT = re.compile(r"\d")
_PREFIX_COUNTRIES = {"D": "DE", "DE": "DE", "A": "AT", "AT": "AT", "CH": "CH", "FL": "LI"}


def find_address(page: Page, items: list[StructuredItem]) -> CompanyFact | None:
    for item in of_type(items, "PostalAddress"):
        address = _structured(item.properties)
        if address.get("city") or address.get("street"):
            return CompanyFact(
                address, item.method, 0.95 if item.method == "jsonld" else 0.9, page.url
            )
    for item in items:
        value = item.properties.get("address")
        if isinstance(value, str) and (address := address_from_lines(value.splitlines())):
            return CompanyFact(address, item.method, 0.85, page.url)
    for node in page.tree.css("address")[:10]:
        lines = [" ".join(t.split()) for t in node.text(deep=True, separator="\n").split("\n")]
        address = address_from_lines([line for line in lines if line])
        if address is not None:
            return CompanyFact(address, "address_element", 0.85, page.url)
    texts = [line.text for line in page.lines if len(line.text) <= 200]
    address = address_from_lines(texts)
    if address is not None:
        return CompanyFact(address, "text", 0.7, page.url)
    return None


def address_from_lines(lines: list[str]) -> Address | None:
    """The first postcode-and-city line (or part of a line), with the street before it and the
    country after it."""
    parts: list[str] = []
    for line in lines[:5000]:
        parts.extend(_line_parts(line))
    for index, part in enumerate(parts):
        if not _DIGIT.search(part):
            # Every postcode layout has a digit, and most parts have none.
            continue
        address = _city_part(part)
        street_index = index - 1
        if address is None:
            uk = _UK_POSTCODE.match(part)
            if not (uk and index > 0 and parts[index - 1][:1].isupper()):
                continue
            # "London, EC1A 1BB"
            address = {"postal_code": uk.group("code"), "city": parts[index - 1]}
            street_index = index - 2
        street = _LABEL.sub("", parts[street_index]) if street_index >= 0 else ""
        if street and _STREET.match(street):
            address["street"] = street
        if index + 1 < len(parts) and (
            code := COUNTRY_CODES.get(parts[index + 1].lower().strip(" ."))
        ):
            address["country"] = code
        if "street" in address or "country" in address:
            return address
    return None


# Pages of one site repeat most of their lines: each line is split once.
@short_text_cache
def _line_parts(line: str) -> tuple[str, ...]:
    # "Austin, TX 78701" holds the separator the other layouts are split on.
    if _US_CITY_LINE.match(line):
        return (line,)
    return tuple(p for p in _PARTS.split(line) if p)


def _city_part(part: str) -> Address | None:
    match = _POSTCODE_CITY.match(part)
    if match:
        address = {"postal_code": match.group("code"), "city": match.group("city").strip()}
        if match.group("prefix"):
            address["country"] = _PREFIX_COUNTRIES[match.group("prefix")]
        return address
    match = _US_CITY_LINE.match(part)
    if match:
        return {
            "postal_code": match.group("code"),
            "city": match.group("city"),
            "region": match.group("state"),
        }
    match = _UK_POSTCODE.match(part)
    if match and match.group("city"):
        return {"postal_code": match.group("code"), "city": match.group("city").strip()}
    return None


def _structured(properties: dict) -> Address:
    address: Address = {}
    for key, field in (
        ("streetAddress", "street"),
        ("postalCode", "postal_code"),
        ("addressLocality", "city"),
        ("addressRegion", "region"),
    ):
        text = text_value(properties.get(key))
        if text:
            address[field] = text[:120]
    country = country_code(text_value(properties.get("addressCountry")))
    if country:
        address["country"] = country
    return address
