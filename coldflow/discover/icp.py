"""The ideal customer profile (ICP): who the user wants to reach, and the words for it.

An ICP is written in TOML (or stored as the same mapping in JSON). Every field is optional:

    description = "Logistics companies in northern Germany that run their own truck fleet."

    # Industries by name, in English or German ("logistics", "Spedition", "dental clinic").
    # Known industries are expanded with their synonyms in both languages; the word written
    # here is searched first. Unknown ones are searched as written.
    industries = ["logistics"]
    # Further words that describe the companies ("cold chain", "ISO 9001 certified").
    keywords = ["cold chain"]

    # Cities, regions and countries: a name coldflow knows ("Hamburg", "Bavaria", "Germany",
    # "München"), an ISO 3166 country code ("DE"), a group ("DACH", "Benelux", "Nordics"), or
    # a table for anything else: { name = "Sylt", country = "DE" } (optionally with
    # kind = "city", "region" or "country"; default "place").
    locations = ["Hamburg", "Bremen", { name = "Sylt", country = "DE" }]

    # Languages of the searches, as ISO 639-1 codes ("de", "en"). Default: German and English
    # for German-speaking locations, English elsewhere.
    languages = ["de", "en"]

    # A table, or a short form: "50-200", "50+", "<200".
    company_size = { min_employees = 50, max_employees = 200 }

    # A search hit must mention every required term and none of the excluded ones.
    required_terms = ["fleet"]
    excluded_terms = ["franchise"]
    # Never candidates (whole URLs are fine; they are reduced to the registrable domain).
    excluded_domains = ["dhl.com", "https://www.dbschenker.com/"]

    # Who to contact: free text, or departments and seniorities by name. Departments: sales,
    # marketing, engineering, operations, finance, hr, customer_success, other. Seniorities:
    # owner, c_level, vp, head, manager, staff.
    personas = [
        "decision makers in sales",
        { departments = ["operations"], seniorities = ["head", "c_level"] },
    ]

Problems are reported all at once, each a sentence naming its field:
"company_size.min_employees must be a whole number, not 'fifty'".

`icp_from_text` reads a free-text description ("logistics companies in Germany with 50-200
employees, decision makers in sales") into the same fields, deterministically, using the small
vocabularies in `data/` (industries with English and German synonyms; countries, regions and
major cities with their codes).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from coldflow.contacts.personas import parse_persona
from coldflow.discover.domains import registrable_domain

PlaceKind = Literal["city", "region", "country", "place"]
PersonaSpec = str | dict[str, Any]

MAX_ITEMS = 50
MAX_TERM_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 5000
_FIELDS = (
    "description",
    "industries",
    "keywords",
    "locations",
    "languages",
    "company_size",
    "required_terms",
    "excluded_terms",
    "excluded_domains",
    "personas",
)


class ICPError(ValueError):
    """Everything wrong with an ICP, each problem a sentence naming its field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Industry:
    key: str
    label_en: str
    label_de: str
    kind_en: str
    kind_de: str
    terms_en: tuple[str, ...]
    terms_de: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    kind: PlaceKind
    country_code: str
    name_en: str
    name_de: str
    # Every spelling that names it on a web page ("München", "Munich", "Muenchen").
    spellings: tuple[str, ...]


@dataclass(frozen=True)
class Location:
    name: str
    # ISO 3166-1 alpha-2, upper case.
    country_code: str
    kind: PlaceKind


@dataclass(frozen=True)
class CompanySize:
    min_employees: int | None = None
    max_employees: int | None = None


@dataclass(frozen=True)
class ICP:
    description: str = ""
    industries: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    # Empty: chosen from the locations (see `search_languages`).
    languages: tuple[str, ...] = ()
    company_size: CompanySize = field(default_factory=CompanySize)
    required_terms: tuple[str, ...] = ()
    excluded_terms: tuple[str, ...] = ()
    # Registrable domains.
    excluded_domains: tuple[str, ...] = ()
    personas: tuple[PersonaSpec, ...] = ()

    @property
    def search_languages(self) -> tuple[str, ...]:
        """The languages to phrase searches in: the ICP's own, or German and English where a
        location speaks German, English elsewhere."""
        if self.languages:
            return self.languages
        german = any(country_language(loc.country_code) == "de" for loc in self.locations)
        return ("de", "en") if german else ("en",)


