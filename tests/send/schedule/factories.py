"""A campaign ready to dispatch: sequence, mailboxes, leads with approved drafts.

Used by the database tests in-process and, through `Instance.python`, in worker processes.
"""

from __future__ import annotations

import uuid
from datetime import time

from coldflow.accounts.models import Workspace
from coldflow.campaigns.models import Campaign, Sequence, SequenceStep, StepVariant
from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.research.models import Company
from coldflow.send.models import CampaignMailbox, Mailbox, OutboundMessage


def make_campaign(
    *,
    name: str = "Spring",
    leads: int = 3,
    mailboxes: int = 1,
    delays: tuple[int, ...] = (0, 2),
    domains: int | None = None,
    country: str = "DE",
    city: str = "Berlin",
    daily_cap: int = 30,
    min_gap: int = 0,
    max_gap: int = 0,
    status: str = "running",
    **campaign_fields,
) -> Campaign:
    workspace, _ = Workspace.objects.get_or_create(slug="acme", defaults={"name": "Acme"})
    sequence = Sequence.objects.create(workspace=workspace, name=f"{name} sequence")
    for position, delay in enumerate(delays):
        step = SequenceStep.objects.create(
            sequence=sequence, position=position, delay_business_days=delay
        )
        StepVariant.objects.create(step=step, subject_template="Hello", body_template="Hi")
    campaign_fields.setdefault("timezone", "Europe/Berlin")
    campaign_fields.setdefault("window_start", time(9))
    campaign_fields.setdefault("window_end", time(17))
    campaign = Campaign.objects.create(
        workspace=workspace, name=name, sequence=sequence, status=status, **campaign_fields
    )
    for index in range(mailboxes):
        mailbox = Mailbox.objects.create(
            workspace=workspace,
            email=f"sender{index}-{uuid.uuid4().hex[:6]}@acme.test",
            display_name=f"Sender {index}",
            smtp_host="127.0.0.1",
            smtp_username="sender",
            daily_cap=daily_cap,
            ramp_start=daily_cap,
            ramp_step=0,
            min_gap_seconds=min_gap,
            max_gap_seconds=max_gap,
            timezone="Europe/Berlin",
        )
        CampaignMailbox.objects.create(campaign=campaign, mailbox=mailbox)
    for index in range(leads):
        add_lead(campaign, index, domain_count=domains or leads, country=country, city=city)
    return campaign


def add_lead(
    campaign: Campaign,
    index: int,
    *,
    domain_count: int = 1000,
    country: str = "DE",
    city: str = "Berlin",
    drafts: tuple[int, ...] | None = None,
) -> Lead:
    """A READY lead with an approved draft for each step (or only the positions in `drafts`)."""
    workspace = campaign.workspace
    domain = f"prospect{index % domain_count}.test"
    company, _ = Company.objects.get_or_create(
        workspace=workspace, domain=domain, defaults={"country": country, "city": city}
    )
    person = Person.objects.create(
        workspace=workspace,
        company=company,
        full_name=f"Person {index}",
        name_key=f"person-{campaign.pk}-{index}",
    )
    address = f"person{index}.{campaign.pk}@{domain}"
    email = EmailAddress.objects.create(
        workspace=workspace, address=address, domain=domain, person=person, origin="found"
    )
    lead = Lead.objects.create(
        workspace=workspace,
        campaign=campaign,
        person=person,
        company=company,
        email=email,
        status="ready",
    )
    for step in campaign.sequence.steps.all():
        if drafts is not None and step.position not in drafts:
            continue
        add_draft(lead, step)
    return lead


def add_draft(lead: Lead, step: SequenceStep, state: str = "approved") -> OutboundMessage:
    return OutboundMessage.objects.create(
        workspace=lead.workspace,
        campaign=lead.campaign,
        lead=lead,
        step=step,
        state=state,
        to_address=lead.email.address,
        subject=f"Idea for {lead.company.domain}" if step.position == 0 else "Following up",
        body_text="Hello",
        message_id=f"<{uuid.uuid4().hex}@coldflow.local>",
        idempotency_key=f"lead:{lead.pk}:step:{step.pk}",
    )
