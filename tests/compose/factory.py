"""Rows for compose tests, made directly through the ORM: a campaign with researched leads."""

from __future__ import annotations

import itertools

from django.utils import timezone

from coldflow.accounts.models import Workspace
from coldflow.campaigns.models import Campaign
from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.research.models import Company, Fact

_numbers = itertools.count(1)


def campaign(name: str = "demo", *, approval_required: bool = False) -> Campaign:
    number = next(_numbers)
    workspace = Workspace.objects.create(name=f"Workspace {number}", slug=f"ws-{number}")
    return Campaign.objects.create(
        workspace=workspace, name=name, approval_required=approval_required
    )


def company(campaign: Campaign, domain: str, *, name: str = "", city: str = "") -> Company:
    return Company.objects.create(
        workspace=campaign.workspace,
        domain=domain,
        name=name,
        city=city,
        research_status="researched",
    )


def fact(company: Company, key: str, value, *, url: str = "") -> Fact:
    return Fact.objects.create(
        workspace=company.workspace,
        company=company,
        key=key,
        value=value,
        source_url=url or f"http://{company.domain}/",
        method="test",
        observed_at=timezone.now(),
    )


def lead(
    campaign: Campaign, company: Company, given: str, family: str = "", *, status: str = "ready"
) -> Lead:
    number = next(_numbers)
    person = Person.objects.create(
        workspace=campaign.workspace,
        company=company,
        full_name=f"{given} {family}".strip(),
        given_name=given,
        family_name=family,
        name_key=f"{given}-{family}-{number}".lower(),
        title="Head of Operations",
    )
    email = EmailAddress.objects.create(
        workspace=campaign.workspace,
        address=f"{given.lower()}.{number}@{company.domain}",
        domain=company.domain,
        person=person,
        company=company,
        origin="found",
        verdict="valid",
    )
    return Lead.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        person=person,
        company=company,
        email=email,
        status=status,
        score=0.5,
    )
