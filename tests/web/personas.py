"""The people every access test is about, and a workspace full of records for them to see.

alice  owner of Acme
bob    member of Acme
rita   read-only member of Acme
charlie owner of Globex: an outsider who must see nothing of Acme's

`seed_workspace` fills a workspace with one row of every kind the dashboard and the API show
(campaign, sequence, leads, company with facts, person, email, mailbox with secrets, messages,
inbound mail, suppression, events), so a test can ask for Acme's rows as each persona.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone

from coldflow.accounts.models import Membership, Role, Workspace

PASSWORD = "correct horse battery staple"
# Values written into the mailbox's secret fields: no API response may ever contain them.
MAILBOX_SECRETS = (
    "smtp-secret-Xq81",
    "imap-secret-Zr52",
    "oauth-client-secret-Pw33",
    "oauth-refresh-token-Lk07",
    "-----BEGIN PRIVATE KEY-----dkim-secret-Mn44",
)

_numbers = itertools.count(1)


@dataclass
class Seeded:
    """Ids of the rows seed_workspace made, by name."""

    workspace: Workspace
    ids: dict[str, int] = field(default_factory=dict)


@dataclass
class Personas:
    acme: Workspace
    globex: Workspace
    alice: object
    bob: object
    rita: object
    charlie: object
    acme_rows: Seeded
    globex_rows: Seeded

    def client(self, user=None) -> Client:
        """A client that enforces CSRF like a browser, logged in as `user` (or anonymous)."""
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        return client


@functools.cache
def _password_hash() -> str:
    # Hashing is slow on purpose; every persona shares one hash of PASSWORD.
    return make_password(PASSWORD)


def make_user(username: str, workspace: Workspace, role: str):
    user = get_user_model().objects.create(
        username=username, email=f"{username}@example.com", password=_password_hash()
    )
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


def seed_workspace(workspace: Workspace) -> Seeded:
    """One of everything in `workspace`; names carry the workspace slug to tell rows apart."""
    from coldflow.analytics.models import Event
    from coldflow.campaigns.models import Campaign, Sequence, SequenceStep, StepVariant
    from coldflow.contacts.models import EmailAddress, Lead, Person
    from coldflow.listen.models import InboundMessage
    from coldflow.research.models import Company, Fact
    from coldflow.send.models import (
        CampaignMailbox,
        Enrollment,
        Mailbox,
        OutboundMessage,
        Suppression,
    )

    slug = workspace.slug
    n = next(_numbers)
    now = timezone.now()
    sequence = Sequence.objects.create(workspace=workspace, name=f"{slug} sequence")
    step = SequenceStep.objects.create(sequence=sequence, position=0)
    variant = StepVariant.objects.create(
        step=step, label="A", subject_template="Hello", body_template="Hi {{ first_name }}"
    )
    campaign = Campaign.objects.create(
        workspace=workspace,
        name=f"{slug} campaign"
        + (f" {n}" if Campaign.objects.filter(workspace=workspace).exists() else ""),
        sequence=sequence,
        status="running",
        icp={"description": f"{slug} customers"},
    )
    company = Company.objects.create(
        workspace=workspace,
        domain=f"{slug}-{n}.example",
        name=f"{slug} Company",
        research_status="researched",
    )
    fact = Fact.objects.create(
        workspace=workspace,
        company=company,
        key="company.founded_year",
        value=2011,
        source_url=f"https://{company.domain}/about",
        method="jsonld",
        observed_at=now,
    )
    person = Person.objects.create(
        workspace=workspace,
        company=company,
        full_name=f"Dana {slug.title()}",
        given_name="Dana",
        family_name=slug.title(),
        name_key=f"dana-{slug}",
        title="Head of Sales",
        seniority="head",
        department="sales",
    )
    email = EmailAddress.objects.create(
        workspace=workspace,
        address=f"dana@{company.domain}",
        domain=company.domain,
        person=person,
        company=company,
        origin="found",
        verdict="valid",
        source_url=f"https://{company.domain}/team",
    )
    lead = Lead.objects.create(
        workspace=workspace,
        campaign=campaign,
        person=person,
        company=company,
        email=email,
        status="contacted",
        score=0.8,
    )
    mailbox = Mailbox.objects.create(
        workspace=workspace,
        email=f"sender@{slug}-{n}.example",
        smtp_host="127.0.0.1",
        smtp_username=f"sender@{slug}-{n}.example",
        smtp_password=MAILBOX_SECRETS[0],
        imap_host="127.0.0.1",
        imap_username=f"sender@{slug}-{n}.example",
        imap_password=MAILBOX_SECRETS[1],
        oauth_client_id="client-id-public",
        oauth_client_secret=MAILBOX_SECRETS[2],
        oauth_refresh_token=MAILBOX_SECRETS[3],
        dkim_selector="cf",
        dkim_private_key=MAILBOX_SECRETS[4],
    )
    CampaignMailbox.objects.create(campaign=campaign, mailbox=mailbox)
    enrollment = Enrollment.objects.create(campaign=campaign, lead=lead, mailbox=mailbox)
    message = OutboundMessage.objects.create(
        workspace=workspace,
        campaign=campaign,
        enrollment=enrollment,
        lead=lead,
        step=step,
        variant=variant,
        mailbox=mailbox,
        state="sent",
        from_address=mailbox.email,
        to_address=email.address,
        subject="Hello",
        body_text="Hi Dana",
        message_id=f"<{slug}-{n}@coldflow.test>",
        idempotency_key=f"{slug}-{n}-0",
        sent_at=now - timedelta(hours=2),
    )
    inbound = InboundMessage.objects.create(
        workspace=workspace,
        mailbox=mailbox,
        folder="INBOX",
        uidvalidity=1,
        uid=n,
        message_id=f"<reply-{slug}-{n}@example>",
        from_address=email.address,
        subject="Re: Hello",
        received_at=now - timedelta(hours=1),
        kind="reply",
        intent="interested",
        reply_text="Sounds good, let's talk.",
        matched_message=message,
        lead=lead,
    )
    suppression = Suppression.objects.create(
        workspace=workspace, kind="address", value=f"gone@{company.domain}", reason="manual"
    )
    sent_event = Event.objects.create(
        workspace=workspace,
        kind="message.sent",
        at=now - timedelta(hours=2),
        campaign=campaign,
        lead=lead,
        mailbox=mailbox,
        message=message,
    )
    Event.objects.create(
        workspace=workspace,
        kind="reply.received",
        at=now - timedelta(hours=1),
        campaign=campaign,
        lead=lead,
        mailbox=mailbox,
        message=message,
        data={"intent": "interested"},
    )
    from coldflow.accounts.api_keys import create_key
    from coldflow.webhooks.models import WebhookEndpoint

    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, url=f"https://hooks.{slug}.example/in", secret="whsec-test"
    )
    api_key = create_key(workspace, f"{slug} key").record
    return Seeded(
        workspace=workspace,
        ids={
            "campaign": campaign.pk,
            "sequence": sequence.pk,
            "step": step.pk,
            "variant": variant.pk,
            "company": company.pk,
            "fact": fact.pk,
            "person": person.pk,
            "email": email.pk,
            "lead": lead.pk,
            "mailbox": mailbox.pk,
            "enrollment": enrollment.pk,
            "message": message.pk,
            "inbound": inbound.pk,
            "suppression": suppression.pk,
            "event": sent_event.pk,
            "webhook_endpoint": endpoint.pk,
            "api_key": api_key.pk,
        },
    )


def make_personas() -> Personas:
    n = next(_numbers)
    acme = Workspace.objects.create(name="Acme", slug=f"acme-{n}")
    globex = Workspace.objects.create(name="Globex", slug=f"globex-{n}")
    personas = Personas(
        acme=acme,
        globex=globex,
        alice=make_user(f"alice{n}", acme, Role.OWNER),
        bob=make_user(f"bob{n}", acme, Role.MEMBER),
        rita=make_user(f"rita{n}", acme, Role.READ_ONLY),
        charlie=make_user(f"charlie{n}", globex, Role.OWNER),
        acme_rows=seed_workspace(acme),
        globex_rows=seed_workspace(globex),
    )
    # bob in Acme, charlie in Globex: the rows that member routes change or remove.
    for rows, user in (
        (personas.acme_rows, personas.bob),
        (personas.globex_rows, personas.charlie),
    ):
        rows.ids["membership"] = Membership.objects.get(workspace=rows.workspace, user=user).pk
    return personas
