"""Extraction over stored pages shaped like real small-company sites: each page's whole
`coldflow extract --json` object is asserted, as checked by hand against the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from coldflow.research.extract import extract_page, extraction_to_json

FIXTURES = Path(__file__).parent / "fixtures"

PAGES = {
    "wordpress_elementor_team.html": "https://harbourfinch.co.uk/team/",
    "german_impressum_windows1252.html": "https://www.kessler-vogt.de/impressum.html",
    "squarespace_about.html": "https://www.fernhillcoffee.com/about",
    "cloudflare_contact.html": "https://www.alpenblick-software.at/kontakt/",
    "careers_jobposting.html": "https://www.sonnwerk-solar.de/karriere/",
    "ghost_blog_listing.html": "https://tallyhawk.io/blog/",
    "table_only_people.html": "https://www.lindner-roth.de/team.html",
    "precision_traps.html": "https://formkit-demo.dev/",
    "definition_list_microdata_uk.html": "https://www.marlowpike.co.uk/people/",
    "js_obfuscated_contact.html": "https://www.keller-treuhand.ch/kontakt",
    "wix_photographer_home.html": "https://www.studio-lumen.de/",
    "webflow_startup_team.html": "https://www.loomwise.io/team",
    "broken_markup_latin1.html": "http://www.schreinerei-brenner.de/ueberuns.html",
}

EXPECTED = {
    "wordpress_elementor_team.html": {
        "file": "wordpress_elementor_team.html",
        "emails": [
            "daniel.okafor@harbourfinch.co.uk",
            "hello@harbourfinch.co.uk",
            "sophie@harbourfinch.co.uk",
            "tom@harbourfinch.co.uk",
        ],
        "phones": ["+441174960123"],
        "people": [
            {
                "name": "Sophie Turner",
                "title": "Managing Director",
                "email": "sophie@harbourfinch.co.uk",
            },
            {
                "name": "Daniel Okafor",
                "title": "Head of Strategy",
                "email": "daniel.okafor@harbourfinch.co.uk",
            },
            {"name": "Priya Raman", "title": "Senior Designer", "email": None},
            {
                "name": "Tom Ellis-Whitaker",
                "title": "Lead Developer",
                "email": "tom@harbourfinch.co.uk",
            },
        ],
        "company": {
            "name": "Harbour & Finch Digital",
            "legal_name": "Harbour & Finch Digital Ltd",
            "description": "Meet the people behind Harbour & Finch, a digital marketing "
            "agency in Bristol.",
            "address": {
                "postal_code": "BS1 4JQ",
                "city": "Bristol",
                "street": "3 Queen Square",
                "country": "GB",
            },
            "city": "Bristol",
            "country": "GB",
            "founding_year": 2011,
            "size": {"text": "team of 14", "employees": 14},
            "social_links": {
                "linkedin": "https://www.linkedin.com/company/harbour-finch-digital",
                "twitter": "https://x.com/harbourfinch",
                "instagram": "https://www.instagram.com/harbourfinch",
            },
            "technologies": ["Google Tag Manager", "WordPress", "Elementor", "jQuery"],
            "open_roles": [],
            "posts": [],
        },
    },
    "german_impressum_windows1252.html": {
        "file": "german_impressum_windows1252.html",
        "emails": ["info@kessler-vogt.de", "juergen.baeuerle@kessler-vogt.de"],
        "phones": ["+497131893400", "+49713189340021"],
        "people": [
            {"name": "Markus Keßler", "title": "Geschäftsführer", "email": None},
            {"name": "Sabine Vogt", "title": "Geschäftsführer", "email": None},
            {
                "name": "Jürgen Bäuerle",
                "title": "Kundendienstleiter",
                "email": "juergen.baeuerle@kessler-vogt.de",
            },
        ],
        "company": {
            "legal_name": "Kessler & Vogt Haustechnik GmbH",
            "name": "Kessler & Vogt Haustechnik GmbH",
            "description": "Kessler & Vogt – Ihr Meisterbetrieb für Heizung, Sanitär und "
            "Klima in Heilbronn.",
            "keywords": ["Heizung", "Sanitär", "Klima", "Badsanierung", "Wärmepumpe", "Heilbronn"],
            "address": {
                "postal_code": "74072",
                "city": "Heilbronn",
                "street": "Heilbronner Straße 48",
            },
            "city": "Heilbronn",
            "country": "DE",
            "founding_year": 1987,
            "size": {"text": "über 35 Mitarbeitern", "employees": 35},
            "social_links": {},
            "technologies": ["Matomo", "TYPO3"],
            "open_roles": [],
            "posts": [],
        },
    },
    "squarespace_about.html": {
        "file": "squarespace_about.html",
        "emails": ["hello@fernhillcoffee.com", "jess@fernhillcoffee.com"],
        "phones": ["+15035550148"],
        "people": [
            {"name": "Maya Lindqvist", "title": "Co-Founder & Head Roaster", "email": None},
            {
                "name": "Jess Nakamura",
                "title": "Wholesale Manager",
                "email": "jess@fernhillcoffee.com",
            },
            {"name": "Ben Adeyemi", "title": "Roaster", "email": None},
            {"name": "Luis Ortega", "title": "Co-Founder & CEO", "email": None},
        ],
        "company": {
            "name": "Fernhill Coffee Roasters",
            "legal_name": "Fernhill Coffee Roasters LLC",
            "description": "Small-batch coffee, roasted in Portland since 2014.",
            "address": {
                "postal_code": "97202",
                "city": "Portland",
                "region": "OR",
                "street": "2215 SE Division St",
                "country": "US",
            },
            "city": "Portland",
            "country": "US",
            "founding_year": 2014,
            "size": {"text": "team of 9", "employees": 9},
            "social_links": {
                "instagram": "https://www.instagram.com/fernhillcoffee",
                "facebook": "https://www.facebook.com/fernhillcoffee",
            },
            "technologies": ["Squarespace"],
            "open_roles": [],
            "posts": [],
        },
    },
    "cloudflare_contact.html": {
        "file": "cloudflare_contact.html",
        "emails": [
            "jobs@alpenblick-software.at",
            "k.wimmer@alpenblick-software.at",
            "office@alpenblick-software.at",
            "t.huber@alpenblick-software.at",
        ],
        "phones": ["+4315267890", "+431526789012"],
        "people": [
            {
                "name": "Mag. Thomas Huber",
                "title": "Leitung Vertrieb",
                "email": "t.huber@alpenblick-software.at",
            },
            {
                "name": "Katharina Wimmer",
                "title": "Customer Success Managerin",
                "email": "k.wimmer@alpenblick-software.at",
            },
        ],
        "company": {
            "name": "Alpenblick Software GmbH",
            "legal_name": "Alpenblick Software GmbH",
            "description": "Individuelle Software für Logistik und Handel aus Wien. Sprechen "
            "Sie mit uns über Ihr Projekt.",
            "address": {
                "street": "Mariahilfer Straße 120/3",
                "postal_code": "1070",
                "city": "Wien",
                "country": "AT",
            },
            "city": "Wien",
            "country": "AT",
            "founding_year": 2016,
            "social_links": {
                "linkedin": "https://www.linkedin.com/company/alpenblick-software",
                "xing": "https://www.xing.com/pages/alpenblick-software",
                "github": "https://github.com/alpenblick",
            },
            "technologies": ["Crisp", "Cloudflare"],
            "open_roles": [],
            "posts": [],
        },
    },
    "careers_jobposting.html": {
        "file": "careers_jobposting.html",
        "emails": ["bewerbung@sonnwerk-solar.de"],
        "phones": ["+49761208550", "+497612085514"],
        "people": [{"name": "Julia Becker", "title": "HR Managerin", "email": None}],
        "company": {
            "name": "Sonnwerk Solartechnik GmbH",
            "description": "Jobs bei Sonnwerk: Wir planen und bauen Photovoltaikanlagen für "
            "Gewerbe und Landwirtschaft in Südbaden.",
            "address": {
                "street": "Wiesentalstraße 21",
                "postal_code": "79115",
                "city": "Freiburg im Breisgau",
                "country": "DE",
            },
            "city": "Freiburg im Breisgau",
            "country": "DE",
            "founding_year": 2008,
            "size": {"text": "über 60 Kolleginnen", "employees": 60},
            "social_links": {
                "instagram": "https://www.instagram.com/sonnwerk.solar",
                "linkedin": "https://www.linkedin.com/company/sonnwerk-solartechnik",
            },
            "technologies": ["Google Analytics", "HubSpot"],
            "open_roles": [
                {
                    "title": "Elektroniker für PV-Montage (m/w/d)",
                    "location": "Freiburg im Breisgau",
                    "url": "https://www.sonnwerk-solar.de/karriere/elektroniker-pv-montage",
                },
                {
                    "title": "Werkstudent Marketing (w/m/d)",
                    "location": "Remote",
                    "url": "https://www.sonnwerk-solar.de/karriere/werkstudent-marketing",
                },
                {
                    "title": "Projektleiter Photovoltaik (m/w/d)",
                    "location": "Freiburg",
                    "url": "https://www.sonnwerk-solar.de/karriere/projektleiter-photovoltaik",
                },
                {
                    "title": "Ausbildung zum Elektroniker für Energie- und Gebäudetechnik (m/w/d)",
                    "location": "Freiburg",
                    "url": "https://www.sonnwerk-solar.de/karriere/ausbildung-elektroniker",
                },
            ],
            "posts": [],
        },
    },
    "ghost_blog_listing.html": {
        "file": "ghost_blog_listing.html",
        "emails": [],
        "phones": [],
        # "Our CTO Marco Rossi walks through the numbers." in a post's excerpt.
        "people": [{"name": "Marco Rossi", "title": "CTO", "email": None}],
        "company": {
            "name": "Tallyhawk",
            "legal_name": "Tallyhawk GmbH",
            "description": "Product news, finance operations guides and engineering notes "
            "from the Tallyhawk team.",
            "social_links": {
                "twitter": "https://x.com/tallyhawk",
                "linkedin": "https://www.linkedin.com/company/tallyhawk",
                "github": "https://github.com/tallyhawk",
            },
            "technologies": ["Plausible", "Ghost"],
            "open_roles": [],
            "posts": [
                {
                    "title": "Introducing multi-currency invoices",
                    "url": "https://tallyhawk.io/blog/introducing-multi-currency-invoices/",
                    "date": "2025-03-12",
                },
                {
                    "title": "How we cut our AWS bill by 40%",
                    "url": "https://tallyhawk.io/blog/how-we-cut-our-aws-bill/",
                    "date": "2025-02-20",
                },
                {
                    "title": "The month-end close checklist for small finance teams",
                    "url": "https://tallyhawk.io/blog/month-end-close-checklist/",
                    "date": "2025-01-28",
                },
                {
                    "title": "Tallyhawk raises €4M seed round to automate bookkeeping",
                    "url": "https://www.gruenderszene.de/fintech/tallyhawk-seed",
                    "date": "2024-10-03",
                },
                {
                    "title": "Buchhaltung ohne Medienbruch: Tallyhawk bekommt DATEV-Schnittstelle",
                    "url": "https://t3n.de/news/tallyhawk-datev-schnittstelle/",
                    "date": "2024-05-14",
                },
            ],
        },
    },
    "table_only_people.html": {
        "file": "table_only_people.html",
        "emails": [
            "a.demir@lindner-roth.de",
            "f.lindner@lindner-roth.de",
            "info@lindner-roth.de",
            "p.roth@lindner-roth.de",
            "s.kowalczyk@lindner-roth.de",
        ],
        # The switchboard, and the direct lines in the table's "Telefon" column.
        "phones": [
            "+4956173920",
            "+49561739211",
            "+49561739212",
            "+49561739215",
            "+49561739217",
        ],
        "people": [
            {
                "name": "Dipl.-Ing. Frank Lindner",
                "title": "Partner, Tragwerksplanung",
                "email": "f.lindner@lindner-roth.de",
            },
            {
                "name": "Dr.-Ing. Petra Roth",
                "title": "Partnerin, Bauphysik",
                "email": "p.roth@lindner-roth.de",
            },
            {
                "name": "Stefan Kowalczyk",
                "title": "Projektleiter",
                "email": "s.kowalczyk@lindner-roth.de",
            },
            {"name": "Aylin Demir", "title": "Bauzeichnerin", "email": "a.demir@lindner-roth.de"},
            {"name": "Jonas Weber", "title": "Energieberater", "email": None},
            {"name": "Marie Schulze", "title": "Brandschutzplanerin", "email": None},
            {"name": "Lea Hoffmann", "title": "Auszubildende Bauzeichnerin", "email": None},
        ],
        "company": {
            "legal_name": "Ingenieurbüro Lindner + Roth PartG mbB",
            "name": "Ingenieurbüro Lindner + Roth PartG mbB",
            "description": "Ingenieurbüro für Tragwerksplanung und Bauphysik in Kassel.",
            "keywords": ["Tragwerksplanung", "Bauphysik", "Energieberatung", "Kassel"],
            "address": {
                "postal_code": "34131",
                "city": "Kassel",
                "street": "Wilhelmshöher Allee 262",
            },
            "city": "Kassel",
            "country": "DE",
            "founding_year": 1996,
            "social_links": {},
            "technologies": ["Joomla"],
            "open_roles": [],
            "posts": [],
        },
    },
    "precision_traps.html": {
        "file": "precision_traps.html",
        "emails": [],
        "phones": [],
        "people": [],
        "company": {
            "name": "Formkit",
            "description": "Drop-in contact forms for static sites. No backend required.",
            "social_links": {},
            "technologies": [],
            "open_roles": [],
            "posts": [],
        },
    },
    "definition_list_microdata_uk.html": {
        "file": "definition_list_microdata_uk.html",
        "emails": [
            "h.marlow@marlowpike.co.uk",
            "o.price@marlowpike.co.uk",
            "richard.pike@marlowpike.co.uk",
            "tomasz.nowak@marlowpike.co.uk",
        ],
        "phones": ["+441134960718"],
        "people": [
            {"name": "Owen Price", "title": "Audit Senior", "email": "o.price@marlowpike.co.uk"},
            {"name": "Grace O'Neill", "title": "Payroll Manager", "email": None},
            {
                "name": "Tomasz Nowak",
                "title": "Trainee Accountant",
                "email": "tomasz.nowak@marlowpike.co.uk",
            },
            {
                "name": "Helen Marlow",
                "title": "Managing Partner",
                "email": "h.marlow@marlowpike.co.uk",
            },
            {
                "name": "Richard Pike",
                "title": "Tax Partner",
                "email": "richard.pike@marlowpike.co.uk",
            },
            {"name": "Samira Haddad", "title": "Director of Audit", "email": None},
        ],
        "company": {
            "name": "Marlow & Pike",
            "industry": "Accounting Service",
            "description": "Marlow & Pike are chartered accountants in Leeds looking after "
            "owner-managed businesses since 1998.",
            "address": {
                "street": "14 Park Row",
                "postal_code": "LS1 5HD",
                "city": "Leeds",
                "country": "GB",
            },
            "city": "Leeds",
            "country": "GB",
            "founding_year": 1998,
            "size": {"text": "team of 23", "employees": 23},
            "social_links": {
                "linkedin": "https://www.linkedin.com/company/marlow-and-pike",
                "facebook": "https://www.facebook.com/MarlowPikeLeeds",
            },
            "technologies": ["Google Analytics", "Calendly"],
            "open_roles": [],
            "posts": [],
        },
    },
    "js_obfuscated_contact.html": {
        "file": "js_obfuscated_contact.html",
        "emails": [
            "b.meier@keller-treuhand.ch",
            "info@keller-treuhand.ch",
            "m.steiner@keller-treuhand.ch",
            "n.frei@keller-treuhand.ch",
            "r.baumann@keller-treuhand.ch",
            "s.widmer@keller-treuhand.ch",
            "urs.keller@keller-treuhand.ch",
        ],
        "phones": ["+41522123456"],
        "people": [
            {
                "name": "Urs Keller",
                "title": "Inhaber & Geschäftsführer",
                "email": "urs.keller@keller-treuhand.ch",
            },
            {
                "name": "Brigitte Meier",
                "title": "Leiterin Buchhaltung",
                "email": "b.meier@keller-treuhand.ch",
            },
            {
                "name": "Reto Baumann",
                "title": "Steuerberater",
                "email": "r.baumann@keller-treuhand.ch",
            },
            {
                "name": "Nadine Frei",
                "title": "Mandatsleiterin",
                "email": "n.frei@keller-treuhand.ch",
            },
            {
                "name": "Marco Steiner",
                "title": "Lernender Kaufmann",
                "email": "m.steiner@keller-treuhand.ch",
            },
            {
                "name": "Sandra Widmer",
                "title": "Assistentin der Geschäftsleitung",
                "email": "s.widmer@keller-treuhand.ch",
            },
        ],
        "company": {
            "legal_name": "Keller Treuhand AG",
            "name": "Keller Treuhand AG",
            "description": "Buchhaltung, Steuern und Lohn für KMU in Winterthur und Umgebung.",
            "address": {
                "postal_code": "8400",
                "city": "Winterthur",
                "street": "Technikumstrasse 38",
            },
            "city": "Winterthur",
            "country": "CH",
            "social_links": {},
            "technologies": ["Google Tag Manager", "Usercentrics"],
            "open_roles": [],
            "posts": [],
        },
    },
    "wix_photographer_home.html": {
        "file": "wix_photographer_home.html",
        "emails": ["kontakt@studio-lumen.de"],
        "phones": ["+4922198765432"],
        "people": [
            {"name": "Lena Hartmann", "title": "Fotografin & Inhaberin", "email": None},
            {"name": "Jonas Brandt", "title": "Assistent & Bildbearbeitung", "email": None},
        ],
        "company": {
            "name": "Studio Lumen",
            "description": "Studio Lumen – Hochzeitsreportagen und Business-Portraits in Köln "
            "und Umgebung. Natürlich, ehrlich, ohne Gestellt-Gefühl.",
            "address": {"postal_code": "50672", "city": "Köln", "street": "Ehrenstraße 41"},
            "city": "Köln",
            "country": "DE",
            "founding_year": 2017,
            "social_links": {"instagram": "https://www.instagram.com/studio.lumen.koeln"},
            "technologies": ["Wix"],
            "open_roles": [],
            "posts": [],
        },
    },
    "webflow_startup_team.html": {
        "file": "webflow_startup_team.html",
        "emails": ["hello@loomwise.io"],
        "phones": [],
        "people": [
            {"name": "Aisha Khan", "title": "CEO", "email": None},
            {"name": "Felix Bauer", "title": "CTO", "email": None},
            {"name": "Chen Wei", "title": "Head of Design", "email": None},
            {"name": "Oluwaseun Adebayo", "title": "VP Engineering", "email": None},
            {"name": "Sam Rivera", "title": "Customer Success Lead", "email": None},
        ],
        "company": {
            "name": "Loomwise",
            "legal_name": "Loomwise Technologies Ltd",
            "description": "Loomwise turns messy supplier spreadsheets into clean purchase "
            "orders. Meet the team building it in London and Berlin.",
            "address": {
                "street": "Unit 4, 12 Hoxton Square",
                "postal_code": "N1 6NU",
                "city": "London",
                "country": "GB",
            },
            "city": "London",
            "country": "GB",
            "founding_year": 2021,
            "size": {"text": "28", "employees": 28},
            "social_links": {
                "twitter": "https://x.com/loomwise",
                "linkedin": "https://www.linkedin.com/company/loomwise",
                "github": "https://github.com/loomwise",
            },
            "technologies": [
                "Hotjar",
                "Segment",
                "HubSpot",
                "Intercom",
                "Webflow",
                "Stripe",
                "jQuery",
            ],
            "open_roles": [],
            "posts": [],
        },
    },
    "broken_markup_latin1.html": {
        "file": "broken_markup_latin1.html",
        "emails": ["info@schreinerei-brenner.de", "monika.brenner@schreinerei-brenner.de"],
        "phones": ["+498323951234"],
        "people": [
            {"name": "Klaus Brenner", "title": "Schreinermeister", "email": None},
            {
                "name": "Monika Brenner",
                "title": "Büro & Buchhaltung",
                "email": "monika.brenner@schreinerei-brenner.de",
            },
            {"name": "Florian Wagner", "title": "Geselle", "email": None},
        ],
        "company": {
            "name": "Schreinerei Brenner",
            "description": "Ihre Schreinerei im Allgäu - Möbel, Türen & Innenausbau seit 1952",
            "keywords": ["Schreinerei", "Möbel", "Innenausbau", "Allgäu", "Immenstadt"],
            "address": {
                "postal_code": "87509",
                "city": "Immenstadt",
                "street": "Kemptener Str. 17",
            },
            "city": "Immenstadt",
            "country": "DE",
            "founding_year": 1952,
            "size": {"text": "8 Mitarbeitern", "employees": 8},
            "social_links": {},
            "technologies": [],
            "open_roles": [],
            "posts": [],
        },
    },
}

# How each address was found (the disguise it was decoded from).
EMAIL_METHODS = {
    "wordpress_elementor_team.html": {
        "daniel.okafor@harbourfinch.co.uk": "html_entities",
        "hello@harbourfinch.co.uk": "mailto",
        "sophie@harbourfinch.co.uk": "mailto",
        "tom@harbourfinch.co.uk": "obfuscated_text",
    },
    "german_impressum_windows1252.html": {
        "info@kessler-vogt.de": "obfuscated_text",
        "juergen.baeuerle@kessler-vogt.de": "obfuscated_text",
    },
    "squarespace_about.html": {
        "hello@fernhillcoffee.com": "mailto",
        "jess@fernhillcoffee.com": "plain_text",
    },
    "cloudflare_contact.html": {
        "jobs@alpenblick-software.at": "cfemail",
        "k.wimmer@alpenblick-software.at": "cfemail",
        "office@alpenblick-software.at": "cfemail",
        "t.huber@alpenblick-software.at": "cfemail",
    },
    "careers_jobposting.html": {"bewerbung@sonnwerk-solar.de": "mailto"},
    "table_only_people.html": {
        "a.demir@lindner-roth.de": "html_entities",
        "f.lindner@lindner-roth.de": "mailto",
        "info@lindner-roth.de": "mailto",
        "p.roth@lindner-roth.de": "html_entities",
        "s.kowalczyk@lindner-roth.de": "obfuscated_text",
    },
    "definition_list_microdata_uk.html": {
        "h.marlow@marlowpike.co.uk": "mailto",
        "o.price@marlowpike.co.uk": "mailto",
        "richard.pike@marlowpike.co.uk": "obfuscated_text",
        "tomasz.nowak@marlowpike.co.uk": "html_entities",
    },
    "js_obfuscated_contact.html": {
        "b.meier@keller-treuhand.ch": "js_concat",
        "info@keller-treuhand.ch": "mailto",
        "m.steiner@keller-treuhand.ch": "obfuscated_text",
        "n.frei@keller-treuhand.ch": "css_reversed",
        "r.baumann@keller-treuhand.ch": "js_concat",
        "s.widmer@keller-treuhand.ch": "js_concat",
        "urs.keller@keller-treuhand.ch": "js_concat",
    },
    "wix_photographer_home.html": {"kontakt@studio-lumen.de": "mailto"},
    "webflow_startup_team.html": {"hello@loomwise.io": "mailto"},
    "broken_markup_latin1.html": {
        "info@schreinerei-brenner.de": "mailto",
        "monika.brenner@schreinerei-brenner.de": "obfuscated_text",
    },
}


def _extract(name: str):
    return extract_page((FIXTURES / name).read_bytes(), PAGES[name])


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_yields_exactly_the_expected_facts(name: str) -> None:
    result = extraction_to_json(name, _extract(name))
    result["emails"] = sorted(result["emails"])
    result["phones"] = sorted(result["phones"])
    assert result == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EMAIL_METHODS))
def test_each_address_records_the_disguise_it_was_decoded_from(name: str) -> None:
    assert {e.address: e.method for e in _extract(name).emails} == EMAIL_METHODS[name]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_fact_records_its_source_method_and_confidence(name: str) -> None:
    extraction = _extract(name)
    items = [
        *extraction.emails,
        *extraction.phones,
        *extraction.people,
        *extraction.social_links,
        *extraction.technologies,
        *extraction.open_roles,
        *extraction.posts,
        *extraction.company.values(),
    ]
    assert items
    for item in items:
        assert item.source_url == PAGES[name]
        assert item.method
        assert 0 < item.confidence <= 1
