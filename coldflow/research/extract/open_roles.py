"""Open roles: JSON-LD JobPosting items, and on careers pages the job titles listed in
headings, links, list items and table cells, with a location when one is given."""

from __future__ import annotations

import re

from coldflow.research.extract.facts import OpenRole
from coldflow.research.extract.given_names import has_given_name
from coldflow.research.extract.job_titles import GENDER_MARKER, looks_like_job_title
from coldflow.research.extract.page import Page
from coldflow.research.extract.personal_names import clean_person_name
from coldflow.research.extract.structured_data import (
    StructuredItem,
    of_type,
    text_value,
    text_values,
)
from coldflow.research.extract.text_lines import Line, heading_level

MAX_ROLES = 100
_CAREERS_WORDS = re.compile(
    r"karriere|career|jobs?\b|stellen|vacanc|join[-\s]us|work[-\s]with[-\s]us|hiring|openings|"
    r"open[-\s]positions|offene[-\s]stellen|mitarbeit",
    re.I,
)
_ROLE_WORDS = re.compile(
    r"\b(?:werkstudent\w*|praktik\w+|ausbildung\w*|azubi|trainee|intern(?:ship)?|volontär\w*|"
    r"junior|senior|lead|head|manager\w*|engineer\w*|developer\w*|entwickler\w*|designer\w*)\b",
    re.I,
)
_NOT_ROLES = re.compile(
    r"^(?:open positions|current openings|offene stellen|aktuelle stellen(?:angebote)?|stellenangebote|"
    r"jobs|karriere|careers?|benefits|why (?:join|work)|initiativbewerbung|unsolicited application|"
    r"apply now|jetzt bewerben|your application|deine bewerbung|ihre bewerbung|our values)\b",
    re.I,
)
_ROLE_TAGS = frozenset(("h2", "h3", "h4", "h5", "li", "td", "dt", "a", "div", "p", "span"))
_LOCATION_SPLIT = re.compile(r"\s+[–—|·•-]\s+|\s*\|\s*|,\s+(?=[A-ZÄÖÜ][\wäöüß]+(?:\s|$|,))")
_EMPLOYMENT = re.compile(
    r"\b(?:full[- ]time|part[- ]time|vollzeit|teilzeit|remote|hybrid|permanent|festanstellung|"
    r"befristet|contract|freelance|minijob)\b",
    re.I,
)
_NOT_LOCATION = re.compile(
    r"apply|bewerb|mehr|more|details|read|view|ansehen|jetzt|now|salary|gehalt", re.I
)
_LOCATION_LINE = re.compile(
    r"^(?:[📍•·]\s*)?(?:standort|location|ort|einsatzort)\s*:\s*(.{2,60})$", re.I
)


def find_open_roles(page: Page, items: list[StructuredItem]) -> list[OpenRole]:
    roles: dict[str, OpenRole] = {}
    for item in of_type(items, "JobPosting"):
        title = text_value(item.properties.get("title")) or text_value(item.properties.get("name"))
        if not title:
            continue
        url = text_value(item.properties.get("url"))
        location = _posting_location(item.properties)
        roles.setdefault(
            title.lower(),
            OpenRole(
                title[:200],
                location,
                page.absolute(url) if url else None,
                item.method,
                0.95,
                page.url,
            ),
        )
    if _is_careers_page(page):
        for index, line in enumerate(page.lines):
            if len(roles) >= MAX_ROLES:
                break
            role = _role_from_line(page, index, line)
            if role is not None:
                roles.setdefault(role.title.lower(), role)
    return list(roles.values())[:MAX_ROLES]


def _is_careers_page(page: Page) -> bool:
    headings = " ".join(line.text for line in page.lines[:200] if line.tag == "h1")[:2000]
    return bool(
        _CAREERS_WORDS.search(page.url)
        or _CAREERS_WORDS.search(page.title or "")
        or _CAREERS_WORDS.search(headings)
    )


def _role_from_line(page: Page, index: int, line: Line) -> OpenRole | None:
    if line.in_chrome or line.tag not in _ROLE_TAGS and line.href is None or len(line.text) > 120:
        return None
    title, location = _split_location(line.text)
    if _NOT_ROLES.match(title) or clean_person_name(title) is not None:
        return None
    # A title right under a name is that person's job ("Julia Becker / HR Manager"), not an opening.
    previous = page.lines[index - 1].text if index > 0 else ""
    if (name := clean_person_name(previous)) is not None and has_given_name(name):
        return None
    marked = bool(GENDER_MARKER.search(title))
    if not (marked or (looks_like_job_title(title) and _ROLE_WORDS.search(title))):
        return None
    if location is None and index + 1 < len(page.lines):
        following = page.lines[index + 1]
        # The role's own meta line: inside the same link, or a plain line right under it.
        if following.href == line.href and heading_level(following) is None:
            location = _location_line(following.text)
    url = page.absolute(line.href) if line.href else None
    return OpenRole(title, location, url, "careers_page", 0.85 if marked else 0.7, page.url)


def _split_location(text: str) -> tuple[str, str | None]:
    """ "Backend Engineer (m/w/d) – Berlin" → ("Backend Engineer (m/w/d)", "Berlin")."""
    parts = _LOCATION_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2:
        location = _location_line(parts[1])
        if location is not None:
            return parts[0].strip(), location
    return text.strip(), None


def _location_line(text: str) -> str | None:
    """ "Freiburg · Vollzeit", "Berlin / Hybrid", "Standort: München", "Remote · Teilzeit (20 h)"."""
    if len(text) > 80 or looks_like_job_title(text) or GENDER_MARKER.search(text):
        return None
    match = _LOCATION_LINE.match(text.strip())
    pieces = [
        p.strip()
        for p in re.split(r"\s*[·|•,/]\s*", match.group(1) if match else text)
        if p.strip()
    ]
    places = []
    for piece in pieces:
        if _EMPLOYMENT.fullmatch(piece) or any(ch.isdigit() or ch == ":" for ch in piece):
            continue
        if _NOT_LOCATION.search(piece) or not piece[:1].isupper() or len(piece.split()) > 3:
            return None if not places else ", ".join(places)
        places.append(piece)
    if not places:
        remote = [p for p in pieces if p.lower() in ("remote", "hybrid")]
        places = remote[:1]
    return ", ".join(places) if places and len(places) <= 3 else None


def _posting_location(properties: dict) -> str | None:
    locations = properties.get("jobLocation")
    places = []
    for location in locations if isinstance(locations, list) else [locations]:
        if isinstance(location, dict):
            address = location.get("address")
            if isinstance(address, dict):
                city = text_value(address.get("addressLocality")) or text_value(
                    address.get("addressRegion")
                )
                if city:
                    places.append(city)
            elif text := text_value(address) or text_value(location.get("name")):
                places.append(text)
    if (
        not places
        and "TELECOMMUTE" in " ".join(text_values(properties.get("jobLocationType"))).upper()
    ):
        places.append("Remote")
    return ", ".join(dict.fromkeys(places)) or None
