"""Company facts: name, legal name, description, industry, address, country, founding year, size."""

from __future__ import annotations

import pytest

from coldflow.research.extract import extract_page
from coldflow.research.extract.postal_address import address_from_lines


def _company(html: str, url: str = "https://www.acme.de/") -> dict:
    return {key: fact.value for key, fact in extract_page(html, url).company.items()}


def test_json_ld_organization_facts_come_first() -> None:
    html = """<title>Home | Something Else</title><meta property="og:site_name" content="Acme Site">
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Acme Blog"},
      {"@type": "LegalService", "name": "Acme Rechtsanwälte", "legalName": "Acme Rechtsanwälte PartG mbB",
       "foundingDate": "2009-05-01", "numberOfEmployees": {"@type": "QuantitativeValue", "minValue": 10, "maxValue": 20},
       "address": {"@type": "PostalAddress", "streetAddress": "Hauptstraße 5", "postalCode": "10115",
                   "addressLocality": "Berlin", "addressCountry": "Deutschland"}}]}</script>"""
    assert _company(html) == {
        "name": "Acme Rechtsanwälte",
        "legal_name": "Acme Rechtsanwälte PartG mbB",
        "industry": "Legal Service",
        "address": {
            "street": "Hauptstraße 5",
            "postal_code": "10115",
            "city": "Berlin",
            "country": "DE",
        },
        "city": "Berlin",
        "country": "DE",
        "founding_year": 2009,
        "size": {"text": "20", "employees": 20},
    }


def test_the_name_falls_back_to_site_name_imprint_copyright_and_title() -> None:
    assert _company('<meta property="og:site_name" content="Nordwind">')["name"] == "Nordwind"
    assert (
        _company("<p>Firma: Nordwind Logistik GmbH</p>")["legal_name"] == "Nordwind Logistik GmbH"
    )
    assert (
        _company("<footer>© 2024 Nordwind Logistik GmbH. Alle Rechte vorbehalten.</footer>")[
            "legal_name"
        ]
        == "Nordwind Logistik GmbH"
    )
    assert (
        _company("<title>Team – Nordwind Logistik</title>", "https://nordwind-logistik.de/team")[
            "name"
        ]
        == "Nordwind Logistik"
    )
    assert (
        _company("<title>Startseite | Nordwind</title>", "https://nordwind.de/")["name"]
        == "Nordwind"
    )


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Founded in 2009, we build robots.", 2009),
        ("Gegründet 1987 in Heilbronn.", 1987),
        ("Die Firma wurde 1952 von Alois Brenner gegründet.", 1952),
        ("Est. 1999", 1999),
        ("Seit 1998 Ihr Partner.", 1998),
        ("Gründungsjahr: 2016", 2016),
    ],
)
def test_it_reads_the_founding_year(text: str, year: int) -> None:
    assert _company(f"<p>{text}</p>")["founding_year"] == year


def test_a_founding_year_in_the_future_is_ignored() -> None:
    assert "founding_year" not in _company("<p>Founded in 2999.</p>")


@pytest.mark.parametrize(
    ("text", "employees"),
    [
        ("We now have 50 employees.", 50),
        ("A team of 12 engineers.", 12),
        ("Über 200 Mitarbeiter arbeiten bei uns.", 200),
        ("Mit 1.200 Mitarbeitenden in Europa.", 1200),
        ("rund 35 Kolleginnen und Kollegen", 35),
        ("We are 28 people across London and Berlin.", 28),
        ("Unser Team aus 9 Fachkräften", 9),
    ],
)
def test_it_reads_size_hints(text: str, employees: int) -> None:
    assert _company(f"<p>{text}</p>")["size"]["employees"] == employees


def test_the_country_comes_from_the_address_then_the_domain_then_the_language() -> None:
    assert _company("<p>x</p>", "https://acme.at/")["country"] == "AT"
    assert _company("<p>x</p>", "https://acme.co.uk/")["country"] == "GB"
    assert "country" not in _company("<p>x</p>", "https://acme.io/")
    assert _company('<html lang="de-CH"><p>x</p></html>', "https://acme.io/")["country"] == "CH"


@pytest.mark.parametrize(
    ("lines", "address"),
    [
        (
            ["Acme GmbH", "Hauptstraße 5", "10115 Berlin", "Deutschland"],
            {"postal_code": "10115", "city": "Berlin", "street": "Hauptstraße 5", "country": "DE"},
        ),
        (
            ["Anschrift: Am Hafen 12 · 20457 Hamburg"],
            {"postal_code": "20457", "city": "Hamburg", "street": "Am Hafen 12"},
        ),
        (
            ["Bahnhofstrasse 10, CH-8001 Zürich"],
            {
                "postal_code": "8001",
                "city": "Zürich",
                "country": "CH",
                "street": "Bahnhofstrasse 10",
            },
        ),
        (
            ["221B Baker Street, London, NW1 6XE"],
            {"postal_code": "NW1 6XE", "city": "London", "street": "221B Baker Street"},
        ),
        (
            ["500 Congress Ave", "Austin, TX 78701", "USA"],
            {
                "postal_code": "78701",
                "city": "Austin",
                "region": "TX",
                "street": "500 Congress Ave",
                "country": "US",
            },
        ),
    ],
)
def test_it_reads_address_blocks(lines: list[str], address: dict) -> None:
    assert address_from_lines(lines) == address


def test_a_postcode_like_number_alone_is_no_address() -> None:
    assert address_from_lines(["2009 Gründung", "Seit 1998 für Sie da"]) is None
