"""Icebreakers: the strongest signal, several phrasings, each carrying its fact and source."""

from datetime import date

from coldflow.compose.icebreakers import choose_icebreaker
from coldflow.compose.lead_data import CompanyInfo, FactRef, LeadData

TODAY = date(2026, 12, 4)
ACME = CompanyInfo(name="Acme Logistics", domain="acme.test", city="Basel")


def lead(*facts, lead_id=1, company=ACME):
    return LeadData(lead_id=lead_id, first_name="Anna", company=company, facts=tuple(facts))


POST = FactRef(
    11,
    "signal.post",
    {"title": "Our new depot in Basel", "url": "http://acme.test/blog/depot", "date": "2026-11-20"},
    "http://acme.test/blog",
)
OLD_POST = FactRef(
    12, "signal.post", {"title": "Ten years of Acme", "date": "2022-01-10"}, "http://acme.test/blog"
)
ROLE = FactRef(
    13,
    "signal.open_role",
    {"title": "Disponent (m/w/d)", "location": "Basel", "url": None},
    "http://acme.test/jobs",
)
TECH = FactRef(14, "signal.technology", {"name": "HubSpot", "category": "crm"}, "http://acme.test/")
ADS = FactRef(
    15, "signal.technology", {"name": "Meta Pixel", "category": "advertising"}, "http://acme.test/"
)
FOUNDED = FactRef(16, "company.founding_year", 1987, "http://acme.test/about")
CITY = FactRef(17, "company.city", "Basel", "http://acme.test/contact")


def test_a_recent_post_beats_an_open_role_and_a_technology():
    chosen = choose_icebreaker(lead(TECH, ROLE, POST), seed="1:1", today=TODAY)
    assert chosen.kind == "post" and chosen.fact is POST
    assert "Our new depot in Basel" in chosen.sentence
    assert chosen.citation() == {
        "fact_id": 11,
        "key": "signal.post",
        "source_url": "http://acme.test/blog",
        "sentence": chosen.sentence,
    }


def test_an_open_role_beats_an_old_post_and_loses_its_gender_suffix():
    chosen = choose_icebreaker(lead(OLD_POST, ROLE), seed="1:1", today=TODAY)
    assert chosen.kind == "open_role" and chosen.fact is ROLE
    assert "Disponent" in chosen.sentence and "m/w/d" not in chosen.sentence


def test_a_crm_says_more_than_an_ad_tag():
    assert choose_icebreaker(lead(ADS, TECH), seed="1:1", today=TODAY).fact is TECH


def test_the_company_s_age_and_then_its_city_come_last():
    assert choose_icebreaker(lead(CITY, FOUNDED), seed="1:1", today=TODAY).fact is FOUNDED
    assert choose_icebreaker(lead(CITY), seed="1:1", today=TODAY).fact is CITY


def test_no_usable_signal_gives_an_honest_generic_line_citing_nothing():
    unusable = FactRef(
        20, "signal.post", {"title": "https://acme.test/x", "date": "2026-11-01"}, ""
    )
    chosen = choose_icebreaker(lead(unusable), seed="1:1", today=TODAY)
    assert chosen.kind == "generic" and chosen.fact is None and chosen.citation() is None
    assert "Acme Logistics" in chosen.sentence
    nameless = choose_icebreaker(lead(company=CompanyInfo()), seed="1:1", today=TODAY)
    assert nameless.sentence in {
        "I came across your company and wanted to reach out.",
        "I found your company online and thought I would get in touch.",
    }


def test_the_phrasing_varies_across_leads_and_is_stable_for_one():
    sentences = {
        choose_icebreaker(lead(POST), seed=f"{n}:1", today=TODAY).sentence for n in range(60)
    }
    assert len(sentences) >= 3
    assert (
        len({choose_icebreaker(lead(POST), seed="9:1", today=TODAY).sentence for _ in range(5)})
        == 1
    )


def test_a_future_dated_post_is_quoted_without_its_date():
    future = FactRef(21, "signal.post", {"title": "Coming soon", "date": "2027-06-01"}, "http://a/")
    chosen = choose_icebreaker(lead(future), seed="1:1", today=TODAY)
    assert chosen.kind == "post" and "2027" not in chosen.sentence and "June" not in chosen.sentence


def test_quoted_titles_are_one_bounded_line_without_markup():
    messy = FactRef(
        22,
        "signal.post",
        {"title": "Big <b>news</b>\n\nfrom   us " + "word " * 40, "date": "2026-11-30"},
        "http://acme.test/blog",
    )
    chosen = choose_icebreaker(lead(messy), seed="1:1", today=TODAY)
    assert "\n" not in chosen.sentence and "<b>" not in chosen.sentence
    assert "Big news from us" in chosen.sentence and "…" in chosen.sentence
    assert len(chosen.sentence) < 160


def test_the_legal_form_is_dropped_when_the_company_is_named_in_a_sentence():
    company = CompanyInfo(name="Kelly GmbH & Co. KG", domain="kelly.test")
    chosen = choose_icebreaker(lead(company=company), seed="1:1", today=TODAY)
    assert "Kelly" in chosen.sentence and "GmbH" not in chosen.sentence
