"""The lead score: how well a company and a person fit a campaign's ICP, factor by factor.

Every factor has a weight (its share of the score), a credit from 0 to 1, a value saying what
was seen, and the fact it rests on (its id and source URL), so the score can be checked against
the page it came from. The score is 100 × Σ weight × credit.

- company: industry (an industry term or keyword in the company's name or description),
  location (country or city), company size, required terms, excluded terms;
- person: persona (does the title fit one of the ICP's personas), seniority, department;
- email: how likely the chosen address reaches the person (verdict, found or guessed);
- signals: open roles and recent posts, which give an email something timely to say.

Factors the ICP does not ask about (no size, no required terms…) are left out and the other
weights scaled up to sum to 1. A company that mentions an excluded term, or whose domain the
ICP excludes, is disqualified: it still gets a score, and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from coldflow.contacts.personas import match_persona, parse_persona
from coldflow.contacts.titles import TitleInfo
from coldflow.discover.icp import ICP, place_of, resolve_location, with_description_read
from coldflow.discover.ranking import IcpEvidence, icp_evidence

WEIGHTS = {
    "industry": 0.16,
    "location": 0.10,
    "company_size": 0.06,
    "required_terms": 0.04,
    "excluded_terms": 0.02,
    "persona": 0.10,
    "seniority": 0.12,
    "department": 0.08,
    "email": 0.20,
    "open_roles": 0.06,
    "recent_posts": 0.06,
}
GROUPS = {
    "industry": "company",
    "location": "company",
    "company_size": "company",
    "required_terms": "company",
    "excluded_terms": "company",
    "persona": "person",
    "seniority": "person",
    "department": "person",
    "email": "email",
    "open_roles": "signals",
    "recent_posts": "signals",
}
SENIORITY_CREDIT = {
    "owner": 1.0,
    "c_level": 1.0,
    "vp": 0.9,
    "head": 0.8,
    "manager": 0.5,
    "staff": 0.2,
    "unknown": 0.1,
}
# How likely an address with this verdict reaches its owner. Invalid and disposable ones are
# never chosen; "role" reaches a shared inbox, not necessarily the person.
VERDICT_CREDIT = {
    "valid": 1.0,
    "accept_all": 0.6,
    "unknown": 0.35,
    "role": 0.3,
    "unverified": 0.2,
    "invalid": 0.0,
    "disposable": 0.0,
}
SENDABLE_VERDICTS = frozenset({"valid", "accept_all", "unknown", "role"})
# Unknown size or location: neither for nor against.
UNKNOWN_CREDIT = 0.5
# Posts younger than this are recent; up to a year old they earn half.
RECENT_POST_DAYS = 120
OPEN_ROLES_FOR_FULL_CREDIT = 3

# Facts whose text says what the company does.
_IDENTITY_KEYS = ("company.industry", "company.name", "company.legal_name", "company.description")


@dataclass(frozen=True)
class FactRef:
    """A stored fact as scoring sees it: id None for values typed in or imported without one."""

    key: str
    value: Any
    id: int | None = None
    source_url: str = ""

    @property
    def text(self) -> str:
        value = self.value
        if isinstance(value, dict):
            return " ".join(str(v) for k, v in value.items() if k != "url" and v)
        if isinstance(value, list | tuple):
            return " ".join(str(v) for v in value)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class CompanyProfile:
    domain: str
    # company.* and signal.* facts.
    facts: tuple[FactRef, ...] = ()


@dataclass(frozen=True)
class PersonProfile:
    name: str
    title: str = ""
    canonical_title: str = ""
    seniority: str = "unknown"
    department: str = "other"
    # The person.title fact the title came from.
    title_fact: FactRef | None = None

    @property
    def title_info(self) -> TitleInfo:
        return TitleInfo(self.title, self.canonical_title, self.seniority, self.department, "")


@dataclass(frozen=True)
class AddressProfile:
    address: str
    origin: str  # found, imported, guessed, referral
    confidence: float = 1.0
    verdict: str = "unverified"
    verdict_confidence: float = 0.0
    pattern: str = ""
    source_url: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Factor:
    factor: str
    weight: float
    credit: float
    value: str
    fact_id: int | None = None
    source_url: str = ""

    @property
    def group(self) -> str:
        return GROUPS[self.factor]

    @property
    def points(self) -> float:
        return round(100 * self.weight * self.credit, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "group": self.group,
            "weight": self.weight,
            "value": self.value,
            "credit": self.credit,
            "points": self.points,
            "fact_id": self.fact_id,
            "source_url": self.source_url,
        }


@dataclass(frozen=True)
class LeadScore:
    score: float
    factors: tuple[Factor, ...]
    persona_fits: bool
    # Why the company is out despite its score ("mentions the excluded term 'franchise'"), or "".
    disqualified: str = ""

    def explanation(self) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self.factors]


@dataclass(frozen=True)
class _Raw:
    factor: str
    credit: float
    value: str
    fact: FactRef | None = None
    source_url: str = ""


@dataclass
class IcpReader:
    """An ICP read once for scoring many leads."""

    icp: ICP
    evidence: IcpEvidence = field(init=False)

    def __post_init__(self) -> None:
        self.icp = with_description_read(self.icp)
        self.evidence = icp_evidence(self.icp)


def score_lead(
    icp: ICP | IcpReader,
    company: CompanyProfile,
    person: PersonProfile,
    address: AddressProfile | None,
    today: date,
) -> LeadScore:
    reader = icp if isinstance(icp, IcpReader) else IcpReader(icp)
    raw: list[_Raw] = []
    raw += _company_factors(reader, company)
    fits, persona_factors = _person_factors(reader.icp, person)
    raw += persona_factors
    raw.append(_email_factor(address))
    raw += _signal_factors(company, today)

    total = sum(WEIGHTS[r.factor] for r in raw)
    factors = tuple(
        Factor(
            r.factor,
            round(WEIGHTS[r.factor] / total, 4),
            round(r.credit, 3),
            r.value,
            r.fact.id if r.fact else None,
            (r.fact.source_url if r.fact else "") or r.source_url,
        )
        for r in raw
    )
    score = round(100 * sum(f.weight * f.credit for f in factors), 1)
    return LeadScore(score, factors, fits, _disqualified(reader, company))


def pick_address(
    addresses: Iterable[AddressProfile], suppressed: Collection[str] = frozenset()
) -> AddressProfile | None:
    """The person's most promising address: never an invalid, disposable or suppressed one
    (`suppressed` holds lower-case addresses and domains)."""
    usable = [
        a
        for a in addresses
        if a.verdict not in ("invalid", "disposable")
        and a.address.lower() not in suppressed
        and a.address.rpartition("@")[2].lower() not in suppressed
    ]
    if not usable:
        return None
    return max(usable, key=lambda a: (_email_credit(a), a.origin != "guessed", a.confidence))


def is_sendable(address: AddressProfile | None) -> bool:
    return address is not None and address.verdict in SENDABLE_VERDICTS


# ---------------------------------------------------------------------------------------------
# Company


def _company_factors(reader: IcpReader, company: CompanyProfile) -> list[_Raw]:
    icp, evidence = reader.icp, reader.evidence
    facts = company.facts
    raw = []
    if evidence.industry is not None:
        raw.append(_industry(evidence.industry, facts))
    if icp.locations:
        raw.append(_location(icp, facts))
    size = icp.company_size
    if size.min_employees is not None or size.max_employees is not None:
        raw.append(_size(size.min_employees, size.max_employees, facts))
    if evidence.required:
        raw.append(_required(evidence.required, facts))
    if evidence.excluded:
        raw.append(_excluded(evidence.excluded, facts))
    return raw


def _industry(pattern: re.Pattern[str], facts: Sequence[FactRef]) -> _Raw:
    for key in _IDENTITY_KEYS:
        for fact in _with_key(facts, key):
            match = pattern.search(fact.text)
            if match:
                return _Raw("industry", 1.0, f"'{match[0].strip()}' in {key}", fact)
    return _Raw("industry", 0.0, "no industry term or keyword in the name or description")


def _location(icp: ICP, facts: Sequence[FactRef]) -> _Raw:
    country = next(iter(_with_key(facts, "company.country")), None)
    places = [*_with_key(facts, "company.city"), *_with_key(facts, "company.address")]
    # The city's or address's own words first: they name a wanted city or region exactly.
    for location in icp.locations:
        if location.kind == "country":
            continue
        spellings = place_of(location).spellings
        for fact in places:
            text = fact.text.casefold()
            if any(re.search(rf"\b{re.escape(s.casefold())}\b", text) for s in spellings):
                return _Raw("location", 1.0, f"{location.name} ({fact.key})", fact)
    code, fact = _country_of(country, places)
    if code is None:
        return _Raw("location", UNKNOWN_CREDIT, "not published")
    wanted = {loc.country_code for loc in icp.locations if loc.kind == "country"}
    if code in wanted:
        return _Raw("location", 1.0, f"{code} ({fact.key})", fact)
    if code in {loc.country_code for loc in icp.locations}:
        return _Raw("location", 0.5, f"{code}, not the wanted city or region ({fact.key})", fact)
    return _Raw("location", 0.0, f"{code}, outside the wanted locations ({fact.key})", fact)


def _country_of(
    country: FactRef | None, places: list[FactRef]
) -> tuple[str | None, FactRef | None]:
    if country is not None and isinstance(country.value, str) and len(country.value) == 2:
        return country.value.upper(), country
    for fact in places:
        if isinstance(fact.value, dict) and fact.value.get("country"):
            return str(fact.value["country"]).upper()[:2], fact
        city = fact.value.get("city") if isinstance(fact.value, dict) else fact.value
        found = resolve_location(city) if isinstance(city, str) else ()
        if len(found) == 1:
            return found[0].country_code, fact
    return None, None


def _size(low: int | None, high: int | None, facts: Sequence[FactRef]) -> _Raw:
    wanted = f"{low or 0}–{high}" if high is not None else f"{low}+"
    for fact in _with_key(facts, "company.size"):
        employees = fact.value.get("employees") if isinstance(fact.value, dict) else None
        if not isinstance(employees, int):
            continue
        said = f"{employees} employees (wanted {wanted})"
        if (low is None or employees >= low) and (high is None or employees <= high):
            return _Raw("company_size", 1.0, said, fact)
        # Near the range counts for a little: published head counts are rough.
        near = (low is None or employees >= low / 2) and (high is None or employees <= high * 2)
        return _Raw("company_size", 0.3 if near else 0.0, said, fact)
    return _Raw("company_size", UNKNOWN_CREDIT, f"not published (wanted {wanted})")


def _required(required, facts: Sequence[FactRef]) -> _Raw:
    present: list[tuple[str, FactRef]] = []
    for term, pattern in required:
        fact = next((f for f in _texts(facts) if pattern.search(f.text)), None)
        if fact is not None:
            present.append((term, fact))
    if not present:
        return _Raw("required_terms", 0.0, "none of " + ", ".join(t for t, _ in required))
    value = ", ".join(term for term, _ in present) + f" of {len(required)}"
    return _Raw("required_terms", len(present) / len(required), value, present[0][1])


def _excluded(excluded, facts: Sequence[FactRef]) -> _Raw:
    hit = _excluded_hit(excluded, facts)
    if hit is None:
        return _Raw("excluded_terms", 1.0, "none mentioned")
    term, fact = hit
    return _Raw("excluded_terms", 0.0, f"mentions '{term}' ({fact.key})", fact)


def _excluded_hit(excluded, facts: Sequence[FactRef]) -> tuple[str, FactRef] | None:
    for term, pattern in excluded:
        for fact in _texts(facts):
            if pattern.search(fact.text):
                return term, fact
    return None


def _disqualified(reader: IcpReader, company: CompanyProfile) -> str:
    if company.domain.lower() in reader.icp.excluded_domains:
        return f"{company.domain} is excluded by the ICP"
    hit = _excluded_hit(reader.evidence.excluded, company.facts)
    if hit is not None:
        return f"mentions the excluded term '{hit[0]}' ({hit[1].source_url or hit[1].key})"
    return ""


def _texts(facts: Sequence[FactRef]) -> list[FactRef]:
    """Facts with words about the company: identity, address and signals."""
    return [
        f
        for f in facts
        if f.key in _IDENTITY_KEYS or f.key.startswith("signal.") or f.key == "company.address"
    ]


def _with_key(facts: Sequence[FactRef], key: str) -> list[FactRef]:
    return [f for f in facts if f.key == key]


# ---------------------------------------------------------------------------------------------
# Person


def _person_factors(icp: ICP, person: PersonProfile) -> tuple[bool, list[_Raw]]:
    title = person.title_info
    fact = person.title_fact
    said = person.title or "no title"
    fits, reason = match_persona(title, icp.personas)
    raw = [_Raw("persona", 1.0 if fits else 0.0, reason, fact)]
    raw.append(
        _Raw(
            "seniority",
            SENIORITY_CREDIT.get(person.seniority, 0.1),
            f"{person.seniority} ({said})",
            fact,
        )
    )
    raw.append(_department(icp, title, said, fact))
    return fits, raw


def _department(icp: ICP, title: TitleInfo, said: str, fact: FactRef | None) -> _Raw:
    wanted: set[str] = set()
    for spec in icp.personas:
        persona = parse_persona(spec)
        if not persona.departments:
            return _Raw("department", 1.0, f"{title.department} (any department wanted)", fact)
        wanted |= persona.departments
    if not wanted or title.department in wanted:
        return _Raw("department", 1.0, f"{title.department} ({said})", fact)
    if title.department == "other" and title.seniority in ("owner", "c_level"):
        # A managing director decides for every department, without owning one.
        return _Raw("department", 0.7, f"general management ({said})", fact)
    return _Raw(
        "department", 0.0, f"{title.department}, not {', '.join(sorted(wanted))} ({said})", fact
    )


# ---------------------------------------------------------------------------------------------
# Email


def _email_credit(address: AddressProfile) -> float:
    credit = VERDICT_CREDIT.get(address.verdict, 0.0)
    # A mailbox the server confirmed is the right one, whoever wrote the address down; short
    # of that, a guess is only as good as its pattern.
    if address.origin == "guessed" and address.verdict != "valid":
        credit *= max(0.0, min(1.0, address.confidence))
    return credit


def _email_factor(address: AddressProfile | None) -> _Raw:
    if address is None:
        return _Raw("email", 0.0, "no usable address")
    if address.origin == "guessed":
        how = f"guessed from the pattern {address.pattern or '?'} ({address.confidence:.2f})"
    else:
        how = address.origin
    value = f"{address.address}: {address.verdict}, {how}"
    return _Raw("email", _email_credit(address), value, source_url=address.source_url)


# ---------------------------------------------------------------------------------------------
# Signals


def _signal_factors(company: CompanyProfile, today: date) -> list[_Raw]:
    roles = _with_key(company.facts, "signal.open_role")
    if roles:
        first = roles[0]
        title = first.value.get("title", "") if isinstance(first.value, dict) else first.text
        value = f"{len(roles)} open role{'s' if len(roles) > 1 else ''}, e.g. '{title}'"
        credit = min(1.0, len(roles) / OPEN_ROLES_FOR_FULL_CREDIT)
        open_roles = _Raw("open_roles", credit, value, first)
    else:
        open_roles = _Raw("open_roles", 0.0, "none found")

    dated = [(d, f) for f in _with_key(company.facts, "signal.post") if (d := _post_date(f))]
    dated = [(d, f) for d, f in dated if d <= today]
    if dated:
        when, post = max(dated, key=lambda pair: pair[0])
        age = (today - when).days
        credit = 1.0 if age <= RECENT_POST_DAYS else 0.5 if age <= 365 else 0.0
        title = post.value.get("title", "") if isinstance(post.value, dict) else ""
        recent = _Raw("recent_posts", credit, f"'{title}' ({when.isoformat()}, {age} days)", post)
    else:
        recent = _Raw("recent_posts", 0.0, "no dated post found")
    return [open_roles, recent]


def _post_date(fact: FactRef) -> date | None:
    if not isinstance(fact.value, dict):
        return None
    try:
        return date.fromisoformat(str(fact.value.get("date", ""))[:10])
    except ValueError:
        return None