# ---------------------------------------------------------------------------------------------
# Vocabularies


@dataclass(frozen=True)
class _Countries:
    places: dict[str, Place]
    languages: dict[str, str]
    groups: dict[str, tuple[str, ...]]
    cities_and_regions: tuple[Place, ...]
    # Free-text words for a country that are no evidence on a web page ("German").
    adjectives: dict[str, str]
    codes: dict[str, str]


def _data(name: str) -> dict[str, Any]:
    text = resources.files("coldflow.discover").joinpath("data", name).read_text("utf-8")
    return tomllib.loads(text)


@cache
def industries() -> tuple[Industry, ...]:
    return tuple(
        Industry(
            key,
            entry["label_en"],
            entry["label_de"],
            entry["kind_en"],
            entry["kind_de"],
            tuple(entry["terms_en"]),
            tuple(entry["terms_de"]),
        )
        for key, entry in _data("industries.toml").items()
    )


@cache
def _industry_names() -> dict[str, Industry]:
    names: dict[str, Industry] = {}
    for industry in industries():
        words = (industry.key, industry.label_en, industry.label_de, industry.kind_en)
        for word in (*words, industry.kind_de, *industry.terms_en, *industry.terms_de):
            names.setdefault(_fold(word), industry)
    return names


def resolve_industry(name: str) -> Industry | None:
    """The vocabulary's industry for a key, label or synonym in either language."""
    return _industry_names().get(_fold(name))


@cache
def _countries() -> _Countries:
    raw = _data("places.toml")
    places: dict[str, Place] = {}
    languages: dict[str, str] = {}
    others: list[Place] = []
    adjectives: dict[str, str] = {}
    codes: dict[str, str] = {}
    for code, entry in raw["countries"].items():
        names = _unique(entry["names"])
        places[code] = Place("country", code, entry["name_en"], entry["name_de"], names)
        languages[code] = entry["language"]
        for word in entry["adjectives"]:
            adjectives[_fold(word)] = code
        for word in entry["codes"]:
            codes[word] = code
        others.extend(_place("city", code, item) for item in entry["cities"])
        others.extend(_place("region", code, item) for item in entry["regions"])
    groups = {name: tuple(members) for name, members in raw["groups"].items()}
    return _Countries(places, languages, groups, tuple(others), adjectives, codes)


def _place(kind: PlaceKind, code: str, item: str | Mapping[str, Any]) -> Place:
    if isinstance(item, str):
        return Place(kind, code, item, item, (item,))
    names = (item["de"], item["en"], *item.get("aliases", ()))
    return Place(kind, code, item["en"], item["de"], _unique(names))


@cache
def _places_by_name() -> dict[str, Place]:
    countries = _countries()
    names: dict[str, Place] = {}
    for place in (*countries.places.values(), *countries.cities_and_regions):
        for spelling in place.spellings:
            names.setdefault(_fold(spelling), place)
    return names


def country_language(code: str) -> str | None:
    """The language a country's searches are phrased in ("de", "en", "fr" …), if known."""
    return _countries().languages.get(code)


def place_of(location: Location) -> Place:
    """The vocabulary entry for a location, or one made of its own name."""
    known = _places_by_name().get(_fold(location.name))
    if known is not None and known.country_code == location.country_code:
        return known
    if location.kind == "country":
        country = _countries().places.get(location.country_code)
        if country is not None:
            return country
    return Place(
        location.kind, location.country_code, location.name, location.name, (location.name,)
    )


# ---------------------------------------------------------------------------------------------
# Loading and validation


