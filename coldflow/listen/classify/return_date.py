"""The date an absent person says they are back, from an out-of-office text in English,
German, French, Spanish, Italian or Dutch."""

from __future__ import annotations

import re
from datetime import date, timedelta

_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12, "okt": 10, "dez": 12, "mrz": 3,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonntag": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
}  # fmt: skip

_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th|er|e|º)?"
_DATE_FORMS = (
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    # 15.08.2024, 15.08.24 and the German 15.08. (never 10.30, a time of day)
    ("dotted", re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}(?!\d))?")),
    # 08/15/2024 or 15/08/2024 (the year is required: "1/2" is rarely a date)
    ("slashed", re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")),
    (
        "day_month",
        re.compile(
            rf"\b(\d{{1,2}}){_ORDINAL}\.?\s*(?:of\s+|de\s+)?({_MONTH})\.?(?:,?\s*(?:de\s+)?(\d{{4}}))?\b",
            re.I,
        ),
    ),
    (
        "month_day",
        re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}){_ORDINAL}\b(?:,?\s*(\d{{4}}))?", re.I),
    ),
    ("weekday", re.compile(rf"\b({_WEEKDAY})\b", re.I)),
)
# Words that introduce the day someone is back, or the last day they are away.
_BACK = re.compile(
    r"\b(back|return\w*|again|reachable|available|wieder|zurück|retour|regres\w*"
    r"|volver\w*|vuelta|rientro|terug)\b",
    re.I,
)
# German puts it after the date: "ab dem 15. August wieder erreichbar".
_BACK_AFTER = re.compile(r"^[^\d]{0,25}\b(wieder|zurück)\b", re.I)
_UNTIL = re.compile(r"\b(until|till|til|through|thru|bis|jusqu|hasta|fino|tot)\b", re.I)
_INCLUSIVE = re.compile(
    r"\b(through|thru|inclusive|including|einschließlich|einschliesslich|inclus)\b", re.I
)
_MONTH_FIRST_LANGUAGE = re.compile(r"\b(the|and|until|back|office|will|return)\b", re.I)


def return_date(text: str, received: date) -> date | None:
    """The day the sender is back, or None when the text names none.

    `received` anchors dates without a year and weekdays ("back on Monday")."""
    text = text[:5000]
    month_first = bool(_MONTH_FIRST_LANGUAGE.search(text))
    found: list[tuple[int, date, str, str]] = []
    taken: list[tuple[int, int]] = []
    for form, pattern in _DATE_FORMS:
        for match in pattern.finditer(text):
            overlaps = any(start < match.end() + 4 and match.start() < end for start, end in taken)
            if overlaps:
                continue  # "Monday, 5 May": the weekday only names the date found already
            day = _to_date(form, match, received, month_first)
            if day is not None:
                taken.append((match.start(), match.end()))
                before = text[max(0, match.start() - 40) : match.start()].split("\n")[-1]
                after = text[match.end() : match.end() + 30].split("\n")[0]
                found.append((match.start(), day, before, after))
    if not found:
        return None
    found.sort()
    for _, day, before, after in found:
        if _BACK.search(before) or _BACK_AFTER.search(after):
            return day
    for _, day, before, _ in found:
        if _UNTIL.search(before):
            return day + timedelta(days=1) if _INCLUSIVE.search(before) else day
    return max(day for _, day, _, _ in found)


def _to_date(form: str, match: re.Match[str], received: date, month_first: bool) -> date | None:
    groups = match.groups()
    year: int | None
    if form == "iso":
        year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
    elif form == "dotted":
        day, month, year = int(groups[0]), int(groups[1]), _full_year(groups[2])
    elif form == "slashed":
        a, b, year = int(groups[0]), int(groups[1]), _full_year(groups[2])
        # Day first unless the text is English (month first) or the numbers say otherwise.
        month, day = (a, b) if (month_first and a <= 12) or b > 12 else (b, a)
    elif form == "day_month":
        day, month, year = int(groups[0]), _MONTHS[groups[1].lower()], _full_year(groups[2])
    elif form == "month_day":
        month, day, year = _MONTHS[groups[0].lower()], int(groups[1]), _full_year(groups[2])
    else:
        ahead = (_WEEKDAYS[groups[0].lower()] - received.weekday()) % 7 or 7
        return received + timedelta(days=ahead)
    return _valid(year, month, day, received)


def _full_year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _valid(year: int | None, month: int, day: int, received: date) -> date | None:
    try:
        if year is not None:
            found = date(year, month, day)
            return found if abs((found - received).days) < 800 else None
        found = date(received.year, month, day)
    except ValueError:
        return None
    # Without a year, a date well before the message means next year's.
    if (received - found).days > 14:
        try:
            found = date(received.year + 1, month, day)
        except ValueError:
            return None
    return found
