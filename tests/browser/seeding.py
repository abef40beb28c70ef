"""Rows the browser tests add to the personas' seeded workspaces."""

from __future__ import annotations

from coldflow.send.models import OutboundMessage


def add_draft(personas) -> OutboundMessage:
    """A draft waiting for approval, written from the seeded lead's facts."""
    ids = personas.acme_rows.ids
    return OutboundMessage.objects.create(
        workspace=personas.acme,
        campaign_id=ids["campaign"],
        lead_id=ids["lead"],
        step_id=ids["step"],
        variant_id=ids["variant"],
        mailbox_id=ids["mailbox"],
        state="draft",
        to_address="dana@example.test",
        subject="A question about your founding year",
        body_text="Hi Dana,\n\nI saw you were founded in 2011.\n",
        facts_used=[
            {
                "fact_id": ids["fact"],
                "key": "company.founded_year",
                "source_url": "https://acme.example/about",
                "sentence": "I saw you were founded in 2011.",
            }
        ],
        message_id="<draft-every-page@coldflow.test>",
        idempotency_key="draft-every-page",
    )