def load_icp(text: str) -> ICP:
    """An ICP from TOML text; raises ICPError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ICPError([f"The ICP is not valid TOML: {error}."]) from None
    return icp_from_mapping(data)


def icp_from_mapping(data: Mapping[str, Any]) -> ICP:
    """An ICP from a mapping shaped like the TOML format (as stored in JSON); raises ICPError."""
    problems: list[str] = []
    for key in data:
        if key not in _FIELDS:
            close = difflib.get_close_matches(str(key), _FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"'{key}' is not an ICP field{hint}.")
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append("description must be text.")
        description = ""
    elif len(description) > MAX_DESCRIPTION_LENGTH:
        problems.append(f"description is longer than {MAX_DESCRIPTION_LENGTH} characters.")
    icp = ICP(
        description=description.strip(),
        industries=_terms(data, "industries", problems),
        keywords=_terms(data, "keywords", problems),
        locations=_locations(data.get("locations", []), problems),
        languages=_languages(data.get("languages", []), problems),
        company_size=_company_size(data.get("company_size"), problems),
        required_terms=_terms(data, "required_terms", problems),
        excluded_terms=_terms(data, "excluded_terms", problems),
        excluded_domains=_domains(data.get("excluded_domains", []), problems),
        personas=_personas(data.get("personas", []), problems),
    )
    if problems:
        raise ICPError(problems)
    return icp


def icp_to_mapping(icp: ICP) -> dict[str, Any]:
    """The ICP as plain JSON-ready data; `icp_from_mapping` reads it back unchanged."""
    data: dict[str, Any] = {
        "description": icp.description,
        "industries": list(icp.industries),
        "keywords": list(icp.keywords),
        "locations": [
            {"name": loc.name, "country": loc.country_code, "kind": loc.kind}
            for loc in icp.locations
        ],
        "languages": list(icp.languages),
        "company_size": {
            key: value
            for key, value in (
                ("min_employees", icp.company_size.min_employees),
                ("max_employees", icp.company_size.max_employees),
            )
            if value is not None
        },
        "required_terms": list(icp.required_terms),
        "excluded_terms": list(icp.excluded_terms),
        "excluded_domains": list(icp.excluded_domains),
        "personas": [p if isinstance(p, str) else dict(p) for p in icp.personas],
    }
    return data


def _list(value: Any, name: str, problems: list[str]) -> list[Any]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        problems.append(f"{name} must be a list, not {_kind_of(value)}.")
        return []
    if len(value) > MAX_ITEMS:
        problems.append(f"{name} has {len(value)} entries; at most {MAX_ITEMS} are allowed.")
        return value[:MAX_ITEMS]
    return value


def _terms(data: Mapping[str, Any], name: str, problems: list[str]) -> tuple[str, ...]:
    terms: list[str] = []
    for index, item in enumerate(_list(data.get(name, []), name, problems)):
        if not isinstance(item, str):
            problems.append(f"{name}[{index}] must be text, not {_kind_of(item)}.")
            continue
        term = " ".join(item.split())
        if not term:
            problems.append(f"{name}[{index}] is empty.")
        elif len(term) > MAX_TERM_LENGTH:
            problems.append(f"{name}[{index}] is longer than {MAX_TERM_LENGTH} characters.")
        elif _fold(term) not in {_fold(t) for t in terms}:
            terms.append(term)
    return tuple(terms)


def _locations(value: Any, problems: list[str]) -> tuple[Location, ...]:
    locations: list[Location] = []
    for index, item in enumerate(_list(value, "locations", problems)):
        where = f"locations[{index}]"
        if isinstance(item, str):
            found = resolve_location(item)
            if not found:
                problems.append(
                    f"{where}: '{item}' is not a city, region or country coldflow knows; "
                    f'give its country: {{ name = "{item}", country = "DE" }}.'
                )
            locations.extend(found)
        elif isinstance(item, Mapping):
            location = _location_table(item, where, problems)
            if location is not None:
                locations.append(location)
        else:
            problems.append(f"{where} must be a name or a table, not {_kind_of(item)}.")
    return tuple(dict.fromkeys(locations))


def _location_table(item: Mapping[str, Any], where: str, problems: list[str]) -> Location | None:
    name, code = item.get("name"), item.get("country")
    unknown = sorted(set(item) - {"name", "country", "kind"})
    if unknown:
        problems.append(f"{where}: unknown key {', '.join(repr(k) for k in unknown)}.")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}.name must be the place's name.")
        return None
    if not isinstance(code, str) or not re.fullmatch(r"[A-Za-z]{2}", code):
        problems.append(f"{where}.country must be a two-letter country code such as 'DE'.")
        return None
    name, code = " ".join(name.split()), code.upper()
    known = _places_by_name().get(_fold(name))
    if known is not None and known.country_code == code:
        return Location(known.name_en, code, known.kind)
    kind = item.get("kind", "place")
    if kind not in ("city", "region", "country", "place"):
        problems.append(f"{where}.kind must be city, region, country or place.")
        kind = "place"
    return Location(name, code, kind)


def resolve_location(text: str) -> tuple[Location, ...]:
    """Locations a name stands for: one city, region or country, or a group's countries."""
    text = " ".join(text.split())
    countries = _countries()
    group = next((m for g, m in countries.groups.items() if _fold(g) == _fold(text)), None)
    if group is not None:
        return tuple(_country_location(code) for code in group)
    code = countries.codes.get(text)
    if code is None and len(text) == 2 and text.upper() in countries.places:
        code = text.upper()
    if code is not None:
        return (_country_location(code),)
    place = _places_by_name().get(_fold(text))
    if place is not None:
        return (Location(place.name_en, place.country_code, place.kind),)
    adjective = countries.adjectives.get(_fold(text))
    if adjective is not None:
        return (_country_location(adjective),)
    return ()


