"""Which events leave coldflow as webhooks, and what their JSON says.

One table maps the internal event kinds of the event log (coldflow.analytics.events.record) to
the public types a receiver subscribes to. A payload carries the ids a receiver needs to look
things up, the few fields it needs to act without a second call, and nothing else: no
credentials, no SMTP transcripts, no scraped pages. Plain data in, plain dict out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coldflow.errors import UserError


@dataclass(frozen=True)
class PublicType:
    name: str
    kind: str  # the internal event kind it comes from
    description: str
    # Keys of the event's `data` that are published (everything else stays inside).
    fields: tuple[str, ...] = ()
    # Further condition on the event's data (None: every event of the kind).
    when: Callable[[Mapping[str, Any]], bool] | None = None


PUBLIC_TYPES: tuple[PublicType, ...] = (
    PublicType("sent", "message.sent", "A message was handed to the mail server.", ("step",)),
    PublicType(
        "replied", "reply.received", "A lead answered (a human reply, any intent).", ("intent",)
    ),
    PublicType(
        "interested",
        "reply.received",
        "A lead answered and the reply reads as interested.",
        ("intent",),
        when=lambda data: data.get("intent") == "interested",
    ),
    PublicType(
        "bounced",
        "message.bounced",
        "A message hard-bounced (refused at send time or reported later); the address is "
        "suppressed.",
        ("address", "stage", "detail"),
    ),
    PublicType(
        "unsubscribed",
        "lead.unsubscribed",
        "A recipient asked to hear no more (link, List-Unsubscribe or reply); suppressed.",
        ("address", "source"),
    ),
    PublicType(
        "campaign_paused",
        "campaign.paused",
        "A campaign was paused (by a person or by the bounce/complaint threshold).",
        ("reason", "by"),
    ),
    PublicType(
        "mailbox_paused",
        "mailbox.paused",
        "A sending mailbox was paused (policy rejection, bounce rate, login failure…).",
        ("reason", "by"),
    ),
)

# The test delivery of `coldflow webhook test` and of the Settings page's "Send a test
# event"; never subscribed to, sent to one endpoint.
PING = PublicType(
    "ping",
    "webhook.ping",
    "A test delivery (`coldflow webhook test`, or Send a test event on the Settings page).",
)

TYPE_NAMES: tuple[str, ...] = tuple(t.name for t in PUBLIC_TYPES)
BY_NAME: dict[str, PublicType] = {t.name: t for t in (*PUBLIC_TYPES, PING)}
# The internal kinds worth reading from the event log at all.
SOURCE_KINDS: frozenset[str] = frozenset(t.kind for t in PUBLIC_TYPES)

# Bound for free-text fields (bounce details, pause reasons).
_TEXT_LIMIT = 500


def public_types(kind: str, data: Mapping[str, Any]) -> list[str]:
    """The public types an internal event is published as (none, one, or two)."""
    return [
        t.name for t in PUBLIC_TYPES if t.kind == kind and (t.when is None or t.when(data or {}))
    ]


def parse_event_types(text: str | Iterable[str] | None) -> list[str]:
    """A subscription from `sent,replied` (or a list); empty means every type."""
    if text is None:
        return []
    items = text.split(",") if isinstance(text, str) else list(text)
    names = [item.strip().lower() for item in items if item.strip()]
    unknown = [name for name in names if name not in TYPE_NAMES]
    if unknown:
        raise UserError(
            f"unknown webhook event type {', '.join(unknown)}; known: {', '.join(TYPE_NAMES)}"
        )
    return sorted(set(names), key=TYPE_NAMES.index)


def subscribed(subscription: Iterable[str], event_type: str) -> bool:
    names = list(subscription)
    return not names or event_type in names


@dataclass(frozen=True)
class EventFacts:
    """What the payload is built from: the event and the rows it refers to, as plain data."""

    event_id: int
    kind: str
    at: datetime
    workspace_id: int | None
    workspace_slug: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    campaign: Mapping[str, Any] | None = None  # id, name
    lead: Mapping[str, Any] | None = None  # id, email, name, company_domain, status
    message: Mapping[str, Any] | None = None  # id, message_id, subject, to, step
    mailbox: Mapping[str, Any] | None = None  # id, email


def build_payload(event_type: str, facts: EventFacts) -> dict[str, Any]:
    """The JSON object POSTed for one event as `event_type`.

    `id` is the event's id: one event delivered as two types (replied and interested) keeps
    its id, so receivers deduplicate on (id, type).
    """
    public = BY_NAME[event_type]
    details = {key: _bounded(facts.data[key]) for key in public.fields if key in facts.data}
    body: dict[str, Any] = {
        "id": facts.event_id,
        "type": event_type,
        "occurred_at": facts.at.isoformat().replace("+00:00", "Z"),
        "workspace": {"id": facts.workspace_id, "slug": facts.workspace_slug},
        "data": details,
    }
    for name in ("campaign", "lead", "message", "mailbox"):
        value = getattr(facts, name)
        if value is not None:
            body[name] = dict(value)
    return body


def _bounded(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _TEXT_LIMIT:
        return value[: _TEXT_LIMIT - 1] + "…"
    return value
