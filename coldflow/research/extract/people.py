"""All people on a page: every extractor's candidates merged by name."""

from __future__ import annotations

from coldflow.research.extract.facts import PersonFact
from coldflow.research.extract.page import Page
from coldflow.research.extract.people_in_definitions import people_in_definitions
from coldflow.research.extract.people_in_structured_data import people_in_structured_data
from coldflow.research.extract.people_in_tables import people_in_tables
from coldflow.research.extract.people_in_text import MAX_PEOPLE, people_in_text
from coldflow.research.extract.person_candidate import PersonCandidate, email_matches_name, name_key
from coldflow.research.extract.quotations import quotation_elements
from coldflow.research.extract.structured_data import StructuredItem

# Sources that say outright that this is a person, title or not.
_EXPLICIT_METHODS = frozenset(("jsonld", "microdata", "imprint"))


def find_people(page: Page, items: list[StructuredItem]) -> list[PersonFact]:
    candidates = (
        people_in_structured_data(items)
        + people_in_tables(page.tree)
        + people_in_definitions(page.tree)
        + people_in_text(page.lines, quotation_elements(page.tree))
    )
    merged: dict[str, PersonCandidate] = {}
    for candidate in candidates:
        key = name_key(candidate.name)
        if not key:
            continue
        existing = merged.get(key)
        merged[key] = candidate if existing is None else _merge(existing, candidate)
    return [
        PersonFact(c.name, c.title, c.email, c.linkedin_url, c.method, c.confidence, page.url)
        for c in list(merged.values())[:MAX_PEOPLE]
        if _is_person(c)
    ]


def _merge(first: PersonCandidate, second: PersonCandidate) -> PersonCandidate:
    best, other = (second, first) if second.confidence > first.confidence else (first, second)
    return PersonCandidate(
        best.name,
        best.title or other.title,
        best.method,
        best.confidence,
        best.email or other.email,
        best.linkedin_url or other.linkedin_url,
        best.needs_evidence and other.needs_evidence,
    )


def _is_person(candidate: PersonCandidate) -> bool:
    tied = candidate.linkedin_url is not None or (
        candidate.email is not None and email_matches_name(candidate.email, candidate.name)
    )
    if candidate.needs_evidence:
        return tied
    # A lone name is often a quote's author or a byline; a tied address or profile makes it a
    # contact.
    return bool(candidate.title) or candidate.method in _EXPLICIT_METHODS or tied