def _country_location(code: str) -> Location:
    return Location(_countries().places[code].name_en, code, "country")


def _languages(value: Any, problems: list[str]) -> tuple[str, ...]:
    languages: list[str] = []
    for index, item in enumerate(_list(value, "languages", problems)):
        if not isinstance(item, str) or not re.fullmatch(r"[A-Za-z]{2}", item.strip()):
            problems.append(
                f"languages[{index}] must be a two-letter language code such as 'de', not {item!r}."
            )
            continue
        if item.strip().lower() not in languages:
            languages.append(item.strip().lower())
    return tuple(languages)


def _company_size(value: Any, problems: list[str]) -> CompanySize:
    if value is None:
        return CompanySize()
    if isinstance(value, str):
        size = parse_size_range(value)
        if size is None:
            problems.append(
                f'company_size \'{value}\' is not a size; write it as "50-200", "50+", '
                f'"<200" or a table with min_employees and max_employees.'
            )
            return CompanySize()
        return size
    if not isinstance(value, Mapping):
        problems.append(f"company_size must be a table or text, not {_kind_of(value)}.")
        return CompanySize()
    unknown = sorted(set(value) - {"min_employees", "max_employees"})
    if unknown:
        problems.append(f"company_size: unknown key {', '.join(repr(k) for k in unknown)}.")
    bounds: dict[str, int | None] = {}
    for key in ("min_employees", "max_employees"):
        number = value.get(key)
        if number is None:
            bounds[key] = None
        elif isinstance(number, bool) or not isinstance(number, int):
            problems.append(f"company_size.{key} must be a whole number, not {number!r}.")
            bounds[key] = None
        elif number < 1:
            problems.append(f"company_size.{key} must be at least 1, not {number}.")
            bounds[key] = None
        else:
            bounds[key] = number
    low, high = bounds["min_employees"], bounds["max_employees"]
    if low is not None and high is not None and low > high:
        problems.append(
            f"company_size.min_employees ({low}) is larger than max_employees ({high})."
        )
    return CompanySize(low, high)


_SIZE_NUMBER = r"(\d{1,3}(?:[.,]\d{3})+|\d{1,7})"
_SIZE_RANGE = re.compile(_SIZE_NUMBER + r"[-–]" + _SIZE_NUMBER)
_SIZE_AT_LEAST = re.compile(_SIZE_NUMBER + r"\+|>=?" + _SIZE_NUMBER)
_SIZE_BELOW = re.compile(r"<=?" + _SIZE_NUMBER)
_SIZE_EXACT = re.compile(_SIZE_NUMBER)


@lru_cache(maxsize=4096)
def parse_size_range(text: str) -> CompanySize | None:
    """ "50-200", "50 – 200", "50+", ">50", "<200", "200" → a CompanySize; None if unreadable."""
    text = text.strip().replace(" ", "")
    if match := _SIZE_EXACT.fullmatch(text):
        return CompanySize(_int(match[1]), _int(match[1]))
    if match := _SIZE_RANGE.fullmatch(text):
        low, high = _int(match[1]), _int(match[2])
        return CompanySize(low, high) if low <= high else None
    if match := _SIZE_AT_LEAST.fullmatch(text):
        low = _int(match[1] or match[2])
        return CompanySize(low + (1 if text.startswith(">") and "=" not in text else 0), None)
    if match := _SIZE_BELOW.fullmatch(text):
        high = _int(match[1])
        return CompanySize(None, high - (0 if "=" in text else 1))
    return None


def _int(text: str) -> int:
    return int(text.replace(",", "").replace(".", ""))


