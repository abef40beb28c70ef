"""Rows that listen and send tests start from: a workspace with a running campaign whose
sequence has a subject and body in every step, and leads of that campaign."""

from __future__ import annotations

import itertools
import uuid

from coldflow.accounts.models import Workspace
from coldflow.campaigns.models import Campaign, Sequence, SequenceStep, StepVariant
from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.research.models import Company

_counter = itertools.count(1)


class CampaignWorld:
    def __init__(self, *, steps: int, delay_business_days: int, label: str) -> None:
        n = f"{next(_counter)}-{uuid.uuid4().hex[:6]}"
        self.workspace = Workspace.objects.create(name=f"{label} {n}", slug=f"{label.lower()}-{n}")
        sequence = Sequence.objects.create(workspace=self.workspace, name=f"{steps} steps")
        self.steps = [
            SequenceStep.objects.create(
                sequence=sequence, position=p, delay_business_days=delay_business_days
            )
            for p in range(steps)
        ]
        for step in self.steps:
            StepVariant.objects.create(step=step, subject_template="Hi", body_template="Hello")
        self.campaign = Campaign.objects.create(
            workspace=self.workspace, name="Spring", sequence=sequence, status="running"
        )

    def lead(self, address: str, *, status: str) -> Lead:
        """A lead of the campaign at `address`, with its person, company and address rows."""
        local, _, domain = address.partition("@")
        company, _ = Company.objects.get_or_create(workspace=self.workspace, domain=domain)
        person = Person.objects.create(
            workspace=self.workspace,
            company=company,
            full_name=local.title(),
            name_key=f"{local}-{uuid.uuid4().hex[:8]}",
        )
        email_row = EmailAddress.objects.create(
            workspace=self.workspace,
            address=address,
            domain=domain,
            person=person,
            company=company,
            origin="found",
        )
        return Lead.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            person=person,
            company=company,
            email=email_row,
            status=status,
        )
