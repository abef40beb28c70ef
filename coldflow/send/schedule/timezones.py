"""A recipient's time zone, inferred from their company's country and city."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coldflow.send.schedule.country_zones import CITY_ZONES, OTHER_ZONES, PRIMARY_ZONE

# Codes people write that ISO 3166 spells differently.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}


def _plain(text: str) -> str:
    """Lower case, accents off, one space between words: 'São  Paulo' → 'sao paulo'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("_", " ").split())


@lru_cache(maxsize=64)
def _zone_cities(country: str) -> dict[str, str]:
    """The country's zones by the city they are named after, plus its extra cities."""
    zones = (PRIMARY_ZONE[country], *OTHER_ZONES.get(country, ()))
    table = {_plain(zone.rsplit("/", 1)[-1]): zone for zone in zones}
    table.update({_plain(city): zone for city, zone in CITY_ZONES.get(country, {}).items()})
    return table


def _valid(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=4096)
def recipient_timezone(country: str, city: str = "", fallback: str = "UTC") -> str:
    """The IANA zone for a company in `country` (ISO 3166 alpha-2) and `city`.

    Where the country has one zone the city does not matter; where it has several, the city
    (or a trailing region code, as in "Austin, TX") picks one, else the country's main zone.
    Unknown or empty country: `fallback` (the campaign's zone).
    """
    code = COUNTRY_ALIASES.get(country.strip().upper(), country.strip().upper())
    if code not in PRIMARY_ZONE:
        return fallback
    zone = PRIMARY_ZONE[code]
    if code in OTHER_ZONES and city.strip():
        table = _zone_cities(code)
        # "Austin, TX" → try "austin, tx", "austin", then "tx".
        parts = [_plain(part) for part in city.replace("/", ",").split(",") if part.strip()]
        for candidate in (_plain(city), *parts):
            if candidate in table:
                zone = table[candidate]
                break
    return zone if _valid(zone) else fallback
