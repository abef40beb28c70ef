"""Rows for send tests: a workspace, mailboxes, a running campaign and queued messages."""

from __future__ import annotations

import uuid

from coldflow.send.models import Enrollment, Mailbox, OutboundMessage
from tests.factories import CampaignWorld


class SendWorld(CampaignWorld):
    def __init__(self) -> None:
        super().__init__(steps=2, delay_business_days=2, label="Send")

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
            enrollment = Enrollment.objects.create(
                campaign=self.campaign, lead=self.lead(to, status="enrolled"), mailbox=mailbox
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
