"""From the event log to deliveries: a periodic sweep over new events by id.

Why a sweep and not a hook inside `record()`: the send stage records `message.sent` in the
transaction of every claimed message and its statement count per message is budgeted (tested);
looking up endpoints there would cost every send a query, even in installations without a
single webhook. The sweep reads the log after the fact, costs the stages nothing, and survives
crashes: the cursor (the last event id swept) moves in the same transaction that creates the
deliveries, so an event is fanned out once, even when the sweep dies half-way.

On PostgreSQL a transaction can commit a lower event id after a higher one was already seen;
each sweep therefore looks again at the last LOOKBACK of events below the cursor. The unique
(endpoint, event, type) constraint makes seeing an event twice harmless. Events older than an
endpoint are never delivered to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max

from coldflow.analytics.models import Event
from coldflow.jobs.models import InstanceFact
from coldflow.webhooks.events import SOURCE_KINDS, public_types, subscribed
from coldflow.webhooks.models import WebhookDelivery, WebhookEndpoint

CURSOR = "webhooks.event_cursor"
LOOKBACK = timedelta(minutes=2)
BATCH = 2000


@dataclass
class SweepReport:
    events: int = 0
    # Delivery rows offered to the database; those that already existed are ignored.
    offered: int = 0


def sweep(now: datetime) -> SweepReport:
    """Create the deliveries of every event recorded since the last sweep (up to BATCH)."""
    report = SweepReport()
    with transaction.atomic():
        cursor_row, _ = InstanceFact.objects.select_for_update().get_or_create(
            name=CURSOR, defaults={"value": "0"}
        )
        cursor = int(cursor_row.value or 0)
        top = Event.objects.aggregate(top=Max("id"))["top"] or 0
        endpoints = list(
            WebhookEndpoint.objects.filter(active=True).only(
                "id", "workspace_id", "event_kinds", "created_at"
            )
        )
        if endpoints:
            by_workspace: dict[int, list[WebhookEndpoint]] = {}
            for endpoint in endpoints:
                by_workspace.setdefault(endpoint.workspace_id, []).append(endpoint)
            relevant = Event.objects.filter(
                kind__in=SOURCE_KINDS, workspace_id__in=list(by_workspace)
            ).only("id", "kind", "at", "workspace_id", "data")
            fresh = list(relevant.filter(id__gt=cursor, id__lte=top).order_by("id")[:BATCH])
            late = list(
                relevant.filter(id__lte=cursor, at__gte=now - LOOKBACK).order_by("-id")[:BATCH]
            )
            rows = [
                WebhookDelivery(
                    endpoint_id=endpoint.pk,
                    event_id=event.pk,
                    event_type=event_type,
                    next_attempt_at=now,
                )
                for event in (*late, *fresh)
                for event_type in public_types(event.kind, event.data)
                for endpoint in by_workspace.get(event.workspace_id, ())
                if endpoint.created_at <= event.at and subscribed(endpoint.event_kinds, event_type)
            ]
            WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
            report.events = len(fresh)
            report.offered = len(rows)
            if len(fresh) == BATCH:
                top = fresh[-1].pk
        if top > cursor:
            cursor_row.value = str(top)
            cursor_row.save(update_fields=["value"])
    return report
