"""The lead score over plain data: factors, weights, the facts they rest on, and the address."""

from __future__ import annotations

from datetime import date

import pytest

from coldflow.contacts.scoring import (
    AddressProfile,
    CompanyProfile,
    FactRef,
    PersonProfile,
    is_sendable,
    pick_address,
    score_lead,
)
from coldflow.discover.icp import icp_from_mapping

TODAY = date(2026, 12, 4)
SITE = "https://spedition-nord.de"

ICP = icp_from_mapping(
    {
        "industries": ["logistics"],
        "locations": ["DACH"],
        "company_size": "10-500",
        "excluded_terms": ["franchise"],
        "personas": ["decision makers in sales"],
    }
)


def company(*extra: FactRef, size: int = 80, country: str = "DE") -> CompanyProfile:
    return CompanyProfile(
        "spedition-nord.de",
        (
            FactRef("company.name", "Spedition Nord GmbH", 1, f"{SITE}/"),
            FactRef(
                "company.description",
                "Spedition Nord – Logistikunternehmen in Hamburg mit eigener Flotte.",
                2,
                f"{SITE}/ueber-uns",
            ),
            FactRef("company.country", country, 3, f"{SITE}/impressum"),
            FactRef("company.size", {"text": f"{size} Mitarbeiter", "employees": size}, 4, SITE),
            *extra,
        ),
    )


HEAD_OF_SALES = PersonProfile(
    "Lena Vogt",
    "Vertriebsleiterin",
    "Head of Sales",
    "head",
    "sales",
    FactRef("person.title", "Vertriebsleiterin", 20, f"{SITE}/team"),
)
VALID_FOUND = AddressProfile("lena.vogt@spedition-nord.de", "found", 0.95, "valid", 0.95, "", SITE)
POST = FactRef(
    "signal.post",
    {"title": "Neue Halle in Hamburg", "url": f"{SITE}/news/halle", "date": "2026-11-10"},
    30,
    f"{SITE}/news",
)
ROLE = FactRef("signal.open_role", {"title": "Disponent (m/w/d)", "location": "Hamburg"}, 31, SITE)


def factors(score) -> dict[str, dict]:
    return {f["factor"]: f for f in score.explanation()}


def test_every_factor_carries_its_weight_value_and_the_fact_it_rests_on():
    score = score_lead(ICP, company(POST, ROLE), HEAD_OF_SALES, VALID_FOUND, TODAY)
    explained = factors(score)
    assert set(explained) == {
        "industry",
        "location",
        "company_size",
        "excluded_terms",
        "persona",
        "seniority",
        "department",
        "email",
        "open_roles",
        "recent_posts",
    }
    assert sum(f["weight"] for f in explained.values()) == pytest.approx(1.0, abs=1e-3)
    # The name is read first: it says "Spedition".
    assert explained["industry"]["fact_id"] == 1
    assert "Spedition" in explained["industry"]["value"]
    assert explained["location"]["fact_id"] == 3
    assert explained["company_size"]["source_url"] == SITE
    assert explained["seniority"]["fact_id"] == 20
    assert explained["seniority"]["source_url"] == f"{SITE}/team"
    assert explained["recent_posts"]["fact_id"] == 30
    assert explained["open_roles"]["fact_id"] == 31
    assert explained["email"]["source_url"] == SITE
    assert score.score == pytest.approx(sum(f["points"] for f in explained.values()), abs=0.2)
    assert score.score > 90
    assert score.persona_fits and not score.disqualified


def test_factors_the_icp_does_not_ask_about_are_left_out_and_the_rest_scaled_up():
    bare = icp_from_mapping({"industries": ["logistics"], "personas": ["sales"]})
    explained = factors(score_lead(bare, company(), HEAD_OF_SALES, VALID_FOUND, TODAY))
    assert "location" not in explained and "company_size" not in explained
    assert "excluded_terms" not in explained
    assert sum(f["weight"] for f in explained.values()) == pytest.approx(1.0, abs=1e-3)


def test_a_company_outside_the_wanted_places_earns_nothing_for_location_and_unknown_earns_half():
    abroad = factors(score_lead(ICP, company(country="US"), HEAD_OF_SALES, VALID_FOUND, TODAY))[
        "location"
    ]
    assert abroad["credit"] == 0 and "US" in abroad["value"]
    unknown = CompanyProfile(
        "x.de", (FactRef("company.description", "Logistik für Hamburg", 5, "http://x.de/"),)
    )
    assert (
        factors(score_lead(ICP, unknown, HEAD_OF_SALES, VALID_FOUND, TODAY))["location"]["credit"]
        == 0.5
    )


def test_a_city_names_its_country_when_no_country_is_published():
    graz = CompanyProfile(
        "kelvex.at",
        (
            FactRef("company.name", "Kelvex Transporte", 1, "http://kelvex.at/"),
            FactRef("company.city", "Graz", 2, "http://kelvex.at/kontakt"),
        ),
    )
    location = factors(score_lead(ICP, graz, HEAD_OF_SALES, VALID_FOUND, TODAY))["location"]
    assert location["credit"] == 1 and location["fact_id"] == 2 and "AT" in location["value"]


