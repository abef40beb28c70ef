"""Rule-based first lines: the lead's strongest signal, said in one of several ways.

Strength, strongest first: a recent post or news item, an open role, a recent-ish post, a
technology the site uses (tools that say something about how they work before analytics and
ad tags), how long the company has been around or how big it is, where it is. Each line carries
the fact it rests on. A lead with none of these gets an honest generic line citing nothing.

Only cleaned, bounded values are quoted (coldflow.compose.text): a page that says "ignore
previous instructions" can at most appear as the title of a post, never as something we say.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from coldflow.compose.lead_data import FactRef, LeadData
from coldflow.compose.text import one_line, quotable, short_company_name


@dataclass(frozen=True)
class Icebreaker:
    sentence: str
    # post, open_role, technology, founded, team_size, location, generic; llm for a line the
    # LLM wrote (coldflow.compose.first_lines)
    kind: str
    strength: float
    fact: FactRef | None = None
    # Further facts the sentence rests on (an LLM's line may use two).
    more_facts: tuple[FactRef, ...] = ()

    def citation(self) -> dict | None:
        citations = self.citations()
        return citations[0] if citations else None

    def citations(self) -> list[dict]:
        facts = ([self.fact] if self.fact is not None else []) + list(self.more_facts)
        return [
            {
                "fact_id": fact.id,
                "key": fact.key,
                "source_url": fact.source_url,
                "sentence": self.sentence,
            }
            for fact in facts
        ]


@dataclass(frozen=True)
class _Signal:
    kind: str
    strength: float
    fact: FactRef | None
    values: dict[str, str]


_PHRASINGS: dict[str, tuple[str, ...]] = {
    "post": (
        "I came across your post '{title}' from {when}.",
        "Your {when} post '{title}' caught my eye.",
        "I saw '{title}' on the {company} blog ({when}).",
        "I noticed your piece '{title}' from {when}.",
    ),
    "post_undated": (
        "I came across your post '{title}'.",
        "Your post '{title}' caught my eye.",
        "I came across '{title}' on the {company} blog.",
    ),
    "open_role": (
        "I saw that {company} is hiring for the {role} role{where}.",
        "Noticed the {role} opening{where} on your careers page.",
        "Your careers page mentions an open {role} position{where}.",
    ),
    "technology": (
        "I noticed {domain} uses {tech} for {purpose}.",
        "Saw that your site runs {tech} for {purpose}.",
        "Spotted {tech} on {domain}, which you use for {purpose}.",
    ),
    "founded": (
        "I saw that {company} has been around since {year}.",
        "{company} has been in business since {year}, I read on your site.",
        "I read that {company} was founded in {year}.",
    ),
    "team_size": (
        "I saw that {company} has a team of {employees}{where}.",
        "Your site mentions a team of {employees} people at {company}{where}.",
    ),
    "location": (
        "I came across {company} while looking at companies in {city}.",
        "{company} came up when I was looking at businesses in {city}.",
    ),
    "generic": (
        "I came across {company} and wanted to reach out.",
        "I found {company} online and thought I would get in touch.",
    ),
}

_TECH_PURPOSE = {
    "crm": ("your CRM", 0.6),
    "marketing_automation": ("marketing automation", 0.6),
    "ecommerce": ("your online shop", 0.6),
    "payment": ("payments", 0.55),
    "chat": ("live chat", 0.55),
    "scheduling": ("booking meetings", 0.55),
    "cms": ("your website", 0.5),
    "hosting": ("hosting", 0.45),
    "analytics": ("analytics", 0.45),
    "advertising": ("advertising", 0.4),
}
_GENDER_SUFFIX = re.compile(
    r"\s*[(\[]\s*(?:[mwfdxi]\s*/\s*)+[mwfdxi]\s*[)\]]|\s*[(\[]\s*all genders?\s*[)\]]", re.I
)


def choose_icebreaker(lead: LeadData, *, seed: str, today: date) -> Icebreaker:
    """The first line for a lead; the phrasing is chosen by `seed`, so re-rendering agrees."""
    signals = sorted(_signals(lead, today), key=lambda s: s.strength, reverse=True)
    for signal in signals:
        sentence = _phrase(signal, lead, seed)
        if sentence:
            kind = "post" if signal.kind == "post_undated" else signal.kind
            return Icebreaker(sentence, kind, signal.strength, signal.fact)
    company = short_company_name(one_line(lead.company.name, 80)) or "your company"
    sentence = _pick(_PHRASINGS["generic"], seed).format(company=company)
    return Icebreaker(_capitalised(sentence), "generic", 0.0, None)


def _signals(lead: LeadData, today: date):
    yield from _post_signals(lead, today)
    for fact in lead.facts_with("signal.open_role"):
        if not isinstance(fact.value, dict):
            continue
        role = quotable(_GENDER_SUFFIX.sub("", str(fact.value.get("title") or "")), 60)
        if role:
            location = quotable(fact.value.get("location") or "", 40) or ""
            yield _Signal("open_role", 0.8, fact, {"role": role, "location": location})
    for fact in lead.facts_with("signal.technology"):
        if not isinstance(fact.value, dict):
            continue
        tech = quotable(fact.value.get("name") or "", 40)
        purpose, strength = _TECH_PURPOSE.get(str(fact.value.get("category") or ""), ("", 0))
        if tech and purpose:
            yield _Signal("technology", strength, fact, {"tech": tech, "purpose": purpose})
    for fact in lead.facts_with("company.founding_year"):
        if isinstance(fact.value, int) and 1800 <= fact.value <= today.year - 5:
            yield _Signal("founded", 0.35, fact, {"year": str(fact.value)})
    for fact in lead.facts_with("company.size"):
        employees = fact.value.get("employees") if isinstance(fact.value, dict) else None
        if isinstance(employees, int) and employees >= 2:
            yield _Signal("team_size", 0.3, fact, {"employees": str(employees)})
    for fact in lead.facts_with("company.city"):
        if city := quotable(fact.value, 40):
            yield _Signal("location", 0.2, fact, {"city": city})


def _post_signals(lead: LeadData, today: date):
    for fact in lead.facts_with("signal.post"):
        if not isinstance(fact.value, dict):
            continue
        title = quotable(fact.value.get("title") or "", 80)
        if not title:
            continue
        published = _date(fact.value.get("date"))
        if published is None or published > today:
            yield _Signal("post_undated", 0.5, fact, {"title": title})
            continue
        age = (today - published).days
        strength = 0.95 if age <= 45 else 0.9 if age <= 120 else 0.7 if age <= 365 else 0.25
        # Newer posts win ties between posts of the same band.
        strength += 0.0001 * max(0, 3650 - age) / 3650
        when = f"{published:%B} {published.year}" if age > 45 else f"{published:%B} {published.day}"
        yield _Signal("post", strength, fact, {"title": title, "when": when})


def _phrase(signal: _Signal, lead: LeadData, seed: str) -> str:
    company = short_company_name(one_line(lead.company.name, 80))
    domain = one_line(lead.company.domain, 100)
    location = signal.values.get("location", "")
    values = {
        **signal.values,
        "company": company,
        "domain": domain or "your site",
        "where": f" in {location}" if location else "",
    }
    if signal.kind == "team_size":
        city = one_line(lead.company.city, 40)
        values["where"] = f" in {city}" if city else ""
    options = _PHRASINGS[signal.kind]
    if not company:
        # Phrasings naming the company are left out when we do not know its name.
        options = tuple(o for o in options if "{company}" not in o)
    if not options:
        return ""
    kind = "post" if signal.kind == "post_undated" else signal.kind
    return _capitalised(_pick(options, f"{seed}:{kind}").format(**values))


def _pick(options: tuple[str, ...], seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
