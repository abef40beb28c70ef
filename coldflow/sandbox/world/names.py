"""People's names: German, English, with diacritics, particles, hyphens, double surnames and a few
transliterated from non-Latin scripts, so name splitting and address guessing meet real variety."""

from __future__ import annotations

import random
from typing import Literal

from coldflow.sandbox.world.model import PersonName

Gender = Literal["f", "m"]


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GERMAN_GIVEN: dict[Gender, tuple[str, ...]] = {
    "m": words(
        """
        Jürgen Stefan Thomas Michael Andreas Jörg Klaus Uwe Lukas Maximilian Jonas Felix Björn
        Sören Matthias Florian Tobias Sebastian Markus Frank Dirk Henrik
        """
    ),
    "f": words(
        """
        Anna Katrin Julia Sabine Jana Lena Sophie Anja Birgit Hannah Marie Lea Käthe Claudia Nicole
        Franziska Annika Miriam Ute Jördis Svenja Carolin
        """
    ),
}
GERMAN_FAMILY: tuple[str, ...] = words(
    """
    Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch
    Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann
    Lange Günther Weiß Jäger Groß Köhler Böhm Vogt Lehmann Brandt Kühn Fuchs Scholz Möller
    Seidel Dietrich Sauer Thiel
    """
)
ENGLISH_GIVEN: dict[Gender, tuple[str, ...]] = {
    "m": words(
        """
        James Oliver Michael David Liam Noah Daniel Thomas Henry Samuel Ethan Jack George Ryan
        Patrick Owen Callum Nathan
        """
    ),
    "f": words(
        """
        Emma Olivia Sarah Laura Chloe Grace Emily Sophie Hannah Megan Rachel Charlotte Amelia Zoë
        Chloé Niamh Isla Abigail
        """
    ),
}
ENGLISH_FAMILY: tuple[str, ...] = words(
    """
    Smith Johnson Williams Brown Taylor Wilson Davies Evans Roberts Walker Wright Clarke Harris
    Lewis Hughes Green Hall Baker Carter Mitchell O'Brien McDonald O'Connor MacLeod Fitzgerald
    Murphy Turner
    """
)
PARTICLE_FAMILY: tuple[str, ...] = (
    "von Stein",
    "van der Berg",
    "von der Heide",
    "van Dijk",
    "de Vries",
    "von Hagen",
    "van den Broek",
    "zu Eltz",
    "de la Cruz",
    "von Bülow",
)
HYPHENATED_FAMILY: tuple[str, ...] = (
    "Müller-Lüdenscheidt",
    "Schmidt-Weber",
    "Meyer-Hansen",
    "Koch-Mertens",
    "Lange-Becker",
    "Smith-Jones",
    "Hughes-Wilson",
    "Clarke-Evans",
)
# (given, family, gender): Spanish double surnames keep both parts as the family name.
DOUBLE_SURNAME: tuple[tuple[str, str, Gender], ...] = (
    ("Lucía", "García López", "f"),
    ("José", "Fernández Ruiz", "m"),
    ("Javier", "Martínez Soto", "m"),
    ("Elena", "Sánchez Vidal", "f"),
)
# Names from other Latin scripts with diacritics an address must lose.
DIACRITIC_NAMES: tuple[tuple[str, str, Gender], ...] = (
    ("Ayşe", "Yılmaz", "f"),
    ("Mehmet", "Öztürk", "m"),
    ("Łukasz", "Wójcik", "m"),
    ("Tomáš", "Dvořák", "m"),
    ("François", "Lefèvre", "m"),
    ("Chloé", "Dubois", "f"),
    ("Søren", "Østergaard", "m"),
    ("Agnieszka", "Kowalczyk", "f"),
)
# Transliterated from Chinese, Cyrillic, Arabic, Devanagari, Japanese, Korean and Greek.
TRANSLITERATED: tuple[tuple[str, str, Gender], ...] = (
    ("Wei", "Zhang", "m"),
    ("Na", "Li", "f"),
    ("Xiaoming", "Chen", "m"),
    ("Dmitri", "Ivanov", "m"),
    ("Olga", "Petrova", "f"),
    ("Sergei", "Kuznetsov", "m"),
    ("Mohammed", "Al-Hassan", "m"),
    ("Yasmin", "El-Sayed", "f"),
    ("Priya", "Sharma", "f"),
    ("Rahul", "Gupta", "m"),
    ("Haruto", "Sato", "m"),
    ("Yuki", "Tanaka", "f"),
    ("Min-jun", "Kim", "m"),
    ("Giorgos", "Papadopoulos", "m"),
)
ACADEMIC_TITLES: dict[str, tuple[str, ...]] = {
    "de": ("Dr.", "Dr.", "Prof. Dr.", "Dipl.-Ing.", "Dipl.-Kfm."),
    "en": ("Dr.", "Dr."),
}


def pick_name(rng: random.Random, language: str, senior: bool) -> PersonName:
    """A name typical of a company publishing in `language`; seniors sometimes carry a title."""
    roll = rng.random()
    if roll < 0.08:
        given, family, gender = rng.choice(TRANSLITERATED)
    elif roll < 0.15:
        given, family, gender = rng.choice(DIACRITIC_NAMES)
    elif roll < 0.19:
        given, family, gender = rng.choice(DOUBLE_SURNAME)
    else:
        gender = rng.choice(("f", "m"))
        local_given, local_family = (
            (GERMAN_GIVEN, GERMAN_FAMILY) if language == "de" else (ENGLISH_GIVEN, ENGLISH_FAMILY)
        )
        given = rng.choice(local_given[gender])
        kind = rng.random()
        if kind < 0.09:
            family = rng.choice(PARTICLE_FAMILY)
        elif kind < 0.17:
            family = rng.choice(HYPHENATED_FAMILY)
        elif kind < 0.27:
            # Mixed teams: English names at German companies and the other way round.
            family = rng.choice(ENGLISH_FAMILY if language == "de" else GERMAN_FAMILY)
        else:
            family = rng.choice(local_family)
    full = f"{given} {family}"
    if senior and rng.random() < 0.18:
        full = f"{rng.choice(ACADEMIC_TITLES[language])} {full}"
    elif language == "en" and gender == "m" and rng.random() < 0.02:
        full = f"{full} Jr."
    return PersonName(given=given, family=family, full=full, gender=gender)