def _domains(value: Any, problems: list[str]) -> tuple[str, ...]:
    domains: list[str] = []
    for index, item in enumerate(_list(value, "excluded_domains", problems)):
        domain = registrable_domain(item) if isinstance(item, str) else None
        if domain is None:
            problems.append(f"excluded_domains[{index}]: {item!r} is not a domain name.")
        elif domain not in domains:
            domains.append(domain)
    return tuple(domains)


def _personas(value: Any, problems: list[str]) -> tuple[PersonaSpec, ...]:
    personas: list[PersonaSpec] = []
    for index, item in enumerate(_list(value, "personas", problems)):
        if isinstance(item, str):
            item = " ".join(item.split())
        elif isinstance(item, Mapping):
            item = dict(item)
        else:
            problems.append(f"personas[{index}] must be text or a table, not {_kind_of(item)}.")
            continue
        try:
            persona = parse_persona(item)
        except ValueError as error:
            problems.append(f"personas[{index}]: {error}.")
            continue
        if isinstance(item, str) and not (persona.departments or persona.seniorities):
            problems.append(
                f"personas[{index}]: '{item}' names no department or seniority coldflow "
                f"knows (such as 'heads of sales' or 'decision makers in marketing')."
            )
            continue
        personas.append(item)
    return tuple(personas)


def _kind_of(value: Any) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list"}
    if isinstance(value, Mapping):
        return "a table"
    return names.get(type(value), type(value).__name__)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# ---------------------------------------------------------------------------------------------
# Matching words in text


def term_pattern(term: str, language: str) -> str:
    """A regular expression for a term as written on a page: case and separators ("e-commerce",
    "e commerce", "ecommerce") do not matter; English terms also match their plural; German
    terms also match as the start of a compound ("Logistik" in "Logistikunternehmen")."""
    words = [re.escape(word) for word in re.split(r"[\s-]+", term.strip()) if word]
    body = r"[\s-]?".join(words)
    if language == "de":
        return rf"(?<!\w){body}\w*"
    if term.endswith("y") and len(term) > 3:
        body = body[:-1] + "(?:y|ies)"
    return rf"(?<!\w){body}(?:s|es)?(?!\w)"


