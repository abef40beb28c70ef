"""The funnel: sent, delivered, replied, positive, bounced, unsubscribed per group of messages.

Counted over sent messages and the events that name them (a bounce, a reply, an unsubscribe
is recorded against the message it answers), grouped by campaign, step, variant or mailbox.
A message counts at most once per stage however many events name it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

GROUPINGS = ("campaign", "step", "variant", "mailbox")
STAGES = ("sent", "delivered", "replied", "positive", "bounced", "unsubscribed")
POSITIVE_INTENTS = frozenset({"interested"})
# Messages that left (or may have left) through SMTP.
SENT_STATES = ("sent", "unknown")


@dataclass(frozen=True)
class SentMessage:
    id: int
    group: tuple[Any, ...]


@dataclass(frozen=True)
class MessageEvent:
    message_id: int
    kind: str
    data: dict[str, Any]


@dataclass
class FunnelRow:
    group: tuple[Any, ...]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))


def count_funnel(
    messages: Iterable[SentMessage], events: Iterable[MessageEvent]
) -> list[FunnelRow]:
    """Counts per group, in the order groups first appear."""
    group_of: dict[int, tuple[Any, ...]] = {}
    rows: dict[tuple[Any, ...], FunnelRow] = {}
    for message in messages:
        group_of[message.id] = message.group
        rows.setdefault(message.group, FunnelRow(message.group)).counts["sent"] += 1
    reached: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.message_id not in group_of:
            continue
        if event.kind == "message.bounced":
            reached["bounced"].add(event.message_id)
        elif event.kind == "reply.received":
            reached["replied"].add(event.message_id)
            if event.data.get("intent") in POSITIVE_INTENTS:
                reached["positive"].add(event.message_id)
        elif event.kind == "lead.unsubscribed":
            reached["unsubscribed"].add(event.message_id)
    for stage, message_ids in reached.items():
        for message_id in message_ids:
            rows[group_of[message_id]].counts[stage] += 1
    for row in rows.values():
        row.counts["delivered"] = row.counts["sent"] - row.counts["bounced"]
    return list(rows.values())


_GROUP_COLUMNS = {
    "campaign": ("campaign_id", "campaign__name"),
    "step": ("campaign_id", "campaign__name", "step__position"),
    "variant": ("campaign_id", "campaign__name", "step__position", "variant__label"),
    "mailbox": ("mailbox_id", "mailbox__email"),
}
FUNNEL_EVENTS = ("message.bounced", "reply.received", "lead.unsubscribed")


def funnel(messages: QuerySet, events: QuerySet, by: str) -> list[FunnelRow]:
    """The funnel of the (already scoped) OutboundMessage and Event querysets, grouped `by`."""
    if by not in _GROUP_COLUMNS:
        raise ValueError(f"funnel by {by!r}: choose one of {', '.join(GROUPINGS)}")
    columns = _GROUP_COLUMNS[by]
    sent = messages.filter(state__in=SENT_STATES).order_by("id")
    rows = (
        SentMessage(values[0], tuple(values[1:]))
        for values in sent.values_list("id", *columns).iterator()
    )
    found = (
        MessageEvent(message_id, kind, data or {})
        for message_id, kind, data in events.filter(
            kind__in=FUNNEL_EVENTS, message__in=sent.values("id")
        )
        .values_list("message_id", "kind", "data")
        .iterator()
    )
    return count_funnel(rows, found)
