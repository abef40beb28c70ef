"""Saving a company's research: company fields, pages, facts with provenance, people, emails.

Idempotent: researching a company again replaces what the previous research found (its facts,
pages and found addresses are rewritten in one transaction) and keeps everything else: people
and addresses that were imported or added by hand, leads, and messages.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from anyascii import anyascii
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from coldflow.accounts.models import Workspace
from coldflow.contacts.models import EmailAddress, Person
from coldflow.contacts.names import parse_name
from coldflow.contacts.titles import normalise_title
from coldflow.research import crawl
from coldflow.research.models import Company, CrawledPage, Fact, ResearchStatus
from coldflow.research.site_research import SiteResearch

# Methods whose facts a new research run replaces.
RESEARCH_ORIGIN = "research"

_COMPANY_FIELDS = {
    "name": "name",
    "description": "description",
    "industry": "industry",
    "city": "city",
    "country": "country",
}


def name_key(name: str) -> str:
    parsed = parse_name(name)
    key = " ".join(part for part in (parsed.given, parsed.family) if part) or name
    return anyascii(key).casefold().strip()[:300]


@transaction.atomic
def save_research(workspace: Workspace, research: SiteResearch) -> Company:
    now = timezone.now()
    company, _ = Company.objects.get_or_create(
        workspace=workspace, domain=research.domain.lower(), defaults={"origin": "manual"}
    )
    _apply_company_fields(company, research)
    company.research_status = (
        ResearchStatus.RESEARCHED if research.home_url else ResearchStatus.FAILED
    )
    company.research_error = "" if research.home_url else "; ".join(research.errors)[:2000]
    company.researched_at = now
    company.save()

    _save_pages(company, research, now)
    Fact.objects.filter(company=company, origin=RESEARCH_ORIGIN).delete()
    facts = list(_company_facts(workspace, company, research, now))
    people = _save_people(workspace, company, research, now, facts)
    Fact.objects.bulk_create(facts)
    _save_emails(workspace, company, research, people)
    return company


def _apply_company_fields(company: Company, research: SiteResearch) -> None:
    for key, field_name in _COMPANY_FIELDS.items():
        fact = research.company.get(key)
        if fact is not None and isinstance(fact.value, str):
            limit = Company._meta.get_field(field_name).max_length
            setattr(company, field_name, fact.value[:limit] if limit else fact.value)
    if (fact := research.company.get("founding_year")) and isinstance(fact.value, int):
        company.founded_year = fact.value
    if (fact := research.company.get("size")) and isinstance(fact.value, dict):
        company.size_hint = str(fact.value.get("text", ""))[:100]
    if (fact := research.company.get("address")) and isinstance(fact.value, dict):
        company.address = ", ".join(str(v) for v in fact.value.values() if v)


def _save_pages(company: Company, research: SiteResearch, now) -> None:
    for status in research.pages:
        fields = {
            "kind": status.kind[:16],
            "status_code": status.status,
            "error": status.error or "",
            "fetched_at": now,
        }
        page = status.page
        if page is not None and page.text:
            text = page.text.encode("utf-8", "surrogatepass")
            fields |= {
                "requested_url": page.requested_url[:2000]
                if page.requested_url != page.url
                else "",
                "etag": (page.etag or "")[:300],
                "last_modified": (page.last_modified or "")[:100],
                "content_hash": hashlib.sha256(text).hexdigest(),
                "body": zlib.compress(text),
                "byte_count": len(text),
            }
        CrawledPage.objects.update_or_create(
            company=company, url=status.url[:2000], defaults=fields
        )


def previous_crawls(workspace: Workspace, domains: Iterable[str]) -> dict[str, crawl.SiteCrawl]:
    """The saved pages of the companies of `domains` that have validators (ETag or
    Last-Modified), as crawls to pass a new crawl: it asks for each page conditionally and
    reuses the saved text when the server answers 304 Not Modified."""
    wanted = {domain.lower() for domain in domains}
    saved = (
        CrawledPage.objects.filter(
            company__workspace=workspace, company__domain__in=wanted, body__isnull=False
        )
        .exclude(etag="", last_modified="")
        .select_related("company")
        .order_by("company_id", "id")
    )
    kinds = {kind.value: kind for kind in crawl.PageKind}
    pages: dict[str, list[crawl.CrawledPage]] = {}
    for row in saved.iterator():
        if row.kind not in kinds:
            continue
        pages.setdefault(row.company.domain, []).append(
            crawl.CrawledPage(
                url=row.url,
                requested_url=row.requested_url or row.url,
                kind=kinds[row.kind],
                status=row.status_code,
                text=zlib.decompress(bytes(row.body)).decode("utf-8", "surrogatepass"),
                etag=row.etag or None,
                last_modified=row.last_modified or None,
            )
        )
    return {
        domain: crawl.SiteCrawl(domain=domain, home_url=None, pages=tuple(found))
        for domain, found in pages.items()
    }


def _fact(workspace, company, key, value, item, now, person=None) -> Fact:
    return Fact(
        workspace=workspace,
        company=company,
        person=person,
        key=key,
        value=value,
        source_url=item.source_url[:2000],
        method=item.method,
        confidence=item.confidence,
        observed_at=now,
        origin=RESEARCH_ORIGIN,
    )


def _company_facts(workspace, company, research: SiteResearch, now):
    for key, fact in research.company.items():
        value = list(fact.value) if isinstance(fact.value, tuple) else fact.value
        yield _fact(workspace, company, f"company.{key}", value, fact, now)
    for phone in research.phones:
        yield _fact(workspace, company, "company.phone", phone.number, phone, now)
    for link in research.social_links:
        yield _fact(workspace, company, f"company.social.{link.network}", link.url, link, now)
    for tech in research.technologies:
        value = {"name": tech.name, "category": tech.category, "evidence": tech.evidence[:300]}
        yield _fact(workspace, company, "signal.technology", value, tech, now)
    for role in research.open_roles:
        value = {"title": role.title, "location": role.location, "url": role.url}
        yield _fact(workspace, company, "signal.open_role", value, role, now)
    for post in research.posts:
        value = {"title": post.title, "url": post.url, "date": post.published.isoformat()}
        yield _fact(workspace, company, "signal.post", value, post, now)


def _save_people(workspace, company, research: SiteResearch, now, facts: list[Fact]):
    people: dict[str, Person] = {}
    for found in research.people:
        parsed = parse_name(found.name)
        title = normalise_title(found.title or "")
        person, _ = Person.objects.update_or_create(
            company=company,
            name_key=name_key(found.name),
            defaults={
                "workspace": workspace,
                "full_name": (parsed.display or found.name)[:300],
                "given_name": parsed.given[:150],
                "family_name": parsed.family_with_particles[:150],
                "title": (found.title or "")[:300],
                "normalised_title": title.canonical[:300],
                "seniority": title.seniority,
                "department": title.department,
                "linkedin_url": (found.linkedin_url or "")[:500],
            },
        )
        people[found.name] = person
        for source in found.sources:
            item = _Provenance(source, found.method, found.confidence)
            facts.append(_fact(workspace, company, "person.name", found.name, item, now, person))
            if found.title:
                facts.append(
                    _fact(workspace, company, "person.title", found.title, item, now, person)
                )
    return people


@dataclass(frozen=True)
class _Provenance:
    source_url: str
    method: str
    confidence: float


def _save_emails(workspace, company, research: SiteResearch, people: dict[str, Person]) -> None:
    owner = {p.email.lower(): people[p.name] for p in research.people if p.email}
    for email in research.emails:
        address = email.address.strip()
        existing = (
            EmailAddress.objects.annotate(lower=Lower("address"))
            .filter(workspace=workspace, lower=address.lower())
            .first()
        )
        person = owner.get(address.lower())
        if existing is None:
            EmailAddress.objects.create(
                workspace=workspace,
                address=address,
                domain=address.rpartition("@")[2].lower(),
                company=company,
                person=person,
                origin="found",
                confidence=email.confidence,
                source_url=email.source_url[:2000],
                pattern="",
            )
        elif existing.origin in ("found", "guessed"):
            # A published address outranks a guess of the same address.
            existing.origin = "found"
            existing.confidence = max(existing.confidence, email.confidence)
            existing.source_url = email.source_url[:2000]
            existing.person = existing.person or person
            existing.company = existing.company or company
            existing.save()
