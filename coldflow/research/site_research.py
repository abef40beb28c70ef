"""One company's research: the crawl's pages, extracted and merged into one picture.

Pure: a SiteCrawl in, a SiteResearch out. Every value keeps the page it came from, the method
that found it and its confidence; where pages disagree, the most confident value wins and the
others are kept as alternatives (so nothing seen is dropped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from coldflow.contacts.names import PersonSighting, dedupe_people
from coldflow.research.crawl import CrawledPage, PageKind, SiteCrawl
from coldflow.research.extract import (
    CompanyFact,
    EmailFact,
    OpenRole,
    PageExtraction,
    PhoneFact,
    Post,
    SocialLink,
    Technology,
    extract_page,
)
from coldflow.research.extract.markup_bounds import ParsedHtml


@dataclass(frozen=True)
class ResearchedPerson:
    name: str
    title: str | None
    email: str | None
    linkedin_url: str | None
    # Every page the person was seen on.
    sources: tuple[str, ...]
    method: str
    confidence: float


@dataclass(frozen=True)
class PageStatus:
    url: str
    kind: str
    status: int | None
    error: str | None = None
    # The page as fetched (text and validators), for saving; None for a page that failed.
    page: CrawledPage | None = field(default=None, repr=False, compare=False)


@dataclass
class SiteResearch:
    domain: str
    home_url: str | None
    company: dict[str, CompanyFact] = field(default_factory=dict)
    people: list[ResearchedPerson] = field(default_factory=list)
    emails: list[EmailFact] = field(default_factory=list)
    phones: list[PhoneFact] = field(default_factory=list)
    social_links: list[SocialLink] = field(default_factory=list)
    technologies: list[Technology] = field(default_factory=list)
    open_roles: list[OpenRole] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    pages: list[PageStatus] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What each page yielded, before merging.
    extractions: list[PageExtraction] = field(default_factory=list, repr=False)


def research_from_crawl(crawl: SiteCrawl) -> SiteResearch:
    """Extract every page of the crawl here, reusing the trees the crawl parsed for links."""
    extractions = [
        # Taken even when not used, so the crawl holds no tree once extraction is done.
        extract_crawled_page(page, crawl.parsed.pop(page.requested_url, None))
        for page in crawl.pages
    ]
    return research_from_pages(crawl, extractions)


def extract_crawled_page(
    page: CrawledPage, parsed: ParsedHtml | None = None
) -> PageExtraction | None:
    """What one crawled page yields, or None for a page without content (an error page)."""
    if not page.text or page.status is None or page.status >= 400:
        return None
    return extract_page(page.text, page.url, parsed=parsed)


_KIND_ORDER = {kind: rank for rank, kind in enumerate(PageKind)}


def research_from_pages(
    crawl: SiteCrawl, extractions: Sequence[PageExtraction | None]
) -> SiteResearch:
    """The site's research from its pages' extractions, one for each of `crawl.pages` (in
    that order), wherever they were made."""
    if len(extractions) != len(crawl.pages):
        raise ValueError(f"{len(extractions)} extractions for {len(crawl.pages)} pages")
    research = SiteResearch(domain=crawl.domain, home_url=crawl.home_url)
    # Pages arrive in the order their fetches finished, which varies from run to run; read in a
    # fixed order, the same pages give the same research (which page a fact is credited to
    # when two pages show it equally well, the order of emails and people).
    in_order = sorted(
        zip(crawl.pages, extractions, strict=True),
        key=lambda pair: (_KIND_ORDER[pair[0].kind], pair[0].requested_url),
    )
    for page, extraction in in_order:
        research.pages.append(PageStatus(page.url, str(page.kind), page.status, page=page))
        if extraction is not None:
            research.extractions.append(extraction)
    for error in crawl.errors:
        research.pages.append(PageStatus(error.url, str(error.kind), None, error.error))
        research.errors.append(f"{error.url}: {error.error}")
    _merge(research)
    return research


def _merge(research: SiteResearch) -> None:
    extractions = research.extractions
    for extraction in extractions:
        for key, fact in extraction.company.items():
            best = research.company.get(key)
            if best is None or fact.confidence > best.confidence:
                research.company[key] = fact
    research.emails = _unique(
        (e for x in extractions for e in x.emails), key=lambda e: e.address.lower()
    )
    research.phones = _unique((p for x in extractions for p in x.phones), key=lambda p: p.number)
    research.social_links = _unique(
        (s for x in extractions for s in x.social_links), key=lambda s: s.url.rstrip("/").lower()
    )
    research.technologies = _unique(
        (t for x in extractions for t in x.technologies), key=lambda t: t.name
    )
    research.open_roles = _unique(
        (r for x in extractions for r in x.open_roles), key=lambda r: r.title.casefold()
    )
    posts = _unique((p for x in extractions for p in x.posts), key=lambda p: p.title.casefold())
    research.posts = sorted(posts, key=lambda p: p.published, reverse=True)
    research.people = _merge_people(extractions)


def _merge_people(extractions: list[PageExtraction]) -> list[ResearchedPerson]:
    found = [(person, x.url) for x in extractions for person in x.people]
    sightings = [
        PersonSighting(
            name=person.name,
            title=person.title or "",
            email=person.email or "",
            linkedin=person.linkedin_url or "",
            source=url,
        )
        for person, url in found
    ]
    best_fact = {}
    for person, _ in found:
        known = best_fact.get(person.name)
        if known is None or person.confidence > known.confidence:
            best_fact[person.name] = person
    people = []
    for merged in dedupe_people(sightings):
        facts = [best_fact[s.name] for s in merged.sightings]
        strongest = max(facts, key=lambda f: f.confidence)
        people.append(
            ResearchedPerson(
                name=strongest.name,
                title=strongest.title or next((t for t in merged.titles if t), None),
                email=strongest.email or next((e for e in merged.emails if e), None),
                linkedin_url=strongest.linkedin_url or next(iter(merged.linkedin), None),
                sources=merged.sources,
                method=strongest.method,
                confidence=strongest.confidence,
            )
        )
    return people


def _unique(items, *, key) -> list:
    seen: dict[Any, Any] = {}
    for item in items:
        k = key(item)
        if k not in seen or item.confidence > seen[k].confidence:
            seen[k] = item
    return list(seen.values())


def research_to_json(research: SiteResearch) -> dict[str, Any]:
    """The object `coldflow research --json` prints for one domain."""
    company = {
        key: list(fact.value) if isinstance(fact.value, tuple) else fact.value
        for key, fact in research.company.items()
    }
    return {
        "domain": research.domain,
        "company": company,
        "people": [
            {
                "name": p.name,
                "title": p.title,
                "email": p.email,
                "linkedin": p.linkedin_url,
                "sources": list(p.sources),
            }
            for p in research.people
        ],
        "emails": [{"address": e.address, "source_url": e.source_url} for e in research.emails],
        "signals": {
            "technologies": [
                {"name": t.name, "category": t.category, "source_url": t.source_url}
                for t in research.technologies
            ],
            "open_roles": [
                {"title": r.title, "location": r.location, "source_url": r.source_url}
                for r in research.open_roles
            ],
            "posts": [
                {
                    "title": p.title,
                    "url": p.url,
                    "date": p.published.isoformat(),
                    "source_url": p.source_url,
                }
                for p in research.posts
            ],
            "social_links": {s.network: s.url for s in research.social_links},
            "phones": [p.number for p in research.phones],
        },
        "pages": [{"url": p.url, "status": p.status} for p in research.pages],
        "errors": list(research.errors),
    }
