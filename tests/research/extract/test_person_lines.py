"""People written on one line, including Impressum representation lines."""

from __future__ import annotations

import pytest

from coldflow.research.extract.person_lines import (
    Label,
    LinePerson,
    label_before_names,
    people_in_line,
)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Anna Schmidt, Head of Sales", [("Anna Schmidt", "Head of Sales")]),
        ("Anna Schmidt, VP, Sales", [("Anna Schmidt", "VP, Sales")]),
        ("Anna Schmidt – CEO", [("Anna Schmidt", "CEO")]),
        ("Anna Schmidt | Fotografin & Inhaberin", [("Anna Schmidt", "Fotografin & Inhaberin")]),
        ("Head of Sales | Anna Schmidt", [("Anna Schmidt", "Head of Sales")]),
        ("Max Müller (Inhaber)", [("Max Müller", "Inhaber")]),
        ("CEO: Anna Schmidt", [("Anna Schmidt", "CEO")]),
        ("Anna Schmidt, Head of Sales, joined us in 2015.", [("Anna Schmidt", "Head of Sales")]),
        (
            "Geschäftsführer: Dr. Max Müller, Anna Berg",
            [("Dr. Max Müller", "Geschäftsführer"), ("Anna Berg", "Geschäftsführer")],
        ),
        (
            "Geschäftsführer: Max Müller und Erika Berg",
            [("Max Müller", "Geschäftsführer"), ("Erika Berg", "Geschäftsführer")],
        ),
        ("Vertreten durch: Max Müller", [("Max Müller", None)]),
        (
            "Vertreten durch den Geschäftsführer Dr. Max Müller",
            [("Dr. Max Müller", "Geschäftsführer")],
        ),
        (
            "Vertreten durch: Max Müller (Geschäftsführer), Anna Berg (Prokuristin)",
            [("Max Müller", "Geschäftsführer"), ("Anna Berg", "Prokuristin")],
        ),
        ("Represented by: Jane Smith, Managing Director", [("Jane Smith", "Managing Director")]),
        (
            "Dr. Sophie Fuchs is our Director of Customer Success.",
            [("Dr. Sophie Fuchs", "Director of Customer Success")],
        ),
        (
            "Dr. Oliver Neumann is our VP, Marketing. You can reach them at x.",
            [("Dr. Oliver Neumann", "VP, Marketing")],
        ),
        (
            "Giorgos Papadopoulos ist bei uns Personalleiter. LinkedIn",
            [("Giorgos Papadopoulos", "Personalleiter")],
        ),
        ("Lena Vogel arbeitet bei uns als Projektleiterin.", [("Lena Vogel", "Projektleiterin")]),
        ("Anna Schmidt ist als Steuerberaterin tätig.", [("Anna Schmidt", "Steuerberaterin")]),
        (
            "VP of Engineering: Megan Brown. You can reach them at megan@acme.ie.",
            [("Megan Brown", "VP of Engineering")],
        ),
        (
            "Operations Director: Dr. Giorgos Papadopoulos.",
            [("Dr. Giorgos Papadopoulos", "Operations Director")],
        ),
    ],
)
def test_it_reads_names_and_titles_written_on_one_line(text: str, people: list) -> None:
    assert [(p.name, p.title) for p in people_in_line(text, (text,))] == people


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            "Founded in 2012 by Sarah Chen (CEO) and Mark Olsen, our CTO, Northbeam started as "
            "a two-person consultancy in a Fremont co-working space. Sarah had spent a decade "
            "in merchandising at Nordstrom; Mark had built data pipelines at a logistics "
            "start-up. Both were tired of spreadsheets that were three weeks old.",
            [("Sarah Chen", "CEO"), ("Mark Olsen", "CTO")],
        ),
        (
            "Priya Raman joined as VP of Customer Success in 2019 after eight years at Tableau, "
            "where she built the onboarding team. Her team of twelve sees to every customer.",
            [("Priya Raman", "VP of Customer Success")],
        ),
        (
            "Our Head of Finance, Daniel Okafor, keeps the auditors happy. Daniel was at KPMG.",
            [("Daniel Okafor", "Head of Finance")],
        ),
        (
            "Lisa Hoffmann, our lead data scientist, holds a PhD in statistics.",
            [("Lisa Hoffmann", "lead data scientist")],
        ),
        (
            "Wir sind seit 1953 in Berlin. Die Kelly GmbH & Co. KG wird geleitet von "
            "Prof. Dr. Michael de la Cruz (Vorstandsvorsitzender).",
            [("Prof. Dr. Michael de la Cruz", "Vorstandsvorsitzender")],
        ),
        (
            "Today we are a team of seven. Production lead Carmen Ruiz keeps our pour room "
            "running. For projects contact our Commercial Manager, Josh Pearce, on 0408 771 902.",
            [("Carmen Ruiz", "Production lead"), ("Josh Pearce", "Commercial Manager")],
        ),
        (
            "Coastline Electrical is owned and operated by master electrician Craig Mitchell, "
            "who started the business in 2008.",
            [("Craig Mitchell", "electrician")],
        ),
        ("Sales Director Jane Roe of Acme Corp said it was great.", []),
        (
            "Geschäftsführer: Ing. Markus Gruber, Mag. Claudia Gruber-Steiner",
            [
                ("Ing. Markus Gruber", "Geschäftsführer"),
                ("Mag. Claudia Gruber-Steiner", "Geschäftsführer"),
            ],
        ),
        # Someone else's title, in a paragraph: an investor, not staff.
        (
            "In 2021 we raised a Series A led by Madrona, with Pioneer Square Labs. "
            "Jennifer Liu, Partner at Madrona, joined our board.",
            [],
        ),
        # A title in lower case right after the name, with or without a possessive.
        (
            "Coastline Plumbing was started in 2008 by Shane McAllister, owner and licensed "
            "plumber, after twelve years on the tools.",
            [("Shane McAllister", "owner and licensed plumber")],
        ),
        (
            "Accanto a lui c'è Franco Giordano, il nostro cantiniere, che conosce ogni botte.",
            [("Franco Giordano", "cantiniere")],
        ),
        # Not a title after the comma, or no known given name: no one.
        ("We supply Siemens, Bosch and Miele, among others.", []),
        ("Visit Hollow Creek, a valley of old vineyards, this spring.", []),
    ],
)
def test_it_reads_names_and_titles_in_the_sentences_of_a_paragraph(text: str, people: list) -> None:
    assert [(p.name, p.title) for p in people_in_line(text, (text,))] == people


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ihr Ansprechpartner: Herr Thomas Berg", "Thomas Berg"),
        ("Contact person: Anna Smith", "Anna Smith"),
        ("Persona de contacto: Ana García", "Ana García"),
        ("Interlocuteur : Jean Dupont", "Jean Dupont"),
    ],
)
def test_a_contact_person_label_names_staff_without_a_title(text: str, name: str) -> None:
    assert people_in_line(text, (text,)) == [LinePerson(name, None, "paragraph", labelled=True)]


