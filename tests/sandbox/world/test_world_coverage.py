"""The default 60 companies contain every layout, disguise, hostile case and mail behaviour the
tests and benchmarks rely on, in both languages."""

from __future__ import annotations

import re
from typing import get_args

from coldflow.sandbox.mail_world import ReplyKind
from coldflow.sandbox.world import World
from coldflow.sandbox.world.hostile import HOSTILE_CASES
from coldflow.sandbox.world.model import Department, Disguise, Layout, Seniority, Theme


def test_every_team_page_layout_occurs(world: World) -> None:
    assert {c.layout for c in world.companies} == set(get_args(Layout))


def test_every_address_disguise_occurs_on_a_page(world: World) -> None:
    shown = {p.disguise for c in world.companies for p in c.people if p.published_on}
    shown |= {g.disguise for c in world.companies for g in c.generic_addresses}
    assert shown == set(get_args(Disguise))


def test_every_hostile_case_lives_on_exactly_one_company(world: World) -> None:
    cases = [case for c in world.companies for case in c.hostile]
    assert sorted(cases) == sorted(HOSTILE_CASES)


def test_sites_come_in_english_and_german_with_imprint_pages(world: World) -> None:
    assert {c.language for c in world.companies} == {"en", "de"}
    german = [c for c in world.companies if c.language == "de"]
    assert all(
        c.paths.imprint == "/impressum" or c.paths.imprint == "/impressum.html" for c in german
    )
    assert {c.country for c in world.companies} >= {"DE", "AT", "CH", "US", "GB"}


def test_every_theme_and_legacy_encoding_occurs(world: World) -> None:
    assert {c.theme for c in world.companies} == set(get_args(Theme))
    assert {c.encoding for c in world.companies} == {"utf-8", "iso-8859-1", "windows-1252"}
    assert {c.charset_declared for c in world.companies} == {"header", "meta", "both", "none"}


def test_mail_behaviours_cover_catch_all_greylisting_missing_and_null_mx(world: World) -> None:
    companies = world.companies
    assert sum(c.catch_all for c in companies) >= 2
    assert sum(c.greylist for c in companies) >= 2
    assert sum(not c.has_mx and not c.null_mx for c in companies) >= 2
    assert sum(c.null_mx for c in companies) == 1
    assert sum(p.bounces_after_accept for c in companies for p in c.people) >= 2
    published_but_gone = [
        p
        for c in companies
        if c.has_mx
        for p in c.people
        if p.published_on and not p.deliverable and not p.bounces_after_accept
    ]
    assert published_but_gone


def test_some_sites_disallow_their_team_page_in_robots_txt(world: World) -> None:
    assert sum(c.paths.team in c.robots_disallow for c in world.companies) >= 2


def test_every_reply_kind_occurs(world: World) -> None:
    kinds = {b.kind for b in world.mail.prospects.values()}
    assert kinds == set(get_args(ReplyKind))
    languages = {b.language for b in world.mail.prospects.values() if b.kind == "out_of_office"}
    assert languages == {"en", "de"}


def test_titles_cover_every_seniority_and_department(world: World) -> None:
    people = [p for c in world.companies for p in c.people]
    assert {p.seniority for p in people} == set(get_args(Seniority))
    assert {p.department for p in people} == set(get_args(Department))
    phrasings: dict[str, set[str]] = {}
    for person in people:
        phrasings.setdefault(person.title_normalised, set()).add(person.title)
    assert len(phrasings["Head of Sales"]) >= 3
    assert phrasings["Head of Sales"] & {
        "Vertriebsleiter",
        "Vertriebsleiterin",
        "Leiter Vertrieb",
        "Leiterin Vertrieb",
    }
    assert sum(len(p) >= 2 for p in phrasings.values()) >= 0.8 * len(phrasings)


def test_names_include_diacritics_particles_hyphens_and_academic_titles(world: World) -> None:
    names = [p.name for c in world.companies for p in c.people]
    assert any(re.search(r"[äöüß]", n.family + n.given) for n in names)
    assert any(n.family.split()[0] in ("von", "van", "de", "zu") for n in names)
    assert any("-" in n.family for n in names)
    assert any(n.full.startswith(("Dr.", "Prof.", "Dipl.")) for n in names)
    assert any(
        n.family
        in (
            "Zhang",
            "Ivanov",
            "Sharma",
            "Tanaka",
            "Kim",
            "Li",
            "Chen",
            "Petrova",
            "Gupta",
            "Sato",
            "Al-Hassan",
            "El-Sayed",
            "Kuznetsov",
            "Papadopoulos",
        )
        for n in names
    )


def test_companies_use_many_email_patterns(world: World) -> None:
    assert len({c.email_pattern for c in world.companies}) >= 6


def test_noise_covers_every_kind_of_non_prospect_site(world: World) -> None:
    assert {n.kind for n in world.noise} == {
        "directory",
        "social",
        "news",
        "job_board",
        "marketplace",
    }
