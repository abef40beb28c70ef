"""The JSON object `coldflow extract … --json` prints for one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coldflow.research.extract.facts import PageExtraction


def extraction_to_json(file: str | Path, extraction: PageExtraction) -> dict[str, Any]:
    """{"file", "emails": [address…], "phones": [E.164…], "people": [{"name", "title", "email"}],
    "company": {fact: value…, "social_links": {network: url}, "technologies": [name…],
    "open_roles": [{"title", "location", "url"}], "posts": [{"title", "url", "date"}]}}"""
    company: dict[str, Any] = {
        key: list(fact.value) if isinstance(fact.value, tuple) else fact.value
        for key, fact in extraction.company.items()
    }
    company["social_links"] = {link.network: link.url for link in extraction.social_links}
    company["technologies"] = [technology.name for technology in extraction.technologies]
    company["open_roles"] = [
        {"title": role.title, "location": role.location, "url": role.url}
        for role in extraction.open_roles
    ]
    company["posts"] = [
        {"title": post.title, "url": post.url, "date": post.published.isoformat()}
        for post in extraction.posts
    ]
    return {
        "file": str(file),
        "emails": [email.address for email in extraction.emails],
        "phones": [phone.number for phone in extraction.phones],
        "people": [{"name": p.name, "title": p.title, "email": p.email} for p in extraction.people],
        "company": company,
    }
