"""The ground truth as one JSON document, for tests and benchmarks to score the pipeline."""

from __future__ import annotations

import json

from coldflow.sandbox.world.hostile import HOSTILE_CASES
from coldflow.sandbox.world.model import Company, Person, World


def _person(person: Person, prospects: dict) -> dict:
    behaviour = prospects.get(person.address)
    reply: dict | None = None
    if behaviour is not None:
        reply = {
            "kind": behaviour.kind,
            "language": behaviour.language,
            "delay_seconds": behaviour.delay_seconds,
            "referral_name": behaviour.referral_name,
            "referral_email": behaviour.referral_email,
            "return_date": behaviour.return_date.isoformat() if behaviour.return_date else None,
        }
    return {
        "name": {
            "given": person.name.given,
            "family": person.name.family,
            "full": person.name.full,
        },
        "title": person.title,
        "title_normalised": person.title_normalised,
        "seniority": person.seniority,
        "department": person.department,
        "address": person.address,
        "listed_on": person.listed_on,
        "published": person.published_on is not None,
        "page": person.published_on,
        "disguise": person.disguise,
        "extractable": person.extractable,
        "deliverable": person.deliverable,
        "bounces_after_accept": person.bounces_after_accept,
        "linkedin": person.linkedin,
        "reply": person.reply,
        "reply_details": reply,
    }


def _company(company: Company, prospects: dict) -> dict:
    return {
        "domain": company.domain,
        "host": company.host,
        "url": company.url("/"),
        "name": company.name,
        "industry": company.industry,
        "country": company.country,
        "city": company.city,
        "language": company.language,
        "size": company.size,
        "employees": company.employees,
        "founded": company.founded,
        "description": company.description,
        "address": company.street_address,
        "phone": company.phone,
        "technologies": list(company.technologies),
        "open_roles": list(company.open_roles),
        "posts": [
            {"title": p.title, "date": p.published.isoformat(), "url": p.url} for p in company.posts
        ],
        "email_pattern": company.email_pattern,
        "umlauts": company.umlauts,
        "catch_all": company.catch_all,
        "greylist": company.greylist,
        "has_mx": company.has_mx,
        "null_mx": company.null_mx,
        "pages": {
            "home": company.url("/"),
            "about": company.url(company.paths.about),
            "team": company.url(company.paths.team),
            "contact": company.url(company.paths.contact),
            "imprint": company.url(company.paths.imprint) if company.paths.imprint else None,
            "careers": company.url(company.paths.careers),
            "blog": company.url(company.paths.blog),
        },
        "layout": company.layout,
        "theme": company.theme,
        "encoding": company.encoding,
        "charset_declared": company.charset_declared,
        "robots_disallow": list(company.robots_disallow),
        "hostile": list(company.hostile),
        "people": [_person(p, prospects) for p in company.people],
        "generic_addresses": [
            {
                "address": g.address,
                "page": g.published_on,
                "disguise": g.disguise,
                "extractable": g.extractable,
                "deliverable": company.has_mx,
            }
            for g in company.generic_addresses
        ],
    }


def truth_document(world: World) -> dict:
    prospects = world.mail.prospects
    return {
        "seed": world.seed,
        "reference_date": world.reference_date.isoformat(),
        "hostile_cases": HOSTILE_CASES,
        "sending_domain": world.sending.domain,
        "senders": [
            {"address": s.address, "display_name": s.display_name} for s in world.sending.senders
        ],
        "companies": [_company(c, prospects) for c in world.companies],
        "noise": [
            {"url": n.url, "kind": n.kind, "title": n.title, "about": n.about_domain}
            for n in world.noise
        ],
    }


def truth_json(world: World) -> bytes:
    return json.dumps(truth_document(world), ensure_ascii=False, indent=1).encode()
