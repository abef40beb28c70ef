"""The review queue: a person edits, approves or rejects drafts, one at a time or in bulk.

Only drafts are reviewed; a message already queued or sent is out of the queue's reach. A draft
with lint errors cannot be approved until an edit fixes them. An edit keeps the draft as first
composed (`original_body_text`) and who changed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from coldflow.compose.render import text_to_html
from coldflow.errors import UserError
from coldflow.send.models import MessageState, OutboundMessage


class ReviewError(UserError):
    pass


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    # id → why it was left alone
    skipped: dict[int, str] = field(default_factory=dict)


def review_queue(campaign):
    """The campaign's drafts waiting for a person, oldest first."""
    return OutboundMessage.objects.filter(campaign=campaign, state=MessageState.DRAFT).order_by(
        "id"
    )


def _errors(message: OutboundMessage) -> list[dict]:
    return [f for f in message.lint_findings or [] if f.get("severity") == "error"]


def approve(message: OutboundMessage) -> OutboundMessage:
    if message.state != MessageState.DRAFT:
        raise ReviewError(f"message {message.id} is {message.state}, not a draft")
    if errors := _errors(message):
        raise ReviewError(
            f"message {message.id} has lint errors ({errors[0].get('message', '')}); "
            "edit it before approving"
        )
    updated = OutboundMessage.objects.filter(pk=message.pk, state=MessageState.DRAFT).update(
        state=MessageState.APPROVED
    )
    if not updated:
        raise ReviewError(f"message {message.id} changed while being approved")
    message.state = MessageState.APPROVED
    return message


def reject(message: OutboundMessage) -> OutboundMessage:
    if message.state not in (MessageState.DRAFT, MessageState.APPROVED):
        raise ReviewError(f"message {message.id} is {message.state}: too late to reject")
    updated = OutboundMessage.objects.filter(
        pk=message.pk, state__in=(MessageState.DRAFT, MessageState.APPROVED)
    ).update(state=MessageState.REJECTED)
    if not updated:
        raise ReviewError(f"message {message.id} changed while being rejected")
    message.state = MessageState.REJECTED
    return message


@transaction.atomic
def edit(
    message: OutboundMessage, *, user, body_text: str, subject: str | None = None
) -> OutboundMessage:
    """Replace a draft's text (and subject); the first composed text is kept, lint runs again.

    An approved message that is edited goes back to the queue as a draft."""
    from coldflow.compose.lint import lint_message

    message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.state not in (MessageState.DRAFT, MessageState.APPROVED):
        raise ReviewError(f"message {message.id} is {message.state}: it can no longer be edited")
    if not message.original_body_text:
        message.original_body_text = message.body_text
    message.body_text = body_text.strip()
    if subject is not None:
        message.subject = " ".join(subject.split())
    if message.body_html:
        message.body_html = text_to_html(message.body_text)
    message.edited_by = user
    message.state = MessageState.DRAFT
    message.lint_findings = [
        f.as_dict() for f in lint_message(message.subject, message.body_text, message.body_html)
    ]
    message.save()
    return message


def _bulk(campaign, ids: Iterable[int] | None, action) -> BulkResult:
    query = OutboundMessage.objects.filter(campaign=campaign).order_by("id")
    if ids is None:
        query = query.filter(state=MessageState.DRAFT)
    else:
        wanted = set(ids)
        query = query.filter(id__in=wanted)
    result = BulkResult()
    found = set()
    for message in query:
        found.add(message.id)
        try:
            action(message)
        except ReviewError as exc:
            result.skipped[message.id] = str(exc)
        else:
            result.changed.append(message.id)
    for missing in sorted(set(ids or ()) - found):
        result.skipped[missing] = f"message {missing} is not in campaign {campaign.name!r}"
    return result


def approve_many(campaign, ids: Iterable[int] | None = None) -> BulkResult:
    """Approve the given drafts, or every draft of the campaign when `ids` is None."""
    return _bulk(campaign, None if ids is None else list(ids), approve)


def reject_many(campaign, ids: Iterable[int] | None = None) -> BulkResult:
    """Reject the given messages, or every draft of the campaign when `ids` is None."""
    return _bulk(campaign, None if ids is None else list(ids), reject)
