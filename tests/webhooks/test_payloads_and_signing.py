"""The pure parts: which internal events are public and as what, their payload, signatures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coldflow.errors import UserError
from coldflow.webhooks.events import (
    TYPE_NAMES,
    EventFacts,
    build_payload,
    parse_event_types,
    public_types,
)
from coldflow.webhooks.signing import generate_secret, sign, verify_signature


def test_every_public_type_comes_from_one_internal_kind():
    assert public_types("message.sent", {"step": 0}) == ["sent"]
    assert public_types("reply.received", {"intent": "not_now"}) == ["replied"]
    assert public_types("reply.received", {"intent": "interested"}) == ["replied", "interested"]
    assert public_types("message.bounced", {"hard": True}) == ["bounced"]
    assert public_types("lead.unsubscribed", {}) == ["unsubscribed"]
    assert public_types("campaign.paused", {}) == ["campaign_paused"]
    assert public_types("mailbox.paused", {}) == ["mailbox_paused"]
    for internal in ("message.soft_bounced", "reply.auto_reply", "system.ping", "webhook.ping"):
        assert public_types(internal, {}) == []


def test_a_subscription_is_parsed_and_unknown_types_are_named():
    assert parse_event_types(" Replied,sent ,replied") == ["sent", "replied"]
    assert parse_event_types("") == []
    with pytest.raises(UserError, match="unknown webhook event type opened; known: sent"):
        parse_event_types("sent,opened")
    assert set(TYPE_NAMES) == {
        "sent",
        "replied",
        "interested",
        "bounced",
        "unsubscribed",
        "campaign_paused",
        "mailbox_paused",
    }


def test_the_payload_publishes_listed_fields_only_and_bounds_free_text():
    facts = EventFacts(
        event_id=41,
        kind="message.bounced",
        at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        workspace_id=3,
        workspace_slug="acme",
        data={
            "hard": True,
            "stage": "send",
            "address": "gone@acme.test",
            "detail": "550 5.1.1 " + "x" * 2000,
            "inbound_id": 9,
            "response": "250 2.0.0 queued as ABC",
        },
        lead={"id": 5, "email": "gone@acme.test"},
        message={"id": 8, "message_id": "<m8@coldflow.local>"},
    )

    payload = build_payload("bounced", facts)

    assert payload["id"] == 41 and payload["type"] == "bounced"
    assert payload["occurred_at"] == "2026-03-02T09:30:00Z"
    assert payload["workspace"] == {"id": 3, "slug": "acme"}
    assert set(payload["data"]) == {"address", "stage", "detail"}
    assert len(payload["data"]["detail"]) == 500
    assert payload["lead"] == {"id": 5, "email": "gone@acme.test"}
    assert "campaign" not in payload and "mailbox" not in payload


def test_a_signature_verifies_only_with_the_same_secret_body_and_a_fresh_timestamp():
    secret = generate_secret()
    body = b'{"id":1,"type":"sent"}'
    header = sign(secret, 1_800_000_000, body)

    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify_signature(secret, "1800000000", body, header, now=1_800_000_100)
    assert not verify_signature(secret, "1800000000", body, header, now=1_800_000_400)
    assert not verify_signature(secret, "1800000001", body, header, now=1_800_000_000)
    assert not verify_signature(generate_secret(), "1800000000", body, header, now=1_800_000_000)
    assert not verify_signature(secret, "1800000000", body + b"\n", header, now=1_800_000_000)
    assert not verify_signature(secret, "soon", body, header, now=1_800_000_000)
    # A header carrying several signatures matches when any one does.
    rotated = f"{sign('whsec_old', 1_800_000_000, body)}, {header}"
    assert verify_signature(secret, 1_800_000_000, body, rotated, now=1_800_000_000)
