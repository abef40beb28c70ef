"""/api/messages, /api/inbox, /api/suppressions, /api/mailboxes (never their secrets)."""

from __future__ import annotations

from django.db import transaction
from ninja import Router, Status

from coldflow.accounts.access import audit, get_or_404, scoped
from coldflow.api.app import writable
from coldflow.api.errors import ERRORS
from coldflow.api.pagination import DEFAULT_LIMIT, Ordering, page
from coldflow.api.schemas import (
    Cursor,
    Id,
    InboundKindName,
    InboundOut,
    InboundPage,
    IntentName,
    Limit,
    MailboxOut,
    MailboxPage,
    MessageOut,
    MessagePage,
    MessageStateName,
    SearchText,
    SuppressionIn,
    SuppressionOut,
    SuppressionPage,
)
from coldflow.errors import UserError
from coldflow.listen.models import InboundMessage
from coldflow.send.models import Mailbox, OutboundMessage, Suppression

messages = Router(tags=["messages"])
inbox = Router(tags=["inbox"])
suppressions = Router(tags=["suppressions"])
mailboxes = Router(tags=["mailboxes"])

NEWEST_FIRST = Ordering(("-id",))
BY_ID = Ordering(("id",))


def _message_out(message: OutboundMessage) -> dict:
    return {
        **{
            field: getattr(message, field)
            for field in MessageOut.model_fields
            if hasattr(message, field)
        },
        "step": message.step.position,
        "variant": message.variant.label if message.variant else None,
    }


def _messages(access):
    return scoped(OutboundMessage, access).select_related("step", "variant")


@messages.get("", response={200: MessagePage, **ERRORS})
def list_messages(
    request,
    campaign: Id | None = None,
    lead: Id | None = None,
    state: MessageStateName | None = None,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """Outbound messages (drafts to sent), newest first."""
    rows = _messages(request.auth)
    if campaign is not None:
        rows = rows.filter(campaign_id=campaign)
    if lead is not None:
        rows = rows.filter(lead_id=lead)
    if state:
        rows = rows.filter(state=state)
    items, next_cursor = page(rows, NEWEST_FIRST, (int,), cursor, limit)
    return {"items": [_message_out(m) for m in items], "next_cursor": next_cursor}


@messages.get("/{message_id}", response={200: MessageOut, **ERRORS})
def get_message(request, message_id: Id):
    return _message_out(get_or_404(_messages(request.auth), request.auth, pk=message_id))


@inbox.get("", response={200: InboundPage, **ERRORS})
def list_inbox(
    request,
    kind: InboundKindName | None = None,
    intent: IntentName | None = None,
    mailbox: Id | None = None,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """Mail read from the mailboxes, newest first, with its kind and the reply's intent."""
    rows = scoped(InboundMessage, request.auth).defer("raw")
    if kind:
        rows = rows.filter(kind=kind)
    if intent:
        rows = rows.filter(intent=intent)
    if mailbox is not None:
        rows = rows.filter(mailbox_id=mailbox)
    items, next_cursor = page(rows, NEWEST_FIRST, (int,), cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@inbox.get("/{inbound_id}", response={200: InboundOut, **ERRORS})
def get_inbound(request, inbound_id: Id):
    return get_or_404(InboundMessage.objects.defer("raw"), request.auth, pk=inbound_id)


@suppressions.get("", response={200: SuppressionPage, **ERRORS})
def list_suppressions(
    request,
    q: SearchText | None = None,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    rows = scoped(Suppression, request.auth)
    if q and q.strip():
        rows = rows.filter(value__icontains=q.strip())
    items, next_cursor = page(rows, BY_ID, (int,), cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


def suppression_value(kind: str, value: str) -> str:
    """The normalised address or domain, or UserError saying what is wrong with it."""
    value = value.strip().lower()
    if kind == "address":
        local, at, domain = value.rpartition("@")
        if not at or not local or "." not in domain or any(c.isspace() for c in value):
            raise UserError(f"{value!r} is not an email address")
    else:
        value = value.lstrip("@")
        if "@" in value or "." not in value or any(c.isspace() for c in value):
            raise UserError(f"{value!r} is not a domain (example.com)")
    return value


@suppressions.post("", response={201: SuppressionOut, 200: SuppressionOut, **ERRORS})
def add_suppression(request, body: SuppressionIn):
    """Never send to this address or domain again (200 when it was already suppressed)."""
    from coldflow.send.suppression import suppress

    access = writable(request)
    value = suppression_value(body.kind, body.value)
    with transaction.atomic():
        created = suppress(
            access.workspace.pk, body.kind, value, body.reason or "manual", f"API ({access.actor})"
        )
        row = scoped(Suppression, access).get(kind=body.kind, value=value)
        if created:
            audit(access, "suppression.add", row, {"kind": body.kind, "value": value})
    return Status(201 if created else 200, row)


@suppressions.delete("/{suppression_id}", response={204: None, **ERRORS})
def delete_suppression(request, suppression_id: Id):
    access = writable(request)
    row = get_or_404(Suppression, access, pk=suppression_id)
    audit(access, "suppression.delete", row, {"kind": row.kind, "value": row.value})
    row.delete()
    return Status(204, None)


@mailboxes.get("", response={200: MailboxPage, **ERRORS})
def list_mailboxes(request, cursor: Cursor | None = None, limit: Limit = DEFAULT_LIMIT):
    """Sending mailboxes and their state; credentials are never part of any answer."""
    items, next_cursor = page(scoped(Mailbox, request.auth), BY_ID, (int,), cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@mailboxes.get("/{mailbox_id}", response={200: MailboxOut, **ERRORS})
def get_mailbox(request, mailbox_id: Id):
    return get_or_404(Mailbox, request.auth, pk=mailbox_id)
