"""Countries and cities the sandbox companies live in, with the public suffixes, legal forms,
street addresses and phone formats that go with them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class City:
    name: str
    # Other names people search for ("Munich" for München); used by the search index.
    aliases: tuple[str, ...]
    # Region code for US addresses, area code for phones, postcode prefix.
    region: str
    area_code: str
    postcode_prefix: str


@dataclass(frozen=True)
class Country:
    code: str
    name_en: str
    name_de: str
    language: Literal["en", "de"]
    suffixes: tuple[str, ...]
    legal_forms: tuple[str, ...]
    cities: tuple[City, ...]
    weight: int


COUNTRIES: tuple[Country, ...] = (
    Country(
        "DE",
        "Germany",
        "Deutschland",
        "de",
        (".de", ".de", ".de", ".com", ".io"),
        ("GmbH", "GmbH", "GmbH & Co. KG", "AG", "e.K.", "UG (haftungsbeschränkt)"),
        (
            City("Hamburg", (), "HH", "40", "20"),
            City("Berlin", (), "BE", "30", "10"),
            City("München", ("Munich", "Muenchen"), "BY", "89", "80"),
            City("Köln", ("Cologne", "Koeln"), "NW", "221", "50"),
            City("Frankfurt am Main", ("Frankfurt",), "HE", "69", "60"),
            City("Stuttgart", (), "BW", "711", "70"),
            City("Düsseldorf", ("Duesseldorf", "Dusseldorf"), "NW", "211", "40"),
            City("Leipzig", (), "SN", "341", "04"),
        ),
        35,
    ),
    Country(
        "AT",
        "Austria",
        "Österreich",
        "de",
        (".at", ".at", ".com"),
        ("GmbH", "GmbH", "KG", "AG"),
        (
            City("Wien", ("Vienna",), "W", "1", "1"),
            City("Graz", (), "ST", "316", "80"),
            City("Linz", (), "OOE", "732", "40"),
            City("Salzburg", (), "S", "662", "50"),
        ),
        9,
    ),
    Country(
        "CH",
        "Switzerland",
        "Schweiz",
        "de",
        (".ch", ".ch", ".com"),
        ("AG", "GmbH", "AG"),
        (
            City("Zürich", ("Zurich", "Zuerich"), "ZH", "44", "80"),
            City("Basel", (), "BS", "61", "40"),
            City("Bern", ("Berne",), "BE", "31", "30"),
        ),
        8,
    ),
    Country(
        "US",
        "United States",
        "USA",
        "en",
        (".com", ".com", ".io", ".co"),
        ("Inc.", "LLC", "Inc.", "Corp."),
        (
            City("Austin", (), "TX", "512", "787"),
            City("New York", ("NYC",), "NY", "212", "100"),
            City("Chicago", (), "IL", "312", "606"),
            City("Boston", (), "MA", "617", "021"),
            City("Denver", (), "CO", "303", "802"),
            City("Seattle", (), "WA", "206", "981"),
        ),
        22,
    ),
    Country(
        "GB",
        "United Kingdom",
        "Vereinigtes Königreich",
        "en",
        (".co.uk", ".co.uk", ".com", ".io"),
        ("Ltd", "Ltd", "LLP", "plc"),
        (
            City("London", (), "", "20", "EC"),
            City("Manchester", (), "", "161", "M"),
            City("Leeds", (), "", "113", "LS"),
            City("Bristol", (), "", "117", "BS"),
            City("Edinburgh", (), "", "131", "EH"),
        ),
        18,
    ),
    Country(
        "IE",
        "Ireland",
        "Irland",
        "en",
        (".ie", ".ie", ".com"),
        ("Ltd", "Limited", "DAC"),
        (
            City("Dublin", (), "", "1", "D0"),
            City("Cork", (), "", "21", "T12"),
        ),
        8,
    ),
)
BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}

_STREETS = {
    "de": (
        "Hauptstraße",
        "Bahnhofstraße",
        "Hafenstraße",
        "Industriestraße",
        "Lindenallee",
        "Schillerstraße",
        "Gartenweg",
        "Am Marktplatz",
        "Königsallee",
        "Mühlenweg",
    ),
    "en": (
        "Main Street",
        "King Street",
        "Market Street",
        "Church Road",
        "Park Avenue",
        "Mill Lane",
        "Harbour Road",
        "Station Road",
        "Oak Street",
        "Congress Avenue",
    ),
}


def pick_country(rng: random.Random, language: str | None = None) -> Country:
    candidates = [c for c in COUNTRIES if language is None or c.language == language]
    return rng.choices(candidates, weights=[c.weight for c in candidates])[0]


def street_address(rng: random.Random, country: Country, city: City) -> str:
    number = rng.randint(1, 240)
    if country.language == "de":
        postcode_digits = 4 if country.code in ("AT", "CH") else 5
        tail = "".join(str(rng.randint(0, 9)) for _ in range(postcode_digits))
        postcode = (city.postcode_prefix + tail)[:postcode_digits]
        return f"{rng.choice(_STREETS['de'])} {number}, {postcode} {city.name}"
    street = rng.choice(_STREETS["en"])
    if country.code == "US":
        postcode = city.postcode_prefix + "".join(str(rng.randint(0, 9)) for _ in range(2))
        return f"{number} {street}, {city.name}, {city.region} {postcode}"
    if country.code == "GB":
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = f"{city.postcode_prefix}{rng.randint(1, 9)} {rng.randint(1, 9)}"
        postcode += rng.choice(letters) + rng.choice(letters)
        return f"{number} {street}, {city.name} {postcode}"
    letters = "ACDEFHKNPRTVWXY"
    eircode = f"{city.postcode_prefix}{rng.randint(0, 9)} " + "".join(
        rng.choice(letters + "0123456789") for _ in range(4)
    )
    return f"{number} {street}, {city.name} {eircode}"


def phone_number(rng: random.Random, country: Country, city: City) -> str:
    subscriber = "".join(str(rng.randint(0, 9)) for _ in range(7))
    if country.code == "US":
        # 555-01xx numbers are reserved for fiction.
        return f"({city.area_code}) 555-01{rng.randint(0, 99):02d}"
    calling = {"DE": "49", "AT": "43", "CH": "41", "GB": "44", "IE": "353"}[country.code]
    if rng.random() < 0.5:
        return f"+{calling} {city.area_code} {subscriber[:3]} {subscriber[3:]}"
    return f"0{city.area_code} {subscriber}"
