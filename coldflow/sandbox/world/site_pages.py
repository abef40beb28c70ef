"""A company's whole website: home, about, team, contact, imprint, careers, blog and posts, plus
robots.txt, sitemaps, images and the hostile variations its plan calls for."""

from __future__ import annotations

import functools
import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from urllib.parse import urlsplit

from coldflow.sandbox.world import hostile
from coldflow.sandbox.world.disguises import Assets, render_address
from coldflow.sandbox.world.industries import BY_KEY as INDUSTRIES
from coldflow.sandbox.world.model import Company, Disguise, Page, Site, site_url
from coldflow.sandbox.world.names import words
from coldflow.sandbox.world.site_files import robots_txt, sitemaps
from coldflow.sandbox.world.team_layouts import TeamMember, json_ld, render_team
from coldflow.sandbox.world.technologies import BY_NAME as TECHNOLOGIES
from coldflow.sandbox.world.themes import Document, render

_GERMAN_MONTHS = words(
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
)
_ENGLISH_MONTHS = words(
    "January February March April May June July August September October November December"
)


def social_slug(company: Company) -> str:
    """The handle a company uses on social networks: its domain's first label."""
    return company.domain.split(".")[0]


def _date_text(day: date, language: str) -> str:
    if language == "de":
        return f"{day.day}. {_GERMAN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {_ENGLISH_MONTHS[day.month - 1]} {day.year}"


