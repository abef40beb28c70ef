"""Search queries from an ICP.

Deterministic by default: every industry (with its synonyms in English and German) and keyword
is crossed with every location and a few phrasings, German phrasings for German-speaking
places. Queries come in a stable order that covers each location with the main term before it
spends the budget on synonyms and variants, deduplicated and capped.

Operators follow what the provider understands (`QuerySyntax`): required terms in quotes,
excluded terms and domains as `-"term"` and `-site:domain`, within the provider's word limit.

`llm_queries` is the seam for LLM expansion: it takes any `complete(prompt) -> str` callable,
asks for extra queries, and keeps only lines that pass validation (bounded count and length,
no URLs or site-targeting operators, no duplicates). The answer is never trusted as is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from coldflow.discover.domains import common_noise_domains
from coldflow.discover.icp import (
    ICP,
    ICPError,
    Place,
    country_language,
    place_of,
    resolve_industry,
    with_description_read,
)

Origin = Literal["template", "llm"]
DEFAULT_LIMIT = 30


@dataclass(frozen=True)
class QuerySyntax:
    """What a provider's query language supports."""

    quotes: bool = True
    # -term and -"two words" to leave out pages that mention them.
    negative_terms: bool = True
    site_exclusion: bool = True
    # -site: operators per query; the rest is filtered after the search.
    max_exclusions: int = 6
    # Google and its resellers ignore words past 32; Brave allows 50.
    max_words: int = 32


@dataclass(frozen=True)
class GeneratedQuery:
    text: str
    origin: Origin
    # The language to ask the provider for results in; None lets the provider decide.
    language: str | None


@dataclass(frozen=True)
class _Subject:
    # The main search term first, then synonyms.
    terms_en: tuple[str, ...]
    terms_de: tuple[str, ...]
    # What one such company is called, when the vocabulary knows it.
    kind_en: str = ""
    kind_de: str = ""


@dataclass(frozen=True)
class _Where:
    place: Place | None
    language: str | None

    def name(self, language: str) -> str:
        if self.place is None:
            return ""
        return self.place.name_de if language == "de" else self.place.name_en


def generate_queries(
    icp: ICP, syntax: QuerySyntax = QuerySyntax(), *, limit: int = DEFAULT_LIMIT
) -> list[GeneratedQuery]:
    """Template queries for the ICP, best first; raises ICPError when it names nothing to
    search for."""
    icp = with_description_read(icp)
    subjects = _subjects(icp)
    if not subjects:
        raise ICPError(
            ["The ICP names no industry or keyword to search for: add industries or keywords."]
        )
    places = [
        _Where(place_of(loc), country_language(loc.country_code)) for loc in icp.locations
    ] or [_Where(None, None)]
    wanted = set(icp.search_languages) & {"de", "en"} or {"en"}

    tiers: list[list[tuple[str, str | None]]] = [[] for _ in range(4)]
    for where in places:
        # Without a place, the wanted languages decide alone.
        german = "de" in wanted and (where.place is None or where.language == "de")
        english = "en" in wanted or not german
        for subject in subjects:
            if german:
                _add_phrasings(tiers, subject.terms_de, subject.kind_de, where, "de")
            if english:
                _add_phrasings(tiers, subject.terms_en, subject.kind_en, where, "en")

    queries: list[GeneratedQuery] = []
    seen: set[str] = set()
    for tier in tiers:
        for base, language in tier:
            key = base.casefold()
            if key in seen:
                continue
            seen.add(key)
            text = decorate(base, icp, syntax, language)
            queries.append(GeneratedQuery(text, "template", language))
            if len(queries) >= limit:
                return queries
    return queries


def _subjects(icp: ICP) -> list[_Subject]:
    subjects: list[_Subject] = []
    for name in icp.industries:
        known = resolve_industry(name)
        if known is None:
            subjects.append(_Subject((name,), (name,)))
            continue
        # The user's own word goes first, unless it is the vocabulary's key ("real_estate").
        own = () if name.casefold() == known.key else (name,)
        german_word = name.casefold() in {
            t.casefold() for t in (*known.terms_de, known.label_de, known.kind_de)
        }
        english_first = () if german_word else own
        german_first = own if german_word else ()
        subjects.append(
            _Subject(
                _unique((*english_first, *known.terms_en)),
                _unique((*german_first, *known.terms_de)),
                known.kind_en,
                known.kind_de,
            )
        )
    subjects.extend(_Subject((word,), (word,)) for word in icp.keywords)
    return subjects


def _add_phrasings(
    tiers: list[list[tuple[str, str | None]]],
    terms: tuple[str, ...],
    kind: str,
    where: _Where,
    language: str,
) -> None:
    place = where.name(language)
    # English words for a place that speaks another language: let the provider decide.
    english_place = where.place is None or where.language == "en"
    query_language = language if language == "de" or english_place else None

    def add(tier: int, *words: str) -> None:
        tiers[tier].append((" ".join(w for w in words if w), query_language))

    main = terms[0]
    add(0, main, place)
    if kind and kind.casefold() != main.casefold():
        add(1, kind, place)
    for synonym in terms[1:]:
        add(2, synonym, place)
    if not place:
        return
    if language == "de":
        add(3, main, "Firmen in", place)
        add(3, main, "Anbieter", place)
    else:
        add(3, main, "companies in", place)
        add(3, main, "firms", place)


