"""Rows for send tests: a workspace, mailboxes, a running campaign and queued messages."""

from __future__ import annotations

import itertools
import uuid

from coldflow.accounts.models import Workspace
from coldflow.campaigns.models import Campaign, Sequence, SequenceStep, StepVariant
from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.research.models import Company
from coldflow.send.models import Enrollment, Mailbox, OutboundMessage

_counter = itertools.count(1)


class SendWorld:
    def __init__(self) -> None:
        n = f"{next(_counter)}-{uuid.uuid4().hex[:6]}"
        self.workspace = Workspace.objects.create(name=f"Send {n}", slug=f"send-{n}")
        sequence = Sequence.objects.create(workspace=self.workspace, name="Two steps")
        self.steps = [
            SequenceStep.objects.create(sequence=sequence, position=p, delay_business_days=2)
            for p in range(2)
        ]
        for step in self.steps:
            StepVariant.objects.create(step=step, subject_template="Hi", body_template="Hello")
        self.campaign = Campaign.objects.create(
            workspace=self.workspace, name="Spring", sequence=sequence, status="running"
        )

    def mailbox(
        self,
        email: str,
        *,
        host: str,
        port: int,
        username: str,
        password: str,
        imap_port: int | None = None,
        **fields,
    ) -> Mailbox:
        values = {
            "smtp_host": host,
            "smtp_port": port,
            "smtp_security": "plain",
            "smtp_username": username,
            "smtp_password": password,
            "imap_host": host if imap_port else "",
            "imap_port": imap_port or 993,
            "imap_security": "plain",
            "imap_username": username,
            "imap_password": password,
            "display_name": "Sam Seller",
            # Limits lifted: the tests of caps and gaps set their own.
            "daily_cap": 100_000,
            "ramp_start": 100_000,
            "min_gap_seconds": 0,
            "max_gap_seconds": 0,
        }
        values.update(fields)
        return Mailbox.objects.create(workspace=self.workspace, email=email, **values)

    def message(
        self,
        to: str,
        mailbox: Mailbox,
        *,
        step: int = 0,
        state: str = "queued",
        enrollment: Enrollment | None = None,
        **fields,
    ) -> OutboundMessage:
        if enrollment is None:
            local, _, domain = to.partition("@")
            company, _ = Company.objects.get_or_create(workspace=self.workspace, domain=domain)
            person = Person.objects.create(
                workspace=self.workspace,
                company=company,
                full_name=local.title(),
                name_key=f"{local}-{uuid.uuid4().hex[:8]}",
            )
            address = EmailAddress.objects.create(
                workspace=self.workspace,
                address=to,
                domain=domain,
                person=person,
                company=company,
                origin="found",
            )
            lead = Lead.objects.create(
                workspace=self.workspace,
                campaign=self.campaign,
                person=person,
                company=company,
                email=address,
                status="enrolled",
            )
            enrollment = Enrollment.objects.create(
                campaign=self.campaign, lead=lead, mailbox=mailbox
            )
        token = uuid.uuid4().hex
        values = {
            "subject": "Quick question",
            "body_text": "Hello there,\n\nA short question about your shop.\n\nSam",
            "message_id": f"<{token}@coldflow.local>",
            "idempotency_key": f"{enrollment.pk}:{step}:{token}",
        }
        values.update(fields)
        return OutboundMessage.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            enrollment=enrollment,
            lead=enrollment.lead,
            step=self.steps[step],
            mailbox=mailbox,
            state=state,
            to_address=to,
            **values,
        )