class _SiteRenderer:
    def __init__(self, company: Company, rng: random.Random, reference_date: date) -> None:
        self.c = company
        self.rng = rng
        self.reference_date = reference_date
        self.de = company.language == "de"
        self.assets = Assets()
        self.industry = INDUSTRIES[company.industry]
        tracking_id = str(rng.randrange(10**6, 10**7))
        self.head_tech = "\n".join(
            TECHNOLOGIES[t].render("head", tracking_id, company.domain, social_slug(company))
            for t in company.technologies
        )
        self.body_tech = "\n".join(
            TECHNOLOGIES[t].render("body", tracking_id, company.domain, social_slug(company))
            for t in company.technologies
        )
        self.info = company.generic_addresses[0]
        self.home_path = "/start" if "redirect_chain" in company.hostile else "/"

    # -- helpers ---------------------------------------------------------------------------

    def t(self, english: str, german: str) -> str:
        return german if self.de else english

    def address_html(self, address: str, disguise: Disguise) -> str:
        return render_address(address, disguise, self.c.language, self.rng, self.assets)

    def nav(self) -> tuple[tuple[str, str], ...]:
        p = self.c.paths
        return (
            (self.home_path, self.t("Home", "Startseite")),
            (p.about, self.t("About", "Über uns")),
            (p.team, "Team"),
            (p.careers, self.t("Careers", "Karriere")),
            (p.blog, self.t("News", "Aktuelles")),
            (p.contact, self.t("Contact", "Kontakt")),
        )

    @functools.cached_property
    def footer(self) -> str:
        c = self.c
        imprint = (
            f' · <a href="{c.paths.imprint}">{self.t("Imprint", "Impressum")}</a>'
            if c.paths.imprint
            else ""
        )
        return (
            f"<p>{escape(c.name)} · {escape(c.street_address)} · "
            f"{self.t('Phone', 'Telefon')}: {escape(c.phone)} · "
            f"{self.address_html(self.info.address, self.info.disguise)}{imprint}</p>\n"
            f'<p><a href="{site_url("www.linkedin.com", f"/company/{social_slug(c)}")}">LinkedIn</a> · '
            f"© {self.reference_date.year} {escape(c.name)}</p>"
        )

    def private_links(self) -> str:
        if "private_links" not in self.c.hostile:
            return ""
        links = "".join(f'<li><a href="{url}">{url}</a></li>' for url in hostile.PRIVATE_URLS)
        intranet = f"http://{hostile.PRIVATE_HOST_LABEL}.{self.c.domain}/"
        return (
            f'<ul class="internal">{links}<li><a href="{intranet}">Intranet</a></li></ul>'
            f'<img src="{hostile.PRIVATE_URLS[1]}" alt="" width="1" height="1">'
        )

    def html_page(
        self, path: str, title: str, main: str, head_extra: str = "", status: int = 200
    ) -> Page:
        c = self.c
        charset = c.encoding if c.charset_declared in ("meta", "both") else None
        doc = Document(
            language=c.language,
            title=f"{title} | {c.name}" if path != self.home_path else c.name,
            description=c.description,
            canonical=c.url(path),
            charset=charset,
            nav=self.nav(),
            brand=c.name,
            main=main,
            footer=self.footer,
            head_extra="\n".join(x for x in (self.head_tech, head_extra) if x),
            body_extra=self.body_tech,
        )
        text = render(c.theme, doc)
        if path == c.paths.team and "broken_html" in c.hostile:
            text = _cut_off(text)
        content_type = "text/html"
        if c.charset_declared in ("header", "both"):
            content_type = f"text/html; charset={c.encoding}"
        return Page(status, text.encode(c.encoding, "xmlcharrefreplace"), content_type)

    # -- pages -----------------------------------------------------------------------------

    def home(self) -> Page:
        c, ind = self.c, self.industry
        services = ind.services_de if self.de else ind.services_en
        items = "".join(f"<li>{escape(s)}</li>" for s in services)
        latest = "".join(
            f'<li><a href="{escape(p.url)}">{escape(p.title)}</a> '
            f"<small>{_date_text(p.published, c.language)}</small></li>"
            for p in c.posts[:2]
        )
        tagline = (
            f"„{ind.label_de} aus {c.city}“ – seit {c.founded}"
            if self.de
            else f"{ind.label_en} in {c.city} since {c.founded}"
        )
        extra_links = ""
        if "broken_link" in c.hostile:
            extra_links += (
                f'<p><a href="/case-studies">{self.t("Case studies", "Referenzen")}</a></p>'
            )
        if "huge_page" in c.hostile:
            extra_links += (
                f'<p><a href="/products">{self.t("Product catalogue", "Produktkatalog")}</a></p>'
            )
        main = (
            f'<section class="hero"><h1>{escape(c.name)}</h1><p class="lead">{escape(tagline)}</p>'
            f"</section>\n<p>{escape(c.description)}</p>\n"
            f"<h2>{self.t('What we do', 'Unsere Leistungen')}</h2><ul>{items}</ul>\n"
            f"<h2>{self.t('Latest news', 'Neuigkeiten')}</h2><ul>{latest}</ul>\n"
            f'<p><a class="cta" href="{c.paths.contact}">'
            f"{self.t('Get in touch', 'Jetzt Kontakt aufnehmen')}</a></p>"
            f"{extra_links}{self.private_links()}"
        )
        return self.html_page(self.home_path, c.name, main, self.organisation_json_ld())

    def organisation_json_ld(self) -> str:
        c = self.c
        if self.rng.random() < 0.5:
            return ""
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": c.name,
            "url": c.url("/"),
            "telephone": c.phone,
            "foundingDate": str(c.founded),
            "numberOfEmployees": {"@type": "QuantitativeValue", "value": c.employees},
            "address": {
                "@type": "PostalAddress",
                "streetAddress": c.street_address.split(",")[0],
                "addressLocality": c.city,
                "addressCountry": c.country,
            },
            "sameAs": [site_url("www.linkedin.com", f"/company/{social_slug(c)}")],
        }
        if self.info.disguise != "image":
            data["email"] = self.info.address
        return json_ld(data)

    def about(self) -> Page:
        c = self.c
        leaders = [p for p in c.people if p.seniority in ("owner", "c_level")][:2]
        led_by = ", ".join(f"{escape(p.name.full)} ({escape(p.title)})" for p in leaders)
        paragraphs = [
            escape(c.description),
            self.t(
                f"Founded in {c.founded}, {escape(c.name)} employs {c.employees} people "
                f"in {escape(c.city)}. The company is led by {led_by}.",
                f"{escape(c.name)} wurde {c.founded} gegründet und beschäftigt heute "
                f"{c.employees} Mitarbeiterinnen und Mitarbeiter in {escape(c.city)}. "
                f"Geschäftsleitung: {led_by}.",
            ),
        ]
        if "prompt_injection" in c.hostile:
            paragraphs.append(escape(hostile.PROMPT_INJECTION))
        main = f"<h1>{self.t('About us', 'Über uns')}</h1>\n" + "\n".join(
            f"<p>{p}</p>" for p in paragraphs
        )
        page = self.html_page(c.paths.about, self.t("About us", "Über uns"), main)
        if "slow_page" in c.hostile:
            page = replace(page, delay_seconds=hostile.SLOW_SECONDS)
        return page

    def team(self) -> Page:
        c = self.c
        team_url = c.url(c.paths.team)
        members = []
        for person in c.people:
            shown = person.disguise if person.published_on == team_url else None
            members.append(
                TeamMember(
                    full_name=person.name.full,
                    title=person.title,
                    email_html=self.address_html(person.address, shown) if shown else "",
                    address=person.address if shown else None,
                    linkedin=person.linkedin,
                    photo=f"/assets/team/{person.address.split('@')[0]}.jpg",
                )
            )
        visible, head = render_team(c.layout, members, c.language, self.rng, (c.name, c.url("/")))
        intro = self.t(
            f"Meet the people behind {escape(c.name.rstrip('.'))}.", "Lernen Sie unser Team kennen."
        )
        main = f"<h1>{self.t('Our team', 'Unser Team')}</h1>\n<p>{intro}</p>\n{visible}"
        if "broken_html" in c.hostile:
            main = _misnest(main)
        return self.html_page(c.paths.team, self.t("Team", "Team"), main, head)

    def contact(self) -> Page:
        c = self.c
        contact_url = c.url(c.paths.contact)
        generic = "".join(
            f"<p>{self.address_html(g.address, g.disguise)}</p>"
            for g in c.generic_addresses
            if g.published_on == contact_url
        )
        people = "".join(
            f"<p>{self.t('Your contact', 'Ihr Ansprechpartner')}: {escape(p.name.full)}, "
            f"{escape(p.title)} – {self.address_html(p.address, p.disguise)}</p>"
            for p in c.people
            if p.published_on == contact_url and p.disguise
        )
        main = (
            f"<h1>{self.t('Contact', 'Kontakt')}</h1>\n"
            f"<address>{escape(c.name)}<br>{escape(c.street_address)}</address>\n"
            f'<p>{self.t("Phone", "Telefon")}: <a href="tel:{escape(c.phone.replace(" ", ""))}">'
            f"{escape(c.phone)}</a></p>\n{generic}\n{people}\n"
            f'<form action="{c.paths.contact}" method="post" class="contact-form">'
            f'<input name="name" placeholder="Name"><input name="email" type="email">'
            f'<textarea name="message"></textarea><button type="submit">'
            f"{self.t('Send', 'Absenden')}</button></form>\n"
            '<iframe src="https://www.google.com/maps/embed?pb=sandbox" width="600" '
            'height="300" loading="lazy"></iframe>'
            f"{self.private_links()}"
        )
        page = self.html_page(c.paths.contact, self.t("Contact", "Kontakt"), main)
        if "slow_body" in c.hostile:
            page = replace(page, drip_seconds=hostile.SLOW_SECONDS)
        return page

    def imprint(self, path: str) -> Page:
        c = self.c
        leader = c.people[0]
        leader_email = ""
        if leader.published_on == c.url(path) and leader.disguise:
            leader_email = f", {self.address_html(leader.address, leader.disguise)}"
        info = self.address_html(self.info.address, self.info.disguise)
        number = self.rng.randrange(10000, 99999)
        if self.de:
            vat = "".join(str(self.rng.randrange(10)) for _ in range(9))
            main = (
                "<h1>Impressum</h1>\n<h2>Angaben gemäß § 5 DDG</h2>\n"
                f"<p>{escape(c.name)}<br>{escape(c.street_address)}</p>\n"
                f"<p>Vertreten durch: {escape(leader.name.full)} ({escape(leader.title)})"
                f"{leader_email}</p>\n"
                f"<h2>Kontakt</h2><p>Telefon: {escape(c.phone)}<br>E-Mail: {info}</p>\n"
                f"<h2>Registereintrag</h2><p>Registergericht: Amtsgericht {escape(c.city)}<br>"
                f"Registernummer: HRB {number}</p>\n"
                f"<p>Umsatzsteuer-Identifikationsnummer: {c.country}{vat}</p>"
            )
            return self.html_page(path, "Impressum", main)
        main = (
            "<h1>Legal notice</h1>\n"
            f"<p>{escape(c.name)}, registered office: {escape(c.street_address)}. "
            f"Company number {number:08d}.</p>\n"
            f"<p>Director: {escape(leader.name.full)} ({escape(leader.title)}){leader_email}</p>\n"
            f"<p>Email: {info} · Phone: {escape(c.phone)}</p>"
        )
        return self.html_page(path, "Legal notice", main)

    def careers(self) -> Page:
        c = self.c
        careers_url = c.url(c.paths.careers)
        roles = "".join(
            f'<li class="job">{escape(r)} – {escape(c.city)}</li>' for r in c.open_roles
        )
        if not c.open_roles:
            roles = f"<li>{self.t('No open positions right now.', 'Derzeit keine offenen Stellen.')}</li>"
        apply = "".join(
            f"<p>{self.t('Apply at', 'Bewerbungen an')} {self.address_html(g.address, g.disguise)}</p>"
            for g in c.generic_addresses
            if g.published_on == careers_url
        )
        head = ""
        if c.open_roles and self.rng.random() < 0.5:
            head = "\n".join(
                json_ld(
                    {
                        "@context": "https://schema.org",
                        "@type": "JobPosting",
                        "title": role,
                        "datePosted": (self.reference_date - timedelta(days=7 * n + 3)).isoformat(),
                        "hiringOrganization": {"@type": "Organization", "name": c.name},
                        "jobLocation": {
                            "@type": "Place",
                            "address": {"@type": "PostalAddress", "addressLocality": c.city},
                        },
                    }
                )
                for n, role in enumerate(c.open_roles)
            )
        main = (
            f"<h1>{self.t('Careers', 'Karriere')}</h1>\n"
            f"<h2>{self.t('Open positions', 'Offene Stellen')}</h2><ul>{roles}</ul>\n{apply}"
        )
        return self.html_page(c.paths.careers, self.t("Careers", "Karriere"), main, head)

    def blog(self) -> Page:
        c = self.c
        if "server_error" in c.hostile:
            return Page(
                500,
                b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                "text/html; charset=utf-8",
            )
        items = []
        for post in c.posts:
            when = _date_text(post.published, c.language)
            if self.rng.random() < 0.6:
                when = f'<time datetime="{post.published.isoformat()}">{when}</time>'
            items.append(
                f'<article><h2><a href="{escape(post.url)}">{escape(post.title)}</a></h2>'
                f"<p>{when}</p></article>"
            )
        blog_url = c.url(c.paths.blog)
        press = "".join(
            f"<p>{self.t('Press', 'Presse')}: {self.address_html(g.address, g.disguise)}</p>"
            for g in c.generic_addresses
            if g.published_on == blog_url
        )
        main = f"<h1>{self.t('News', 'Aktuelles')}</h1>\n" + "\n".join(items) + press
        return self.html_page(c.paths.blog, self.t("News", "Aktuelles"), main)

    def post(self, index: int) -> tuple[str, Page]:
        c, ind = self.c, self.industry
        post = c.posts[index]
        path = urlsplit(post.url).path
        service = self.rng.choice(ind.services_de if self.de else ind.services_en)
        author = self.rng.choice(c.people)
        years = self.reference_date.year - c.founded
        body = self.t(
            f"In this post: {escape(post.title)}. For {years} years our team in {escape(c.city)} "
            f"has worked on {escape(service)}, and clients keep asking us about it.",
            f"In diesem Beitrag: {escape(post.title)}. Seit {years} Jahren arbeitet unser Team in "
            f"{escape(c.city)} an {escape(service)}.",
        )
        main = (
            f'<article class="post"><h1>{escape(post.title)}</h1>\n'
            f'<p class="meta"><time datetime="{post.published.isoformat()}">'
            f"{_date_text(post.published, c.language)}</time> · {escape(author.name.full)}</p>\n"
            f"<p>{body}</p></article>"
        )
        head = (
            f'<meta property="article:published_time" content="{post.published.isoformat()}'
            'T09:00:00+00:00">'
        )
        return path, self.html_page(path, post.title, main, head)

    def not_found(self) -> Page:
        main = f"<h1>{self.t('Page not found', 'Seite nicht gefunden')}</h1>"
        return self.html_page("/404", "404", main, status=404)

    def catalogue(self) -> Page:
        rows = hostile.huge_catalogue_rows("EUR" if self.de else "USD")
        main = (
            f'<h1>{self.t("Products", "Produkte")}</h1>\n<table class="catalogue">\n{rows}</table>'
        )
        return self.html_page("/products", self.t("Products", "Produkte"), main)

    # -- the whole site --------------------------------------------------------------------

    def pages(self) -> dict[str, Page]:
        c = self.c
        p = c.paths
        pages: dict[str, Page] = {
            self.home_path: self.home(),
            p.about: self.about(),
            p.team: self.team(),
            p.contact: self.contact(),
            p.blog: self.blog(),
        }
        if p.imprint:
            pages[p.imprint] = self.imprint(p.imprint)
        if "redirect_loop" in c.hostile:
            other = p.careers.removesuffix(".html") + "/open-positions"
            pages[p.careers] = _redirect(c.url(other), 302)
            pages[other] = _redirect(c.url(p.careers), 302)
        else:
            pages[p.careers] = self.careers()
        for i in range(len(c.posts)):
            path, page = self.post(i)
            pages[path] = page
        if "redirect_chain" in c.hostile:
            pages["/"] = _redirect(c.url("/home"), 301)
            pages["/home"] = _redirect(c.url("/home/"), 302)
            pages["/home/"] = _redirect(c.url(self.home_path), 301)
        if "huge_page" in c.hostile:
            pages["/products"] = self.catalogue()
        pages.update(self.assets.pages)

        modified = self.reference_date - timedelta(days=self.rng.randint(1, 90))
        listed = [
            (c.url(path), modified)
            for path in (self.home_path, p.about, p.team, p.contact, p.careers, p.blog)
        ]
        if "private_links" in c.hostile:
            listed.append((f"http://{hostile.PRIVATE_HOST_LABEL}.{c.domain}/", modified))
        sitemap_path, files = sitemaps(c, listed, [(post.url, post.published) for post in c.posts])
        pages.update(files)
        pages["/robots.txt"] = robots_txt(c, self.rng, sitemap_path)
        return pages


def _redirect(location: str, status: int) -> Page:
    return Page(status, b"", "text/html; charset=utf-8", (("Location", location),))


def _misnest(markup: str) -> str:
    """Unclosed, misnested and stray tags around content that must stay readable."""
    broken = markup.replace("</div>", "", 3).replace("</p>", "").replace("</td>", "")
    return f"<div class=wrapper><section><b>{broken}</span></i><td>stray cell<table><tr><td>"


def _cut_off(document: str) -> str:
    """The document stops mid-tag, without </body> or </html>."""
    end = document.lower().rfind("</body>")
    return document[:end] + '<div class="tail"><a href="/kontakt'


def render_site(company: Company, rng: random.Random, reference_date: date) -> Site:
    renderer = _SiteRenderer(company, rng, reference_date)
    pages = renderer.pages()
    last_modified = datetime.combine(
        reference_date - timedelta(days=rng.randint(1, 60)), time(9, 0), tzinfo=UTC
    )
    return Site(
        host=company.host,
        pages=pages,
        not_found=renderer.not_found(),
        caching=company.caching,
        last_modified=last_modified,
    )
