"""What composing knows about one lead, as plain data, and the variables templates see.

Template variables (empty ones are left undefined, so `| default(...)` applies):

    first_name, last_name, full_name, title, email
    company_name (without its legal form: "Acme", not "Acme GmbH"), domain, city, country,
    industry
    icebreaker                       the first line chosen from the lead's strongest signal
    person.{first_name, last_name, full_name, title, seniority, department}
    company.{name, legal_name, domain, city, country, industry, founded_year, employees}
    signals.post.{title, date}       the most recent post or news item
    signals.open_role.{title, location}
    signals.technology.{name, category}

Every value is one cleaned, bounded line: scraped text cannot add paragraphs, links or markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coldflow.compose.text import one_line, quotable, short_company_name


@dataclass(frozen=True)
class FactRef:
    id: int
    key: str
    value: Any
    source_url: str
    observed_at: datetime | None = None


@dataclass(frozen=True)
class CompanyInfo:
    name: str = ""
    domain: str = ""
    city: str = ""
    country: str = ""
    industry: str = ""
    founded_year: int | None = None
    employees: int | None = None


@dataclass(frozen=True)
class LeadData:
    lead_id: int
    first_name: str = ""
    last_name: str = ""
    full_name: str = ""
    title: str = ""
    seniority: str = ""
    department: str = ""
    email: str = ""
    company: CompanyInfo = field(default_factory=CompanyInfo)
    # Facts about the lead's own company (and the person), newest research first.
    facts: tuple[FactRef, ...] = ()

    def facts_with(self, key: str) -> list[FactRef]:
        return [f for f in self.facts if f.key == key]


def signal_values(lead: LeadData) -> dict[str, tuple[dict[str, Any], FactRef]]:
    """The strongest usable fact of each signal kind, cleaned for templates."""
    found: dict[str, tuple[dict[str, Any], FactRef]] = {}
    posts = [f for f in lead.facts_with("signal.post") if isinstance(f.value, dict)]
    posts.sort(key=lambda f: str(f.value.get("date") or ""), reverse=True)
    for fact in posts:
        if title := quotable(fact.value.get("title", "")):
            found["post"] = ({"title": title, "date": str(fact.value.get("date") or "")}, fact)
            break
    for fact in lead.facts_with("signal.open_role"):
        if isinstance(fact.value, dict) and (title := quotable(fact.value.get("title", ""), 60)):
            location = quotable(fact.value.get("location") or "", 40) or ""
            found["open_role"] = ({"title": title, "location": location}, fact)
            break
    for fact in lead.facts_with("signal.technology"):
        if isinstance(fact.value, dict) and (name := quotable(fact.value.get("name", ""), 40)):
            category = one_line(fact.value.get("category") or "", 30)
            found["technology"] = ({"name": name, "category": category}, fact)
            break
    return found


def template_variables(
    lead: LeadData, *, icebreaker: str = ""
) -> tuple[dict[str, Any], dict[str, list[FactRef]]]:
    """The variables for rendering, and for each top-level name the facts it rests on."""
    company = lead.company
    person = {
        "first_name": one_line(lead.first_name, 60),
        "last_name": one_line(lead.last_name, 80),
        "full_name": one_line(lead.full_name, 120),
        "title": one_line(lead.title, 80),
        "seniority": lead.seniority,
        "department": lead.department,
    }
    company_vars = {
        "name": short_company_name(one_line(company.name, 80)),
        "legal_name": one_line(company.name, 80),
        "domain": one_line(company.domain, 100),
        "city": one_line(company.city, 60),
        "country": one_line(company.country, 60),
        "industry": one_line(company.industry, 60),
        "founded_year": company.founded_year,
        "employees": company.employees,
    }
    signals = signal_values(lead)
    variables: dict[str, Any] = {
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "full_name": person["full_name"],
        "title": person["title"],
        "email": one_line(lead.email, 320),
        "company_name": company_vars["name"],
        "domain": company_vars["domain"],
        "city": company_vars["city"],
        "country": company_vars["country"],
        "industry": company_vars["industry"],
        "icebreaker": icebreaker,
        "person": person,
        "company": company_vars,
        "signals": {kind: values for kind, (values, _) in signals.items()},
    }
    citations = {"signals": [fact for _, fact in signals.values()]}
    return variables, citations