def test_a_title_with_its_own_comma_runs_to_the_dash_before_the_address() -> None:
    text = "Your contact: Grace Roberts, Vice President, Engineering – grace@calbury.com"
    assert [(p.name, p.title) for p in people_in_line(text, (text,))] == [
        ("Grace Roberts", "Vice President, Engineering")
    ]


def test_representation_lines_are_marked_as_imprint_facts() -> None:
    assert people_in_line("Vertreten durch: Max Müller", ()) == [
        LinePerson("Max Müller", None, "imprint", labelled=True)
    ]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Vertreten durch die Geschäftsführer:", Label("imprint", "Geschäftsführer")),
        ("Represented by the Managing Director:", Label("imprint", "Managing Director")),
        ("Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV:", Label("imprint", None)),
        ("Head of Sales:", Label("paragraph", "Head of Sales")),
        ("Ihr Ansprechpartner:", Label("paragraph", None)),
        ("Öffnungszeiten:", None),
        ("Geschäftsführer", None),
    ],
)
def test_a_label_on_its_own_line_says_what_the_names_below_it_are(label, expected) -> None:
    assert label_before_names(label) == expected


def test_it_splits_where_inline_markup_separates_name_and_title() -> None:
    segments = ("Mag. Thomas Huber", "Leitung Vertrieb", "+43 1 526 78 90-12", "E-Mail schreiben")
    assert people_in_line(" ".join(segments), segments) == [
        LinePerson("Mag. Thomas Huber", "Leitung Vertrieb", "card")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Telefon: +49 30 1234",
        "Contact us, Anna",
        "Meet the team – our people",
        "Registergericht: Amtsgericht Stuttgart",
    ],
)
def test_it_finds_no_one_in_other_lines(text: str) -> None:
    assert people_in_line(text, (text,)) == []


def test_a_generational_suffix_ends_a_sentence_with_its_dot() -> None:
    text = "Operations Manager: Noah Hall Jr.. You can reach them at Email."
    assert [(p.name, p.title) for p in people_in_line(text, (text,))] == [
        ("Noah Hall Jr.", "Operations Manager")
    ]
