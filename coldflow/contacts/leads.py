"""A campaign's leads: the researched people who fit its ICP's personas, scored and explained.

`build_leads` is idempotent: one lead per campaign and person, updated in place. It manages the
leads that have not been contacted yet (new, ready, disqualified): their address, status, score
and explanation follow what is known now, and one whose person no longer fits a persona is
removed. Leads further along (enrolled, contacted, replied…) keep their status and address; only
their score and explanation are refreshed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coldflow.campaigns.models import Campaign
from coldflow.contacts.models import EmailAddress, Lead, LeadStatus, Person
from coldflow.contacts.scoring import (
    AddressProfile,
    CompanyProfile,
    FactRef,
    IcpReader,
    PersonProfile,
    is_sendable,
    pick_address,
    score_lead,
)
from coldflow.discover.icp import icp_from_mapping
from coldflow.research.models import Company, Fact, ResearchStatus
from coldflow.send.models import Suppression

# The statuses build_leads decides; a lead in any other has been acted on.
MANAGED_STATUSES = (LeadStatus.NEW, LeadStatus.READY, LeadStatus.DISQUALIFIED)


@dataclass
class LeadsReport:
    people: int = 0
    matching: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    statuses: Counter = field(default_factory=Counter)

    @property
    def leads(self) -> int:
        return sum(self.statuses.values())


def build_leads(campaign: Campaign, company_ids: Iterable[int] | None = None) -> LeadsReport:
    """Create or update the campaign's leads from the workspace's researched companies (only
    those in `company_ids` when given: the orchestrator builds them company by company)."""
    reader = IcpReader(icp_from_mapping(campaign.icp or {}))
    today = timezone.now().date()
    report = LeadsReport()
    companies = Company.objects.filter(
        workspace=campaign.workspace, research_status=ResearchStatus.RESEARCHED
    ).order_by("id")
    if company_ids is not None:
        companies = companies.filter(id__in=list(company_ids))
    for company in companies.iterator():
        _company_leads(campaign, company, reader, today, report)
    return report


@transaction.atomic
def _company_leads(campaign, company, reader, today, report: LeadsReport) -> None:
    facts = list(
        Fact.objects.filter(company=company)
        .filter(
            Q(key__startswith="company.") | Q(key__startswith="signal.") | Q(key="person.title")
        )
        .order_by("id")
    )
    profile = CompanyProfile(
        company.domain,
        tuple(_ref(f) for f in facts if f.person_id is None and f.key != "person.title"),
    )
    titles = {}
    for fact in facts:
        if fact.key == "person.title" and fact.person_id is not None:
            titles.setdefault(fact.person_id, _ref(fact))
    people = list(Person.objects.filter(company=company).order_by("id"))
    addresses: dict[int, list[AddressProfile]] = {}
    for email in EmailAddress.objects.filter(person__in=people).order_by("id"):
        addresses.setdefault(email.person_id, []).append(_address(email))
    suppressed = _suppressed(campaign.workspace, company, addresses)
    existing = {
        lead.person_id: lead
        for lead in Lead.objects.filter(campaign=campaign, company=company).select_related("email")
    }

    for person in people:
        report.people += 1
        chosen = pick_address(addresses.get(person.id, ()), suppressed)
        scored = score_lead(reader, profile, _person(person, titles.get(person.id)), chosen, today)
        lead = existing.get(person.id)
        if not scored.persona_fits:
            if lead is not None and lead.status in MANAGED_STATUSES:
                lead.delete()
                report.removed += 1
            elif lead is not None:
                report.statuses[lead.status] += 1
            continue
        report.matching += 1
        explanation = scored.explanation()
        if scored.disqualified:
            explanation.append(
                {
                    "factor": "disqualified",
                    "group": "company",
                    "weight": 0,
                    "value": scored.disqualified,
                    "credit": 0,
                    "points": 0,
                    "fact_id": None,
                    "source_url": "",
                }
            )
            status = LeadStatus.DISQUALIFIED
        else:
            status = LeadStatus.READY if is_sendable(chosen) else LeadStatus.NEW
        values = {"score": scored.score, "score_explanation": explanation}
        if lead is None or lead.status in MANAGED_STATUSES:
            values |= {"status": status, "email_id": chosen.id if chosen else None}
        if lead is None:
            lead = Lead.objects.create(
                workspace=campaign.workspace,
                campaign=campaign,
                person=person,
                company=company,
                **values,
            )
            report.created += 1
        elif any(getattr(lead, name) != value for name, value in values.items()) or (
            # The company's or person's name may have changed since (research renames).
            _with(lead, person, company).search_text != lead.current_search_text()
        ):
            for name, value in values.items():
                setattr(lead, name, value)
            lead.save()
            report.updated += 1
        else:
            report.unchanged += 1
        report.statuses[lead.status] += 1


def _with(lead: Lead, person: Person, company) -> Lead:
    """`lead` holding the already-loaded person and company (so reading them costs nothing)."""
    lead.person, lead.company = person, company
    return lead


def _suppressed(workspace, company, addresses: dict[int, list[AddressProfile]]) -> set[str]:
    values = {company.domain.lower()}
    for found in addresses.values():
        for address in found:
            values.add(address.address.lower())
            values.add(address.address.rpartition("@")[2].lower())
    return set(
        Suppression.objects.filter(workspace=workspace, value__in=values).values_list(
            "value", flat=True
        )
    )


def _ref(fact: Fact) -> FactRef:
    return FactRef(fact.key, fact.value, fact.id, fact.source_url)


def _person(person: Person, title_fact: FactRef | None) -> PersonProfile:
    return PersonProfile(
        person.full_name,
        person.title,
        person.normalised_title,
        person.seniority,
        person.department,
        title_fact,
    )


def _address(email: EmailAddress) -> AddressProfile:
    return AddressProfile(
        email.address,
        email.origin,
        email.confidence,
        email.verdict,
        email.verdict_confidence,
        email.pattern,
        email.source_url,
        email.id,
    )
