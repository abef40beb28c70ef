"""/api/events (the event log) and /api/analytics/funnel."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Router

from coldflow.accounts.access import scoped
from coldflow.analytics.funnel import funnel
from coldflow.analytics.models import Event
from coldflow.api.errors import ERRORS
from coldflow.api.pagination import DEFAULT_LIMIT, Ordering, as_utc, page
from coldflow.api.schemas import Cursor, EventPage, FunnelOut, Id, Limit
from coldflow.errors import UserError
from coldflow.send.models import OutboundMessage

events = Router(tags=["events"])
analytics = Router(tags=["analytics"])

OLDEST_FIRST = Ordering(("at", "id"))
EventKind = Annotated[str, Field(max_length=64, pattern=r"^[a-z_]+(\.[a-z_]+)*$")]
# A string parsed here rather than a datetime: pydantic would also take a number of seconds.
Since = Annotated[
    str,
    Field(max_length=64, pattern=r"^\d{4}-\d{2}-\d{2}", json_schema_extra={"format": "date-time"}),
]
_GROUP_FIELDS = {
    "campaign": ("campaign_id", "campaign"),
    "step": ("campaign_id", "campaign", "step"),
    "variant": ("campaign_id", "campaign", "step", "variant"),
    "mailbox": ("mailbox_id", "mailbox"),
}


@events.get("", response={200: EventPage, **ERRORS})
def list_events(
    request,
    kind: EventKind | None = None,
    campaign: Id | None = None,
    since: Since | None = None,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """The event log, oldest first: poll with the last page's cursor to follow it."""
    rows = scoped(Event, request.auth)
    if kind:
        rows = rows.filter(kind=kind) if "." in kind else rows.filter(kind__startswith=kind + ".")
    if campaign is not None:
        rows = rows.filter(campaign_id=campaign)
    if since is not None:
        try:
            rows = rows.filter(at__gte=as_utc(datetime.fromisoformat(since)))
        except ValueError:
            raise UserError(
                f"since must be an ISO 8601 time like 2025-01-31T09:00:00Z, not {since!r}"
            ) from None
    items, next_cursor = page(rows, OLDEST_FIRST, (datetime, int), cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@analytics.get("/funnel", response={200: FunnelOut, **ERRORS})
def get_funnel(
    request,
    by: Literal["campaign", "step", "variant", "mailbox"] = "campaign",
    campaign: Id | None = None,
):
    """Sent, delivered, replied, positive (interested), bounced and unsubscribed messages."""
    messages = scoped(OutboundMessage, request.auth)
    log = scoped(Event, request.auth)
    if campaign is not None:
        messages = messages.filter(campaign_id=campaign)
        log = log.filter(campaign_id=campaign)
    rows = [
        {**dict(zip(_GROUP_FIELDS[by], row.group, strict=True)), **row.counts}
        for row in funnel(messages, log, by)
    ]
    return {"by": by, "rows": rows}
