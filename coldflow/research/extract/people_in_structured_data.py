"""People in JSON-LD and microdata: Person items anywhere, including those nested in an
Organization's employee, founder or member properties, except the authors of reviews and
comments (customers, not staff)."""

from __future__ import annotations

import re

from coldflow.research.extract.email_address import acceptable_address
from coldflow.research.extract.job_titles import clean_job_title
from coldflow.research.extract.person_candidate import PersonCandidate
from coldflow.research.extract.personal_names import PLACEHOLDER_NAMES, clean_person_name
from coldflow.research.extract.structured_data import (
    StructuredItem,
    of_type,
    text_value,
    text_values,
)

CONFIDENCE = {"jsonld": 0.95, "microdata": 0.9}
_LINKEDIN_PROFILE = re.compile(r"^https?://(?:[\w-]+\.)?linkedin\.com/in/([^/?#\s]+)", re.I)
# Items whose people speak about the company rather than for it.
_OPINION_TYPES = frozenset(
    ("Review", "CriticReview", "EmployerReview", "UserReview", "Comment", "Question", "Answer")
)
_LOOSE_NAME = re.compile(r"^[^\W\d_][\w.'’ -]{2,68}[^\W\d_]$")


def people_in_structured_data(items: list[StructuredItem]) -> list[PersonCandidate]:
    people = []
    for item in of_type(items, "Person"):
        if item.within & _OPINION_TYPES:
            continue
        properties = item.properties
        raw_name = text_value(properties.get("name")) or " ".join(
            text
            for key in ("givenName", "additionalName", "familyName")
            if (text := text_value(properties.get(key)))
        )
        name = _name(raw_name)
        if name is None:
            continue
        title = text_value(properties.get("jobTitle")) or text_value(properties.get("roleName"))
        email = next(
            (a for v in text_values(properties.get("email")) if (a := acceptable_address(v))), None
        )
        linkedin = None
        for url in text_values(properties.get("sameAs")) + text_values(properties.get("url")):
            match = _LINKEDIN_PROFILE.match(url)
            if match:
                linkedin = f"https://www.linkedin.com/in/{match.group(1).rstrip('/')}"
                break
        people.append(
            PersonCandidate(
                name,
                clean_job_title(title)[:120] if title else None,
                item.method,
                CONFIDENCE.get(item.method, 0.9),
                email,
                linkedin,
            )
        )
    return people


def _name(raw: str) -> str | None:
    raw = " ".join(raw.split())
    cleaned = clean_person_name(raw)
    if cleaned is not None:
        return cleaned
    # The markup says this is a person: accept names our word lists would doubt ("Will Sales").
    if raw.lower() in PLACEHOLDER_NAMES:
        return None
    if _LOOSE_NAME.match(raw) and 2 <= len(raw.split()) <= 5 and "@" not in raw:
        return raw
    return None