@cache
def compiled_terms(terms: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for (term, language) pairs, longest terms first."""
    ordered = sorted(terms, key=lambda pair: -len(pair[0]))
    return re.compile("|".join(f"(?:{term_pattern(t, lang)})" for t, lang in ordered), re.I)


def industry_terms(industry: Industry) -> tuple[tuple[str, str], ...]:
    """Every (term, language) that is evidence of the industry on a page."""
    english = (industry.label_en, industry.kind_en, *industry.terms_en)
    german = (industry.label_de, industry.kind_de, *industry.terms_de)
    return tuple(dict.fromkeys([(t, "en") for t in english] + [(t, "de") for t in german]))


# ---------------------------------------------------------------------------------------------
# Free text


_SIZE_NOUNS = (
    r"(?:employees|staff|people|workers|FTEs?|mitarbeiter\w*|beschäftigte\w*|angestellte\w*)"
)
_SIZE_RULES: tuple[tuple[str, str], ...] = (
    (
        rf"(?:between|zwischen)\s+{_SIZE_NUMBER}\s+(?:and|und)\s+{_SIZE_NUMBER}\s+{_SIZE_NOUNS}",
        "range",
    ),
    (rf"{_SIZE_NUMBER}\s*(?:-|–|to|bis)\s*{_SIZE_NUMBER}\s+{_SIZE_NOUNS}", "range"),
    (
        rf"(?:up to|at most|no more than|not more than|maximum|max\.?|bis zu|höchstens"
        rf"|nicht mehr als)\s+{_SIZE_NUMBER}\s+{_SIZE_NOUNS}",
        "max",
    ),
    (rf"(?:more than|over|above|mehr als|über)\s+{_SIZE_NUMBER}\s+{_SIZE_NOUNS}", "above"),
    (rf"(?:at least|minimum|min\.?|mindestens|ab)\s+{_SIZE_NUMBER}\s+{_SIZE_NOUNS}", "min"),
    (rf"{_SIZE_NUMBER}\s*\+\s*{_SIZE_NOUNS}", "min"),
    (
        rf"(?:fewer than|less than|under|below|weniger als|unter)\s+{_SIZE_NUMBER}\s+{_SIZE_NOUNS}",
        "below",
    ),
)
# Size words with the EU's definitions (small < 50, SME < 250, medium 50–249, large ≥ 250).
_SIZE_WORDS: tuple[tuple[str, CompanySize], ...] = (
    (
        r"\b(small businesses|small companies|kleinunternehmen|kleine unternehmen)\b",
        CompanySize(None, 49),
    ),
    (r"\b(mid-?sized|medium-?sized|mittelständisch\w*|mittelstand)\b", CompanySize(50, 249)),
    (r"\b(smes?|smbs?|kmus?)\b", CompanySize(None, 249)),
    (r"\b(enterprises|large companies|großunternehmen|konzerne)\b", CompanySize(250, None)),
)
_PERSONA_CUES = re.compile(
    r"(?i)\b(decision[\s-]?makers?|entscheider\w*|entscheidungsträger\w*|heads?\s+of|leiter\w*"
    r"|managers?|directors?|founders?|owners?|ceos?|ctos?|cfos?|cmos?|coos?|cros?|vps?"
    r"|vice\s+presidents?|c[\s-]?level|c[\s-]?suite|executives?|geschäftsführ\w*|inhaber\w*"
    r"|gründer\w*|vorstände?|vorstand|leadership|führungskräft\w*|ansprechpartner\w*"
    r"|people\s+in|contacts?\s+in|team\s+leads?)\b"
)
# "no"/"not" only open a clause ("no franchises"); elsewhere they are part of a phrase
# ("no more than 50 employees").
_EXCLUSION_AT_START = re.compile(
    r"(?i)^(?:but\s+)?(?:not|no|keine?n?|nicht)\s+(?!more\b|less\b|fewer\b|mehr\b|weniger\b)(.+)$"
)
_EXCLUSION_INLINE = re.compile(
    r"(?i)\b(?:but\s+not|excluding|exclude|except|without|ohne|außer|ausgenommen)\s+(.+)$"
)
_REQUIRED_CUE = re.compile(r"(?i)\bmust\s+(?:mention|contain|include)\s+(.+)$")
_QUOTED = re.compile(r"[\"“„«»]([^\"“”„«»]{2,80})[\"”“«»]")
_NOUN_PHRASE = re.compile(
    r"(?i)\b([\w&-]+(?:\s+[\w&-]+)?)\s+(companies|firms|businesses|startups|start-ups|agencies"
    r"|providers|manufacturers|suppliers|makers|shops|studios|unternehmen|firmen|betriebe"
    r"|hersteller|anbieter|startups|händler)\b"
)
_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "in",
        "of",
        "for",
        "and",
        "or",
        "with",
        "from",
        "our",
        "my",
        "we",
        "us",
        "all",
        "any",
        "some",
        "small",
        "large",
        "big",
        "medium",
        "mid",
        "sized",
        "mid-sized",
        "new",
        "other",
        "top",
        "best",
        "leading",
        "local",
        "regional",
        "ein",
        "eine",
        "einer",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "und",
        "oder",
        "mit",
        "aus",
        "im",
        "in",
        "für",
        "alle",
        "kleine",
        "große",
        "mittelständische",
        "regionale",
        "lokale",
    ]
)
# Commas and full stops inside "1,000" or "acme.de" do not end a clause.
_CLAUSE_BREAK = re.compile(r"[;\n]|[,.](?=\s|$)|\s[–—-]\s")
_DOMAIN_TOKEN = re.compile(r"(?i)\b(?:[a-z0-9-]+\.)+[a-z]{2,24}\b")


def icp_from_text(text: str) -> ICP:
    """A best-effort, deterministic reading of a free-text ICP into its fields.

    The whole text becomes the description; whatever is recognised fills the structured
    fields, and what is not recognised is simply not there (never guessed)."""
    text = text[:MAX_DESCRIPTION_LENGTH]
    required = [m[1].strip() for m in _QUOTED.finditer(text)]
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(_QUOTED.sub(" ", text))]
    personas: list[str] = []
    excluded_terms: list[str] = []
    excluded_domains: list[str] = []
    about: list[str] = []
    for clause in filter(None, clauses):
        exclusion = _EXCLUSION_AT_START.search(clause) or _EXCLUSION_INLINE.search(clause)
        if exclusion:
            clause = clause[: exclusion.start()].strip()
            for term in re.split(r"(?i)\s+(?:or|and|oder|und|nor)\s+|/", exclusion[1]):
                term = term.strip(" .")
                if not term:
                    continue
                domain = registrable_domain(term) if _DOMAIN_TOKEN.fullmatch(term) else None
                (excluded_domains if domain else excluded_terms).append(domain or term)
        if not clause:
            continue
        if _PERSONA_CUES.search(clause):
            persona = re.sub(
                r"(?i)^(and|und|targeting|target|reach|reaching|contact|an)\s+", "", clause
            )
            if _names_a_persona(persona):
                personas.append(persona)
                continue
        if required_match := _REQUIRED_CUE.search(clause):
            required.append(required_match[1].strip())
            clause = clause[: required_match.start()]
        about.append(clause)
    body = " , ".join(about)
    industry_names, keywords = _industries_in(body)
    return ICP(
        description=" ".join(text.split()),
        industries=industry_names,
        keywords=keywords,
        locations=_locations_in(body),
        company_size=_size_in(text),
        required_terms=_unique(required),
        excluded_terms=_unique(excluded_terms),
        excluded_domains=_unique(excluded_domains),
        personas=_unique(personas),
    )


def with_description_read(icp: ICP) -> ICP:
    """The ICP with the fields its description names filled in where they are empty: an ICP
    that is only a description still gets searched for and ranked by what it says."""
    if not icp.description:
        return icp
    read = icp_from_text(icp.description)
    return replace(
        icp,
        industries=icp.industries or read.industries,
        keywords=icp.keywords or read.keywords,
        locations=icp.locations or read.locations,
        company_size=icp.company_size if icp.company_size != CompanySize() else read.company_size,
        required_terms=icp.required_terms or read.required_terms,
        excluded_terms=icp.excluded_terms or read.excluded_terms,
        excluded_domains=icp.excluded_domains or read.excluded_domains,
        personas=icp.personas or read.personas,
    )


def _names_a_persona(text: str) -> bool:
    try:
        persona = parse_persona(text)
    except ValueError:
        return False
    return bool(persona.departments or persona.seniorities)


def _industries_in(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    every_term = tuple(pair for industry in industries() for pair in industry_terms(industry))
    names: list[str] = []
    covered: list[tuple[int, int]] = []
    for match in compiled_terms(every_term).finditer(text):
        covered.append(match.span())
        industry = next(
            (i for i in industries() if compiled_terms(industry_terms(i)).fullmatch(match[0])),
            None,
        )
        if industry is not None and industry.label_en.lower() not in names:
            names.append(industry.label_en.lower())
    keywords: list[str] = []
    for match in _NOUN_PHRASE.finditer(text):
        modifier_start, modifier_end = match.span(1)
        if any(start < modifier_end and modifier_start < end for start, end in covered):
            continue
        words = [w for w in match[1].split() if w.casefold() not in _FILLER]
        words = [w for w in words if not resolve_location(w) and not w.isdigit()]
        if words:
            keywords.append(" ".join([*words, match[2]]))
    return tuple(names), _unique(keywords)


@cache
def _location_pattern() -> re.Pattern[str]:
    countries = _countries()
    words = [*_places_by_name(), *countries.adjectives, *(_fold(g) for g in countries.groups)]
    ordered = sorted(set(words), key=len, reverse=True)
    names = "|".join(r"[\s-]?".join(map(re.escape, w.split())) for w in ordered)
    codes = "|".join(re.escape(c) for c in sorted(countries.codes, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:(?i:{names})|{codes})(?!\w)")


def _locations_in(text: str) -> tuple[Location, ...]:
    locations: list[Location] = []
    for match in _location_pattern().finditer(text):
        locations.extend(resolve_location(match[0]))
    return tuple(dict.fromkeys(locations))


def _size_in(text: str) -> CompanySize:
    for rule, shape in _SIZE_RULES:
        match = re.search(rule, text, re.I)
        if match is None:
            continue
        numbers = [_int(n) for n in match.groups() if n]
        if shape == "range" and numbers[0] <= numbers[1]:
            return CompanySize(numbers[0], numbers[1])
        if shape in ("above", "min"):
            return CompanySize(numbers[0] + (1 if shape == "above" else 0), None)
        if shape in ("below", "max"):
            return CompanySize(None, numbers[0] - (1 if shape == "below" else 0))
    for rule, size in _SIZE_WORDS:
        if re.search(rule, text, re.I):
            return size
    return CompanySize()
