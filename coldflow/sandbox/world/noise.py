"""Sites that are not prospects but show up in search: directories and "top 10" lists, social
networks, news, job boards and marketplaces. They are served like company sites so the discover
stage's filters meet them for real."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from coldflow.sandbox.world.companies import slug
from coldflow.sandbox.world.industries import BY_KEY as INDUSTRIES
from coldflow.sandbox.world.model import (
    Company,
    NoiseKind,
    NoisePage,
    Page,
    SearchDocument,
    Site,
    site_url,
)
from coldflow.sandbox.world.search_corpus import industry_words, place_words
from coldflow.sandbox.world.site_pages import social_slug


@dataclass(frozen=True)
class NoiseSite:
    host: str
    kind: NoiseKind
    language: str
    # Some networks forbid crawling altogether.
    robots_disallow_all: bool = False


DIRECTORY = {
    "en": NoiseSite("www.yelp.com", "directory", "en"),
    "de": NoiseSite("www.gelbeseiten.de", "directory", "de"),
}
TOP_LISTS = {
    "en": NoiseSite("www.top10firms.com", "directory", "en"),
    "de": NoiseSite("www.firmenvergleich-top10.de", "directory", "de"),
}
LINKEDIN = NoiseSite("www.linkedin.com", "social", "en", robots_disallow_all=True)
XING = NoiseSite("www.xing.com", "social", "de")
FACEBOOK = NoiseSite("www.facebook.com", "social", "en")
NEWS = {
    "en": NoiseSite("www.businesswire-daily.com", "news", "en"),
    "de": NoiseSite("www.wirtschaft-regional.de", "news", "de"),
}
JOBS = {
    "en": NoiseSite("www.indeed.com", "job_board", "en"),
    "de": NoiseSite("www.stepstone.de", "job_board", "de"),
}
MARKETS = {
    "en": NoiseSite("www.amazon.com", "marketplace", "en"),
    "de": NoiseSite("www.ebay.de", "marketplace", "de"),
}
ALL_SITES: tuple[NoiseSite, ...] = (
    *DIRECTORY.values(),
    *TOP_LISTS.values(),
    LINKEDIN,
    XING,
    FACEBOOK,
    *NEWS.values(),
    *JOBS.values(),
    *MARKETS.values(),
)


@dataclass
class NoiseWorld:
    pages: list[NoisePage] = field(default_factory=list)
    documents: list[SearchDocument] = field(default_factory=list)
    site_pages: dict[str, dict[str, Page]] = field(default_factory=dict)

    def add(
        self,
        site: NoiseSite,
        path: str,
        title: str,
        content: str,
        body_html: str,
        index_text: str,
        about: Company | None,
        published: date | None = None,
    ) -> None:
        url = site_url(site.host, path)
        self.pages.append(NoisePage(url, site.kind, title, about.domain if about else None))
        self.documents.append(
            SearchDocument(
                url,
                title,
                content,
                f"{title} {content} {index_text}",
                site.language,
                site.kind,
                published,
            )  # type: ignore[arg-type]
        )
        html = (
            f'<!DOCTYPE html>\n<html lang="{site.language}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head>\n<body><header>{site.host}</header>\n"
            f"<main><h1>{escape(title)}</h1>\n{body_html}</main></body></html>\n"
        )
        pages = self.site_pages.setdefault(site.host, {})
        pages[path] = Page(200, html.encode(), "text/html; charset=utf-8")


def _company_link(company: Company) -> str:
    return f'<a href="{escape(company.url("/"))}" rel="nofollow">{escape(company.name)}</a>'


def build_noise(
    companies: tuple[Company, ...], rng: random.Random, reference_date: date
) -> tuple[list[NoisePage], dict[str, Site], list[SearchDocument]]:
    noise = NoiseWorld()
    groups: dict[tuple[str, str, str], list[Company]] = {}
    for company in companies:
        groups.setdefault((company.language, company.industry, company.city), []).append(company)
    for (language, industry_key, city), members in groups.items():
        ind = INDUSTRIES[industry_key]
        label = ind.label_de if language == "de" else ind.label_en
        words = f"{industry_words(industry_key)} {place_words(members[0])}"
        listing = "".join(
            f"<li>{_company_link(c)} – {escape(c.street_address)} – {escape(c.phone)}</li>"
            for c in members
        )
        names = ", ".join(c.name for c in members)
        slug_ = f"{slug(label)}-{slug(city)}"
        if language == "de":
            title = f"{label} in {city} – Adressen und Telefonnummern"
            top_title = f"Die 10 besten {label}-Firmen in {city} ({reference_date.year})"
            path, top_path = f"/branchen/{slug_}", f"/die-besten/{slug_}"
            ranking = f"Unser Ranking für {label} in {city}: {names}"
        else:
            title = f"THE BEST {label} in {city} - Updated {reference_date.year}"
            top_title = f"Top 10 {label} companies in {city} ({reference_date.year})"
            path, top_path = f"/search/{slug_}", f"/best/{slug_}"
            ranking = f"Our ranking of {label} in {city}: {names}"
        noise.add(DIRECTORY[language], path, title, names, f"<ol>{listing}</ol>", words, members[0])
        noise.add(
            TOP_LISTS[language],
            top_path,
            top_title,
            ranking,
            f"<ol>{listing}</ol>",
            words,
            members[0],
        )

    for company in companies:
        ind = INDUSTRIES[company.industry]
        handle = social_slug(company)
        words = f"{industry_words(company.industry)} {place_words(company)}"
        label = ind.label_de if company.language == "de" else ind.label_en
        if rng.random() < 0.6:
            followers = rng.randint(40, 9000)
            noise.add(
                LINKEDIN,
                f"/company/{handle}",
                f"{company.name} | LinkedIn",
                f"{company.name} | {followers} followers on LinkedIn. {company.description}",
                f"<p>{escape(company.description)}</p><p>{_company_link(company)}</p>",
                words,
                company,
            )
        if company.language == "de" and rng.random() < 0.4:
            noise.add(
                XING,
                f"/pages/{handle}",
                f"{company.name} | XING",
                f"{label} · {company.city}. {company.description}",
                f"<p>{escape(company.description)}</p>",
                words,
                company,
            )
        if rng.random() < 0.25:
            noise.add(
                FACEBOOK,
                f"/{handle}",
                f"{company.name} - Home | Facebook",
                f"{company.name}, {company.city}. {company.description}",
                f"<p>{escape(company.description)}</p>",
                words,
                company,
            )
        if rng.random() < 0.25:
            day = reference_date - timedelta(days=rng.randint(5, 300))
            site = NEWS[company.language]
            if company.language == "de":
                title = f"{company.city}: {company.name} wächst weiter"
                text = f"Das {ind.kind_de} {company.name} aus {company.city} stellt neue Leute ein."
            else:
                title = f"{company.name} expands {label.lower()} business in {company.city}"
                text = f"The {ind.kind_en} {company.name} from {company.city} is hiring."
            noise.add(
                site,
                f"/{day.year}/{day.month:02d}/{handle}-{day.day}",
                title,
                text,
                f"<p>{escape(text)}</p><p>{_company_link(company)}</p>",
                words,
                company,
                day,
            )
        if company.open_roles and rng.random() < 0.6:
            site = JOBS[company.language]
            role = company.open_roles[0]
            noise.add(
                site,
                f"/cmp/{handle}/jobs",
                f"{role} - {company.name} - {company.city}",
                f"{company.name} is hiring: {', '.join(company.open_roles)}",
                f"<ul>{''.join(f'<li>{escape(r)}</li>' for r in company.open_roles)}</ul>",
                words,
                company,
            )
        if company.industry in ("ecommerce", "manufacturing") and rng.random() < 0.7:
            site = MARKETS[company.language]
            services = ", ".join(ind.services_de if company.language == "de" else ind.services_en)
            noise.add(
                site,
                f"/stores/{handle}",
                f"{company.name} Store",
                services,
                f"<p>{escape(services)}</p>",
                words,
                company,
            )

    sites: dict[str, Site] = {}
    for site in ALL_SITES:
        pages = noise.site_pages.get(site.host, {})
        robots = (
            "User-agent: *\nDisallow: /\n"
            if site.robots_disallow_all
            else ("User-agent: *\nDisallow: /search/private\n")
        )
        pages["/robots.txt"] = Page(200, robots.encode(), "text/plain; charset=utf-8")
        pages.setdefault(
            "/",
            Page(
                200,
                f"<html><body><h1>{site.host}</h1></body></html>".encode(),
                "text/html; charset=utf-8",
            ),
        )
        not_found = Page(
            404, b"<html><body><h1>Not Found</h1></body></html>", "text/html; charset=utf-8"
        )
        sites[site.host] = Site(site.host, pages, not_found, caching="etag")
        apex = site.host.removeprefix("www.")
        sites[apex] = Site(apex, {}, redirect_to=site.host)
    return noise.pages, sites, noise.documents
