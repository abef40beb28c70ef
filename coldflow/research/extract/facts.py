"""What extraction finds on one page.

Every item records where it came from (the page URL), how it was found (`method`) and how sure
we are (`confidence`, 0–1); the time is recorded once per page on `PageExtraction`.

The classes have no __slots__: extraction workers send them to the crawling process by pickle,
and a frozen dataclass with slots is rebuilt through Python code, at twice the cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class EmailFact:
    address: str
    method: str
    confidence: float
    source_url: str


@dataclass(frozen=True)
class PhoneFact:
    # E.164, e.g. "+493012345678".
    number: str
    # As published on the page.
    display: str
    method: str
    confidence: float
    source_url: str


@dataclass(frozen=True)
class PersonFact:
    name: str
    title: str | None
    email: str | None
    linkedin_url: str | None
    method: str
    confidence: float
    source_url: str


@dataclass(frozen=True)
class SocialLink:
    # "linkedin", "twitter", "facebook", "instagram", "youtube", "github", "xing", "tiktok".
    network: str
    url: str
    method: str
    confidence: float
    source_url: str


@dataclass(frozen=True)
class Technology:
    name: str
    # "analytics", "crm", "chat", "ecommerce", "payment", "cms", "framework", ...
    category: str
    # The matched text, so a human can check the claim.
    evidence: str
    method: str
    confidence: float
    source_url: str


@dataclass(frozen=True)
class OpenRole:
    title: str
    location: str | None
    url: str | None
    method: str
    confidence: float
    source_url: str


@dataclass(frozen=True)
class Post:
    title: str
    url: str | None
    published: date
    method: str
    confidence: float
    source_url: str


# Values: str for name/legal_name/description/industry/city/country (ISO 3166 alpha-2);
# int for founding_year; tuple[str, ...] for keywords; dict for address
# ({"street", "postal_code", "city", "region", "country"}, keys present when known) and size
# ({"text": as published, "employees": int}).
CompanyValue = str | int | tuple[str, ...] | dict[str, str | int]


@dataclass(frozen=True)
class CompanyFact:
    value: CompanyValue
    method: str
    confidence: float
    source_url: str


@dataclass(frozen=True)
class PageExtraction:
    url: str
    extracted_at: datetime
    # The page's language as declared (html lang / content-language), lower case, e.g. "de-at".
    language: str | None
    emails: list[EmailFact] = field(default_factory=list)
    phones: list[PhoneFact] = field(default_factory=list)
    people: list[PersonFact] = field(default_factory=list)
    social_links: list[SocialLink] = field(default_factory=list)
    technologies: list[Technology] = field(default_factory=list)
    open_roles: list[OpenRole] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    # Keys: name, legal_name, description, keywords, industry, address, city, country,
    # founding_year, size.
    company: dict[str, CompanyFact] = field(default_factory=dict)
