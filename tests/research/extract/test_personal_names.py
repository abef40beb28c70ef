"""Telling personal names from headings and other capitalised phrases."""

from __future__ import annotations

import pytest

from coldflow.research.extract.given_names import has_given_name
from coldflow.research.extract.personal_names import clean_person_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Anna Schmidt", "Anna Schmidt"),
        ("Dr. Max Müller", "Dr. Max Müller"),
        ("Prof. Dr. Jürgen Weiß", "Prof. Dr. Jürgen Weiß"),
        ("Dipl.-Ing. Frank Lindner", "Dipl.-Ing. Frank Lindner"),
        ("Frau Anna Schmidt", "Anna Schmidt"),
        ("Inh. Klaus Brenner", "Klaus Brenner"),
        ("Anna Schmidt, MBA", "Anna Schmidt"),
        ("Helen Marlow FCA", "Helen Marlow"),
        # Any short capitalised credential after a comma, and nicknames, are not the name.
        ("Angela Ruiz, SPHR", "Angela Ruiz"),
        ("Robert Lowell, CPA, CFP®", "Robert Lowell"),
        ("Angela “Angie” Russo", "Angela Russo"),
        ("Robert (Bob) Smith", "Robert Smith"),
        ("Anna-Lena van der Berg", "Anna-Lena van der Berg"),
        ("Sean O'Brien", "Sean O'Brien"),
        ("Ben Adeyemi", "Ben Adeyemi"),
        ("Nguyen Van An", "Nguyen Van An"),
        ("ANNA SCHMIDT", "Anna Schmidt"),
        ("John F. Kennedy", "John F. Kennedy"),
        # A capitalised word after a family name is a credential; after a given name it is the
        # family name, written in capitals.
        ("Gareth Lloyd-Evans FCILEX", "Gareth Lloyd-Evans"),
        ("Sarah Jones DVM", "Sarah Jones"),
        ("Claire MOREAU", "Claire MOREAU"),
        ("Anna Maria SCHMIDT", "Anna Maria SCHMIDT"),
    ],
)
def test_it_accepts_and_cleans_personal_names(text: str, name: str) -> None:
    assert clean_person_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "Our Team",
        "Meet the Team",
        "Contact us",
        "Get In Touch",
        "Über Uns",
        "Head of Sales",
        "Berlin Office",
        # A title after the comma makes a title line, not a credential.
        "Anna Schmidt, CEO",
        "Tom Li, HR",
        "Acme® Solutions",
        "Max Mustermann",
        "Jane Doe",
        "Your Name Here",
        "Linkedin Envelope",
        "Acme Solutions GmbH",
        "Anna",
        "anna schmidt",
        "Anna Schmidt 2",
        "anna@acme.de",
        "van Berg",
        "Hauptstraße 5",
    ],
)
def test_it_rejects_headings_placeholders_and_other_phrases(text: str) -> None:
    assert clean_person_name(text) is None


def test_it_knows_given_names_from_many_countries() -> None:
    for name in (
        "Anna Schmidt",
        "Jürgen Weiß",
        "Chen Wei",
        "Priya Raman",
        "Anna-Lena Berg",
        "Aoife Byrne",
    ):
        assert has_given_name(name), name


def test_capitalised_german_nouns_are_not_given_names() -> None:
    for phrase in ("Offene Stellen", "Unsere Leistungen", "Deine Benefits", "Gute Gründe"):
        assert not has_given_name(phrase), phrase