def decorate(base: str, icp: ICP, syntax: QuerySyntax, language: str | None) -> str:
    """The query with the ICP's required and excluded terms and the site exclusions the
    provider understands, within its word limit."""
    parts = [base]
    for term in icp.required_terms:
        parts.append(_quoted(term, syntax))
    for term in icp.excluded_terms if syntax.negative_terms else ():
        if syntax.quotes or " " not in term:
            parts.append("-" + _quoted(term, syntax))
    words = sum(len(p.split()) for p in parts)
    if syntax.site_exclusion:
        domains = _unique((*icp.excluded_domains, *common_noise_domains(language)))
        for domain in domains[: syntax.max_exclusions]:
            if words + 1 > syntax.max_words:
                break
            parts.append(f"-site:{domain}")
            words += 1
    return " ".join(parts)


def _quoted(term: str, syntax: QuerySyntax) -> str:
    term = term.replace('"', "")
    return f'"{term}"' if syntax.quotes and " " in term else term


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return tuple(seen.values())


# ---------------------------------------------------------------------------------------------
# LLM expansion

MAX_LLM_QUERIES = 20
MAX_QUERY_LENGTH = 150
MAX_QUERY_WORDS = 16
# Only so much of an answer is read; a runaway answer is cut, not parsed.
MAX_ANSWER_LENGTH = 10_000
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s*")
_OPERATOR = re.compile(r"(?i)(?:^|\s)-?(site|inurl|intitle|intext|filetype|related|cache|link):")
_PREAMBLE = re.compile(r"(?i)^(here (are|is)|sure|certainly|of course|queries|search queries)\b")


@dataclass(frozen=True)
class LlmExpansion:
    queries: list[GeneratedQuery]
    # (the line as answered, why it was not used)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    # Set when `complete` failed; queries is empty then.
    error: str | None = None


def llm_prompt(icp: ICP, count: int) -> str:
    """The request for extra queries. The ICP is the user's own text, fenced off all the same
    so that nothing in it reads as an instruction about the answer's format."""
    fields = [
        ("Industries", ", ".join(icp.industries)),
        ("Keywords", ", ".join(icp.keywords)),
        ("Locations", ", ".join(f"{loc.name} ({loc.country_code})" for loc in icp.locations)),
        ("Languages", ", ".join(icp.search_languages)),
    ]
    described = "\n".join(f"{label}: {value}" for label, value in fields if value)
    return (
        "You help find companies' own websites with a web search engine.\n"
        f"Write {count} different search queries that would find the websites of companies "
        "matching the profile below: other names for what they do, the services they offer, "
        "and the words such companies use about themselves, in the profile's languages.\n"
        "Rules: one query per line; no numbering, no explanations, no quotes around the line; "
        "at most 8 words per query; no URLs and no operators such as site:.\n"
        "<profile>\n"
        f"{icp.description}\n{described}\n"
        "</profile>\n"
    )


def llm_queries(
    icp: ICP,
    complete: Callable[[str], str],
    syntax: QuerySyntax = QuerySyntax(),
    *,
    limit: int = 10,
    existing: Iterable[str] = (),
) -> LlmExpansion:
    """Extra queries from an LLM, validated line by line; `existing` (e.g. the template
    queries) are not repeated."""
    limit = max(0, min(limit, MAX_LLM_QUERIES))
    try:
        answer = complete(llm_prompt(icp, limit))
    except Exception as error:  # noqa: BLE001 - any client failure is reported, not raised
        return LlmExpansion([], [], f"the LLM request failed: {error}")
    if not isinstance(answer, str):
        return LlmExpansion([], [], f"the LLM answered {type(answer).__name__}, not text")
    seen = {_base_key(q) for q in existing}
    queries: list[GeneratedQuery] = []
    rejected: list[tuple[str, str]] = []
    for raw in answer[:MAX_ANSWER_LENGTH].splitlines():
        line = _BULLET.sub("", raw).strip().strip("\"'`“”„").strip()
        if not line:
            continue
        reason = _rejection(line)
        if reason is None and _base_key(line) in seen:
            reason = "repeats another query"
        if reason is None and len(queries) >= limit:
            reason = f"more than the {limit} queries asked for"
        if reason is not None:
            rejected.append((raw.strip()[:MAX_QUERY_LENGTH], reason))
            continue
        seen.add(_base_key(line))
        queries.append(GeneratedQuery(decorate(line, icp, syntax, None), "llm", None))
    return LlmExpansion(queries, rejected)


def _rejection(line: str) -> str | None:
    if len(line) > MAX_QUERY_LENGTH:
        return f"longer than {MAX_QUERY_LENGTH} characters"
    if len(line.split()) > MAX_QUERY_WORDS:
        return f"more than {MAX_QUERY_WORDS} words"
    if any(not c.isprintable() for c in line):
        return "contains control characters"
    if "://" in line or re.search(r"(?i)\bwww\.", line):
        return "contains a web address"
    if _OPERATOR.search(line):
        return "uses a search operator"
    if line.endswith(":") or _PREAMBLE.match(line):
        return "is not a query"
    if not any(c.isalpha() for c in line):
        return "has no words"
    return None


def _base_key(query: str) -> str:
    """A query without the operators `decorate` adds, for comparing queries."""
    stripped = re.sub(r'-?"[^"]*"|(?:^|\s)-\S+', " ", query)
    return " ".join(stripped.split()).casefold()