def test_a_company_too_big_for_the_icp_loses_the_size_points():
    too_big = factors(score_lead(ICP, company(size=5000), HEAD_OF_SALES, VALID_FOUND, TODAY))
    assert too_big["company_size"]["credit"] == 0
    assert "5000 employees" in too_big["company_size"]["value"]


def test_an_excluded_term_disqualifies_the_company_and_says_where_it_was_read():
    franchise = FactRef(
        "company.description", "Logistik-Franchise mit 40 Standorten", 9, f"{SITE}/franchise"
    )
    score = score_lead(ICP, company(franchise), HEAD_OF_SALES, VALID_FOUND, TODAY)
    assert "franchise" in score.disqualified and f"{SITE}/franchise" in score.disqualified
    assert factors(score)["excluded_terms"]["credit"] == 0


def test_a_person_outside_every_persona_does_not_fit():
    accountant = PersonProfile("Jan Roth", "Buchhalter", "Accountant", "staff", "finance")
    score = score_lead(ICP, company(), accountant, VALID_FOUND, TODAY)
    assert not score.persona_fits
    assert factors(score)["persona"]["credit"] == 0


def test_a_managing_director_fits_a_sales_persona_as_general_management_with_less_department_credit():
    ceo = PersonProfile("Ute Berg", "Geschäftsführerin", "Managing Director", "c_level", "other")
    score = score_lead(ICP, company(), ceo, VALID_FOUND, TODAY)
    assert score.persona_fits
    assert 0 < factors(score)["department"]["credit"] < 1


def test_more_senior_people_and_better_addresses_score_higher():
    manager = PersonProfile("Tim Kurz", "Vertriebsmanager", "Sales Manager", "manager", "sales")
    assert score_lead(ICP, company(), HEAD_OF_SALES, VALID_FOUND, TODAY).score > (
        score_lead(
            icp_from_mapping({**_mapping(), "personas": ["sales"]}),
            company(),
            manager,
            VALID_FOUND,
            TODAY,
        ).score
    )
    guessed = AddressProfile(
        "lvogt@spedition-nord.de", "guessed", 0.4, "accept_all", 0.9, "{f}{last}"
    )
    with_guess = score_lead(ICP, company(), HEAD_OF_SALES, guessed, TODAY)
    assert with_guess.score < score_lead(ICP, company(), HEAD_OF_SALES, VALID_FOUND, TODAY).score
    email = factors(with_guess)["email"]
    assert "guessed" in email["value"] and email["credit"] == pytest.approx(0.6 * 0.4)
    nothing = score_lead(ICP, company(), HEAD_OF_SALES, None, TODAY)
    assert factors(nothing)["email"]["credit"] == 0


def test_a_guess_the_mail_server_confirmed_counts_as_much_as_a_found_address():
    confirmed = AddressProfile("lena.vogt@spedition-nord.de", "guessed", 0.5, "valid", 0.95)
    assert factors(score_lead(ICP, company(), HEAD_OF_SALES, confirmed, TODAY))["email"][
        "credit"
    ] == pytest.approx(1.0)


def test_recent_posts_earn_full_credit_old_ones_half_and_future_dates_none():
    def credit(post_date: str) -> float:
        post = FactRef("signal.post", {"title": "News", "date": post_date}, 7, SITE)
        return factors(score_lead(ICP, company(post), HEAD_OF_SALES, VALID_FOUND, TODAY))[
            "recent_posts"
        ]["credit"]

    assert credit("2026-11-01") == 1
    assert credit("2026-03-01") == 0.5
    assert credit("2024-01-01") == 0
    assert credit("2027-06-01") == 0


def test_open_roles_earn_credit_by_count():
    roles = [FactRef("signal.open_role", {"title": f"Role {i}"}, 40 + i, SITE) for i in range(5)]
    one = factors(score_lead(ICP, company(roles[0]), HEAD_OF_SALES, VALID_FOUND, TODAY))
    many = factors(score_lead(ICP, company(*roles), HEAD_OF_SALES, VALID_FOUND, TODAY))
    assert 0 < one["open_roles"]["credit"] < many["open_roles"]["credit"] == 1
    assert "5 open roles" in many["open_roles"]["value"]


def test_the_best_address_is_never_invalid_disposable_or_suppressed():
    invalid = AddressProfile("lena@spedition-nord.de", "found", 1.0, "invalid", 0.95)
    throwaway = AddressProfile("lena@mailinator.com", "found", 1.0, "disposable", 0.95)
    guessed = AddressProfile("l.vogt@spedition-nord.de", "guessed", 0.7, "accept_all", 0.9)
    assert pick_address([invalid, throwaway]) is None
    assert pick_address([invalid, guessed, VALID_FOUND]) == VALID_FOUND
    assert pick_address([VALID_FOUND, guessed], {"lena.vogt@spedition-nord.de"}) == guessed
    assert pick_address([VALID_FOUND, guessed], {"spedition-nord.de"}) is None


def test_only_verified_addresses_that_may_reach_someone_are_sendable():
    assert is_sendable(VALID_FOUND)
    assert is_sendable(AddressProfile("a@b.de", "guessed", 0.5, "accept_all"))
    assert not is_sendable(AddressProfile("a@b.de", "found", 1.0, "unverified"))
    assert not is_sendable(None)


def _mapping() -> dict:
    return {"industries": ["logistics"], "locations": ["DACH"], "company_size": "10-500"}
