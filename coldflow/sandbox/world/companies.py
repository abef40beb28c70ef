"""One company's facts, people and addresses, drawn from its own seeded random generator."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Literal

from anyascii import anyascii

from coldflow.sandbox.mail_world import ProspectBehaviour, ReplyKind
from coldflow.sandbox.world.addresses import PATTERN_WEIGHTS, local_part, name_part
from coldflow.sandbox.world.hostile import SCRIPT_NAME_PART
from coldflow.sandbox.world.industries import INDUSTRIES, Industry
from coldflow.sandbox.world.model import (
    CharsetDeclaration,
    Company,
    Disguise,
    Encoding,
    GenericAddress,
    Person,
    PersonName,
    Post,
    SitePaths,
    Theme,
    site_url,
)
from coldflow.sandbox.world.names import ENGLISH_FAMILY, GERMAN_FAMILY, pick_name, words
from coldflow.sandbox.world.places import Country, phone_number, pick_country, street_address
from coldflow.sandbox.world.plan import CompanyPlan
from coldflow.sandbox.world.technologies import pick_technologies
from coldflow.sandbox.world.titles import TitleRole, pick_team_roles

_STEM_STARTS = words("Nor Vex Tal Bri Quen Lum Ar Sol Ven Kor Mir Zen Al Cal Dor Fal Hel Kel Mar")
_STEM_ENDS = words("vex dan ora ium ex ion ia ly tek ris wick ford mark bury stein feld berg heim")
_SIZES: tuple[tuple[str, int, int, int, tuple[int, int]], ...] = (
    # band, fewest employees, most employees, weight, (fewest, most) people on the team page
    ("1-10", 2, 10, 20, (3, 4)),
    ("11-50", 11, 50, 35, (4, 6)),
    ("51-200", 51, 200, 25, (5, 8)),
    ("201-500", 201, 500, 12, (6, 9)),
    ("501-1000", 501, 1000, 5, (7, 10)),
    ("1001-5000", 1001, 5000, 3, (8, 11)),
)
_REPLY_WEIGHTS: dict[ReplyKind, int] = {
    "none": 40,
    "interested": 12,
    "not_now": 10,
    "not_interested": 12,
    "referral": 6,
    "out_of_office": 12,
    "unsubscribe": 8,
}
_PARTNER_INDUSTRIES = ("law", "accounting", "consulting", "architecture")


def slug(text: str) -> str:
    """ "Müller & Söhne" → "mueller-soehne"."""
    expanded = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", anyascii(expanded).lower()).strip("-")


def _company_name(
    rng: random.Random, industry: Industry, country: Country, city: str
) -> tuple[str, str]:
    """(name as published without legal form, the part the domain is made from)."""
    german = country.language == "de"
    word = rng.choice(industry.name_words_de if german else industry.name_words_en)
    surnames = GERMAN_FAMILY if german else ENGLISH_FAMILY
    stem = rng.choice(_STEM_STARTS) + rng.choice(_STEM_ENDS)
    roll = rng.random()
    if industry.key in _PARTNER_INDUSTRIES and roll < 0.4:
        first, second = rng.sample(surnames, 2)
        return f"{first} & {second}", f"{first}{second}"
    if industry.key == "dental" and german and roll < 0.5:
        family = rng.choice(surnames)
        return f"Zahnarztpraxis Dr. {family}", f"zahnarzt-{family}"
    if industry.key == "hospitality" and roll < 0.5:
        return f"Hotel {stem}", f"hotel-{stem}"
    if roll < 0.45:
        return f"{stem} {word}", rng.choice((stem, f"{stem}-{word}", f"{stem}{word}"))
    if roll < 0.7:
        family = rng.choice(surnames)
        return f"{family} {word}", f"{family}-{word}"
    if roll < 0.85:
        return (f"{word} {city}" if german else f"{city} {word}"), f"{city}-{word}"
    return stem, stem


def _domain(rng: random.Random, base: str, city: str, country: Country, taken: set[str]) -> str:
    suffix = rng.choice(country.suffixes)
    label = slug(base)
    candidates = itertools.chain(
        (label, f"{label}-{slug(city)}"), (f"{label}{n}" for n in itertools.count(2))
    )
    domain = next(f"{c}{suffix}" for c in candidates if f"{c}{suffix}" not in taken)
    taken.add(domain)
    return domain


def _paths(rng: random.Random, language: str, country: Country, theme: Theme) -> SitePaths:
    if language == "de":
        about = rng.choice(("/ueber-uns", "/unternehmen"))
        team = rng.choice(("/team", f"{about}/team", "/ansprechpartner", "/unser-team"))
        contact, imprint = "/kontakt", "/impressum"
        careers = rng.choice(("/karriere", "/jobs"))
        blog = rng.choice(("/blog", "/aktuelles", "/news"))
    else:
        about = rng.choice(("/about", "/about-us", "/company"))
        team = rng.choice(("/team", f"{about}/team", "/leadership", "/people"))
        contact = rng.choice(("/contact", "/contact-us"))
        imprint = rng.choice(("/imprint", "/legal")) if country.code in ("GB", "IE") else None
        careers = rng.choice(("/careers", "/jobs"))
        blog = rng.choice(("/blog", "/news", "/insights"))
    # Old sites still serve files.
    ext = ".html" if theme == "legacy" else ""
    return SitePaths(
        about=about + ext,
        team=team + ext,
        contact=contact + ext,
        imprint=imprint + ext if imprint else None,
        careers=careers + ext,
        blog=blog + ext,
    )


def _contact_disguise(rng: random.Random, language: str, team: Disguise) -> Disguise:
    # Sites with an obfuscation plugin use it everywhere.
    if team in ("cfemail", "javascript", "image", "entities") and rng.random() < 0.5:
        return team
    if language == "de":
        options: tuple[Disguise, ...] = ("mailto", "mailto", "at_parens", "at_umlaut", "entities")
    else:
        options = ("mailto", "mailto", "plain", "entities", "at_brackets")
    return rng.choice(options)


def _posts(
    rng: random.Random,
    industry: Industry,
    language: str,
    name: str,
    city: str,
    blog_path: str,
    url_of,
    reference_date: date,
) -> tuple[Post, ...]:
    topics = industry.topics_de if language == "de" else industry.topics_en
    if language == "de":
        templates = (
            "{T}: unsere Erfahrungen",
            "Ein genauer Blick auf {t}",
            "Warum {t} in {city} wichtig ist",
            "{name} auf der Fachmesse in {city}",
            "Neu im Team: Verstärkung für {city}",
        )
    else:
        templates = (
            "{T}: what we learned",
            "A closer look at {t}",
            "{T} in {city}: why it matters",
            "{name} at the {city} trade fair",
            "We are hiring in {city}",
        )
    base = blog_path.removesuffix(".html")
    ext = ".html" if blog_path.endswith(".html") else ""
    posts: list[Post] = []
    slugs: set[str] = set()
    days = sorted(rng.sample(range(2, 420), rng.randint(2, 6)))
    titles = list(
        dict.fromkeys(
            template.format(T=topic[:1].upper() + topic[1:], t=topic, city=city, name=name)
            for template in templates
            for topic in topics
        )
    )
    for day, title in zip(days, rng.sample(titles, min(len(days), len(titles))), strict=False):
        post_slug = slug(title)
        while post_slug in slugs:
            post_slug += "-2"
        slugs.add(post_slug)
        posts.append(
            Post(
                title=title,
                published=reference_date - timedelta(days=day),
                url=url_of(f"{base}/{post_slug}{ext}"),
            )
        )
    return tuple(posts)


def _reply(
    rng: random.Random, person: Person, colleagues: list[Person], language: str, today: date
) -> ProspectBehaviour:
    kind = rng.choices(list(_REPLY_WEIGHTS), weights=list(_REPLY_WEIGHTS.values()))[0]
    others = [c for c in colleagues if c.address != person.address and c.deliverable]
    if kind == "referral" and not others:
        kind = "not_interested"
    referral = rng.choice(others) if kind == "referral" else None
    return ProspectBehaviour(
        address=person.address,
        first_name=person.name.given,
        last_name=person.name.family,
        kind=kind,
        language="de" if language == "de" else "en",
        delay_seconds=round(rng.uniform(1.0, 5.0), 1),
        referral_name=f"{referral.name.given} {referral.name.family}" if referral else None,
        referral_email=referral.address if referral else None,
        return_date=today + timedelta(days=rng.randint(5, 21)) if kind == "out_of_office" else None,
    )


def _team(
    rng: random.Random,
    plan: CompanyPlan,
    language: str,
    *,
    size: int,
    large: bool,
    address_of: Callable[[PersonName], str],
    pages: tuple[str, str, str | None],
    disguises: tuple[Disguise, Disguise],
    has_mx: bool,
) -> list[Person]:
    """The people on the team page, where each one's address is published, and whether it
    still exists. `pages` are the team, contact and imprint URLs; `disguises` how the team page
    and the other pages write addresses."""
    team_url, contact_url, imprint_url = pages
    team_disguise, contact_disguise = disguises
    drafts: list[tuple[PersonName, TitleRole, str]] = []
    addresses: set[str] = set()
    for role in pick_team_roles(rng, size, large):
        for _ in range(30):
            name = pick_name(rng, language, senior=role.seniority != "staff")
            address = address_of(name)
            if address.split("@")[0] and address not in addresses:
                addresses.add(address)
                drafts.append((name, role, address))
                break
        # A role whose every candidate collides with a colleague's address stays vacant.

    publishes = plan.must_publish or rng.random() < 0.85
    placements: list[tuple[str | None, Disguise | None]] = []
    for i in range(len(drafts)):
        if not publishes:
            placements.append((None, None))
        elif i == 0 and imprint_url and rng.random() < 0.5:
            placements.append((imprint_url, contact_disguise))
        elif rng.random() < 0.65:
            placements.append((team_url, team_disguise))
        elif rng.random() < 0.3:
            placements.append((contact_url, contact_disguise))
        else:
            placements.append((None, None))
    if publishes and all(page != team_url for page, _ in placements):
        placements[-1] = (team_url, team_disguise)

    bouncer = (
        rng.randrange(1, len(drafts)) if plan.bounce_after_accept and len(drafts) > 1 else None
    )
    people = []
    for i, ((name, role, address), (page, shown)) in enumerate(
        zip(drafts, placements, strict=True)
    ):
        bounces = i == bouncer
        # Some published people have left the company; their address no longer exists.
        left = page is not None and i != 0 and rng.random() < 0.06
        linkedin = None
        if rng.random() < 0.4:
            handle = f"{name_part(name.given, 'strip')}-{name_part(name.family, 'strip')}"
            linkedin = site_url("www.linkedin.com", f"/in/{handle}-{rng.randrange(16**6):06x}")
        people.append(
            Person(
                name=name,
                title=role.phrase(rng, language, name.gender),
                title_normalised=role.normalised,
                seniority=role.seniority,
                department=role.department,
                address=address,
                listed_on=team_url,
                published_on=page,
                disguise=shown,
                deliverable=has_mx and not bounces and not left,
                bounces_after_accept=bounces,
                linkedin=linkedin,
                reply="none",
            )
        )
    return people


def build_company(
    rng: random.Random,
    index: int,
    plan: CompanyPlan,
    reference_date: date,
    taken: set[str],
) -> tuple[Company, tuple[ProspectBehaviour, ...]]:
    country = pick_country(rng, plan.language)
    language: Literal["en", "de"] = country.language
    city = rng.choices(country.cities, weights=range(len(country.cities) + 1, 1, -1))[0]
    industry = rng.choice(INDUSTRIES)
    core, domain_base = _company_name(rng, industry, country, city.name)
    if plan.hostile == "script_name":
        core = f"{core}{SCRIPT_NAME_PART}"
    legal_form = rng.choice(country.legal_forms)
    if rng.random() < 0.8 and not core.startswith(("Zahnarztpraxis", "Hotel")):
        name = f"{core} {legal_form}"
    else:
        name = core
    domain = _domain(rng, domain_base, city.name, country, taken)
    host = f"www.{domain}" if rng.random() < 0.35 else domain
    theme: Theme = rng.choices(("modern", "bootstrap", "legacy"), weights=(45, 35, 20))[0]
    paths = _paths(rng, language, country, theme)

    def url_of(path: str) -> str:
        return site_url(host, path)

    band, fewest, most, _, team_range = rng.choices(_SIZES, weights=[s[3] for s in _SIZES])[0]
    employees = rng.randint(fewest, most)
    founded = rng.randint(1950, reference_date.year - 2)
    services = rng.sample(industry.services_de if language == "de" else industry.services_en, 3)
    if language == "de":
        description = (
            f"{name} – {industry.kind_de} in {city.name}. Unsere Leistungen: {services[0]}, "
            f"{services[1]} und {services[2]}."
        )
    else:
        description = (
            f"{name} is a {industry.kind_en} in {city.name}, {country.name_en}, offering "
            f"{services[0]}, {services[1]} and {services[2]}."
        )
    terms = industry.terms_de if language == "de" else industry.terms_en
    keywords = tuple(rng.sample(terms, min(3, len(terms)))) + tuple(services)

    disguise = plan.disguise
    contact_disguise = _contact_disguise(rng, language, disguise)
    technologies = pick_technologies(rng, language, shop=industry.key == "ecommerce")
    if "cfemail" in (disguise, contact_disguise):
        technologies += ("Cloudflare",)

    pattern = rng.choices(list(PATTERN_WEIGHTS), weights=list(PATTERN_WEIGHTS.values()))[0]
    umlauts: Literal["expand", "strip"] = "expand" if language == "de" else "strip"
    if rng.random() < 0.2:
        umlauts = "strip" if umlauts == "expand" else "expand"
    has_mx = plan.mail not in ("no_mx", "null_mx")

    team_url = url_of(paths.team)
    people = _team(
        rng,
        plan,
        language,
        size=rng.randint(*team_range),
        large=employees > 200,
        address_of=lambda name: f"{local_part(pattern, name.given, name.family, umlauts)}@{domain}",
        pages=(team_url, url_of(paths.contact), url_of(paths.imprint) if paths.imprint else None),
        disguises=(disguise, contact_disguise),
        has_mx=has_mx,
    )
    behaviours = []
    for i, person in enumerate(people):
        if person.deliverable:
            behaviour = _reply(rng, person, people, language, reference_date)
            behaviours.append(behaviour)
            people[i] = replace(person, reply=behaviour.kind)

    info = rng.choice(("info", "kontakt", "office") if language == "de" else ("info", "hello"))
    generic = [GenericAddress(f"{info}@{domain}", url_of(paths.contact), contact_disguise)]
    if rng.random() < 0.3:
        sales = "vertrieb" if language == "de" else "sales"
        generic.append(GenericAddress(f"{sales}@{domain}", url_of(paths.contact), contact_disguise))
    if plan.hostile != "redirect_loop":
        jobs = rng.choice(("karriere", "bewerbung") if language == "de" else ("jobs", "careers"))
        generic.append(GenericAddress(f"{jobs}@{domain}", url_of(paths.careers), contact_disguise))
    # The blog index of the server_error company answers 500, so nothing is published there.
    if rng.random() < 0.2 and plan.hostile != "server_error":
        press = "presse" if language == "de" else "press"
        generic.append(GenericAddress(f"{press}@{domain}", url_of(paths.blog), contact_disguise))

    roles_pool = industry.roles_de if language == "de" else industry.roles_en
    role_count = rng.randint(0, 2) if employees <= 50 else rng.randint(1, 4)
    open_roles = tuple(rng.sample(roles_pool, min(role_count, len(roles_pool))))
    if plan.hostile == "redirect_loop":
        open_roles = ()
    posts = _posts(rng, industry, language, core, city.name, paths.blog, url_of, reference_date)

    encoding: Encoding = "utf-8"
    declared: CharsetDeclaration = rng.choices(("both", "header", "meta"), weights=(5, 2, 3))[0]
    if plan.hostile == "latin1_header":
        encoding, declared = "iso-8859-1", "header"
    elif plan.hostile == "cp1252_meta":
        encoding, declared = "windows-1252", "meta"
    elif plan.hostile == "undeclared_encoding":
        encoding, declared = "windows-1252", "none"

    disallow = [paths.team] if plan.robots_disallow_team else []
    if "WordPress" in technologies:
        disallow.append("/wp-admin/")
    if rng.random() < 0.3:
        disallow.append("/intern/" if language == "de" else "/private/")

    company = Company(
        index=index,
        name=name,
        domain=domain,
        host=host,
        industry=industry.key,
        country=country.code,
        city=city.name,
        language=language,
        size=band,
        employees=employees,
        founded=founded,
        description=description,
        street_address=street_address(rng, country, city),
        phone=phone_number(rng, country, city),
        technologies=technologies,
        open_roles=open_roles,
        posts=posts,
        people=tuple(people),
        generic_addresses=tuple(generic),
        email_pattern=pattern,
        umlauts=umlauts,
        catch_all=plan.mail == "catch_all",
        greylist=plan.mail == "greylist",
        has_mx=has_mx,
        null_mx=plan.mail == "null_mx",
        paths=paths,
        layout=plan.layout,
        theme=theme,
        encoding=encoding,
        charset_declared=declared,
        caching=rng.choices(("etag", "last_modified", "both", "none"), weights=(25, 25, 30, 20))[0],
        robots_disallow=tuple(disallow),
        hostile=(plan.hostile,) if plan.hostile else (),
        keywords=keywords,
    )
    return company, tuple(behaviours)
