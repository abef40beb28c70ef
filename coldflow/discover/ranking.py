"""Candidates from search hits: one per registrable domain, noise filtered, ranked by ICP fit.

The fit score reads only what the search engine returned (title, snippet, URL); the research
stage reads the site itself later. Each factor that applies to the ICP has a weight, and the
score is the share of the applicable weight a candidate earned (0 to 1):

- industry (0.4): an industry term or synonym (English or German) or a keyword;
- location (0.3): a wanted city, region or country by any of its spellings; a matching
  country-code domain (`.de`) earns the full weight for a country, half for a city or region;
- required terms (0.2): the share of required terms mentioned;
- excluded terms (0.1): none mentioned (a hit that mentions one is filtered).

Every earned weight is a reason with the text that matched and where: these are shown to the
user as they are.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from coldflow.discover.domains import classify_noise, display_domain, registrable_domain
from coldflow.discover.icp import (
    ICP,
    compiled_terms,
    industry_terms,
    place_of,
    resolve_industry,
    term_pattern,
    with_description_read,
)
from coldflow.discover.providers.outcome import SearchResult

CandidateStatus = Literal["accepted", "filtered", "duplicate"]
WEIGHTS = {"industry": 0.4, "location": 0.3, "required_terms": 0.2, "excluded_terms": 0.1}
# The length of Candidate.filter_reason.
MAX_REASON_LENGTH = 200
_STATUS_ORDER = {"accepted": 0, "duplicate": 1, "filtered": 2}
# ccTLDs that differ from the ISO code.
_COUNTRY_TLDS = {"GB": ("uk",)}


@dataclass(frozen=True)
class QueryHit:
    """A search result and the query that found it."""

    query: str
    result: SearchResult
    provider: str = ""


@dataclass(frozen=True)
class FitReason:
    factor: str
    # The part of the score this reason earned.
    weight: float
    matched: str
    # title, snippet, url or domain
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "weight": self.weight,
            "matched": self.matched,
            "source": self.source,
        }


@dataclass(frozen=True)
class RankedCandidate:
    # Registrable domain; empty when the hit had no public domain.
    domain: str
    # The best hit's.
    url: str
    title: str
    snippet: str
    position: int
    status: CandidateStatus
    filter_reason: str
    fit_score: float
    fit_reasons: tuple[FitReason, ...]
    # Every query that found this domain, in the order they did.
    queries: tuple[str, ...]
    hit_count: int


@dataclass(frozen=True)
class IcpEvidence:
    """An ICP's words as patterns: the lead score (coldflow.contacts.scoring) reads researched
    companies with the same ones."""

    industry: re.Pattern[str] | None
    places: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]
    required: tuple[tuple[str, re.Pattern[str]], ...]
    excluded: tuple[tuple[str, re.Pattern[str]], ...]
    applicable: float


def rank_candidates(
    icp: ICP, hits: Iterable[QueryHit], *, existing_domains: Collection[str] = ()
) -> list[RankedCandidate]:
    """One candidate per registrable domain, best first: accepted by fit, then duplicates of
    `existing_domains` (registrable domains the workspace already has), then filtered."""
    icp = with_description_read(icp)
    evidence = icp_evidence(icp)
    excluded_domains = set(icp.excluded_domains)
    groups: dict[str, list[_Judged]] = {}
    for hit in hits:
        domain = registrable_domain(hit.result.url) or ""
        status, reason = _filter(hit.result, domain, excluded_domains, evidence)
        score, reasons = _fit(hit.result, domain, evidence)
        groups.setdefault(domain, []).append(_Judged(hit, status, reason, score, reasons))

    candidates = []
    for domain, judged in groups.items():
        # A company is kept when any of its pages passes; the best of those represents it.
        pool = [j for j in judged if j.status == "accepted"] or judged
        best = min(pool, key=lambda j: (-j.score, j.hit.result.position))
        status, reason = best.status, best.reason
        if status == "accepted" and domain in existing_domains:
            status, reason = "duplicate", f"{display_domain(domain)} is already in the workspace"
        result = best.hit.result
        candidates.append(
            RankedCandidate(
                domain=domain,
                url=result.url,
                title=result.title,
                snippet=result.snippet,
                position=result.position,
                status=status,
                filter_reason=reason[:MAX_REASON_LENGTH],
                fit_score=best.score,
                fit_reasons=best.reasons,
                queries=tuple(dict.fromkeys(j.hit.query for j in judged)),
                hit_count=len(judged),
            )
        )
    candidates.sort(key=lambda c: (_STATUS_ORDER[c.status], -c.fit_score, c.position, c.domain))
    return candidates


@dataclass(frozen=True)
class _Judged:
    hit: QueryHit
    status: CandidateStatus
    reason: str
    score: float
    reasons: tuple[FitReason, ...]


def _filter(
    result: SearchResult, domain: str, excluded_domains: set[str], evidence: IcpEvidence
) -> tuple[CandidateStatus, str]:
    if not domain:
        return "filtered", "not a public web address (an IP address or local name)"
    if domain in excluded_domains:
        return "filtered", f"{display_domain(domain)} is excluded by the ICP"
    noise = classify_noise(result.url, result.title)
    if noise is not None:
        return "filtered", noise.reason
    text = f"{result.title} {result.snippet}"
    for term, pattern in evidence.excluded:
        if pattern.search(text):
            return "filtered", f"mentions the excluded term '{term}'"
    return "accepted", ""


def icp_evidence(icp: ICP) -> IcpEvidence:
    pairs: list[tuple[str, str]] = []
    for name in icp.industries:
        known = resolve_industry(name)
        pairs.extend(industry_terms(known) if known else [(name, "en")])
    pairs.extend((word, "en") for word in icp.keywords)
    industry = compiled_terms(tuple(dict.fromkeys(pairs))) if pairs else None

    places = []
    for location in icp.locations:
        place = place_of(location)
        spellings = tuple(dict.fromkeys(place.spellings))
        pattern = compiled_terms(tuple((s, "de") for s in spellings))
        code = location.country_code
        tlds = _COUNTRY_TLDS.get(code, (code.lower(),)) if code else ()
        places.append((pattern, location.kind, tlds))

    required = tuple((t, re.compile(term_pattern(t, "de"), re.I)) for t in icp.required_terms)
    excluded = tuple((t, re.compile(term_pattern(t, "de"), re.I)) for t in icp.excluded_terms)
    applicable = sum(
        weight
        for factor, weight in WEIGHTS.items()
        if {
            "industry": industry is not None,
            "location": bool(places),
            "required_terms": bool(required),
            "excluded_terms": bool(excluded),
        }[factor]
    )
    return IcpEvidence(industry, tuple(places), required, excluded, applicable)


def _fit(
    result: SearchResult, domain: str, evidence: IcpEvidence
) -> tuple[float, tuple[FitReason, ...]]:
    sources = (
        ("title", result.title),
        ("snippet", result.snippet),
        ("url", _url_words(result.url)),
    )
    reasons: list[FitReason] = []
    if evidence.industry is not None:
        found = _first(evidence.industry, sources)
        if found:
            reasons.append(FitReason("industry", WEIGHTS["industry"], *found))
    location = _location(evidence, sources, domain)
    if location is not None:
        reasons.append(location)
    if evidence.required:
        text = f"{result.title} {result.snippet} {_url_words(result.url)}"
        present = [term for term, pattern in evidence.required if pattern.search(text)]
        if present:
            share = WEIGHTS["required_terms"] * len(present) / len(evidence.required)
            reasons.append(FitReason("required_terms", round(share, 3), ", ".join(present), "text"))
    if evidence.excluded:
        text = f"{result.title} {result.snippet}"
        if not any(pattern.search(text) for _, pattern in evidence.excluded):
            reasons.append(
                FitReason("excluded_terms", WEIGHTS["excluded_terms"], "none mentioned", "text")
            )
    if not evidence.applicable:
        return 0.0, tuple(reasons)
    score = sum(reason.weight for reason in reasons) / evidence.applicable
    return round(min(score, 1.0), 3), tuple(reasons)


def _location(
    evidence: IcpEvidence, sources: tuple[tuple[str, str], ...], domain: str
) -> FitReason | None:
    half: FitReason | None = None
    suffix = domain.rsplit(".", 1)[-1] if domain else ""
    for pattern, kind, tlds in evidence.places:
        found = _first(pattern, sources)
        if found:
            return FitReason("location", WEIGHTS["location"], *found)
        if suffix and suffix in tlds:
            weight = WEIGHTS["location"] * (1.0 if kind == "country" else 0.5)
            reason = FitReason("location", weight, f".{suffix}", "domain")
            if weight == WEIGHTS["location"]:
                return reason
            half = half or reason
    return half


def _first(
    pattern: re.Pattern[str], sources: tuple[tuple[str, str], ...]
) -> tuple[str, str] | None:
    for source, text in sources:
        match = pattern.search(text)
        if match:
            return match[0].strip(), source
    return None


def _url_words(url: str) -> str:
    """Host and path as words: `https://hamburg-logistik.de/spedition` → `hamburg logistik de
    spedition`."""
    address = url.split("://", 1)[-1][:300]
    return " ".join(re.split(r"[^\w]+", address))
