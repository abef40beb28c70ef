"""Suppression and its consequences: unsubscribes and hard bounces stop everything at once.

The one way to suppress, stop a sequence or change a lead's status after something a
recipient did: the send stage (SMTP refusals, the unsubscribe link) and the listen stage
(replies, delivery reports, feedback reports) both call these, so every change writes the same
event the same way. `data` adds the caller's context (which inbound message, …) to the events.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from coldflow.analytics.events import record
from coldflow.send.models import Enrollment, OutboundMessage, Suppression

# Lead states a plain "replied" never overwrites: we already know better.
_KNOWN_OUTCOMES = frozenset({"interested", "not_interested", "bounced", "unsubscribed"})


def lead_status_after(current: str, new: str) -> str:
    """The lead's status once `new` is learned: unsubscribed is final, and a plain reply keeps
    a known intent or outcome."""
    if current == "unsubscribed":
        return current
    if new == "replied" and current in _KNOWN_OUTCOMES:
        return current
    return new


def _refs(message: OutboundMessage | None) -> dict[str, Any]:
    if message is None:
        return {}
    return {
        "campaign_id": message.campaign_id,
        "lead_id": message.lead_id,
        "mailbox_id": message.mailbox_id,
        "message": message,
    }


def suppress(
    workspace_id: int,
    kind: str,
    value: str,
    reason: str,
    source: str = "",
    *,
    message: OutboundMessage | None = None,
    data: dict[str, Any] | None = None,
) -> bool:
    """Add an address or domain to the workspace's suppression list; True if it was new."""
    value = value.strip().lower()
    _, created = Suppression.objects.get_or_create(
        workspace_id=workspace_id,
        kind=kind,
        value=value,
        defaults={"reason": reason, "source": source[:500]},
    )
    if created:
        record(
            "suppression.added",
            workspace_id=workspace_id,
            data={**(data or {}), "kind": kind, "value": value, "reason": reason},
            **_refs(message),
        )
    return created


def is_suppressed(workspace_id: int, address: str) -> bool:
    address = address.strip().lower()
    domain = address.rpartition("@")[2]
    return (
        Suppression.objects.filter(workspace_id=workspace_id)
        .filter(kind="address", value=address)
        .exists()
        or Suppression.objects.filter(
            workspace_id=workspace_id, kind="domain", value=domain
        ).exists()
    )


def stop_enrollment(
    enrollment: Enrollment | None, reason: str, *, data: dict[str, Any] | None = None
) -> bool:
    """Stop an active or paused sequence for good; True if it was running."""
    if enrollment is None:
        return False
    stopped = Enrollment.objects.filter(pk=enrollment.pk, status__in=("active", "paused")).update(
        status="stopped", stop_reason=reason, next_action_at=None
    )
    if stopped:
        from coldflow.contacts.models import Lead

        enrollment.status, enrollment.stop_reason = "stopped", reason
        enrollment.next_action_at = None
        record(
            "enrollment.stopped",
            workspace_id=Lead.objects.values_list("workspace_id", flat=True).get(
                pk=enrollment.lead_id
            ),
            campaign_id=enrollment.campaign_id,
            lead_id=enrollment.lead_id,
            data={**(data or {}), "reason": reason},
        )
    return bool(stopped)


def set_lead_status(lead_id: int | None, status: str) -> bool:
    """Move the lead to `status` as `lead_status_after` allows; True if it changed."""
    from coldflow.contacts.models import Lead

    if lead_id is None:
        return False
    current = Lead.objects.filter(pk=lead_id).values_list("status", flat=True).first()
    if current is None:
        return False
    status = lead_status_after(current, status)
    if status == current:
        return False
    return bool(Lead.objects.filter(pk=lead_id, status=current).update(status=status))


def apply_unsubscribe(
    message: OutboundMessage, source: str, *, data: dict[str, Any] | None = None
) -> bool:
    """The recipient of `message` asked to hear no more. True when this was news."""
    with transaction.atomic():
        created = suppress(
            message.workspace_id,
            "address",
            message.to_address,
            "unsubscribe",
            source,
            message=message,
            data=data,
        )
        stop_enrollment(message.enrollment, "unsubscribed", data=data)
        set_lead_status(message.lead_id, "unsubscribed")
        if created:
            record(
                "lead.unsubscribed",
                workspace_id=message.workspace_id,
                data={**(data or {}), "address": message.to_address.lower(), "source": source},
                **_refs(message),
            )
    return created


def apply_hard_bounce(
    message: OutboundMessage,
    detail: str,
    stage: str,
    *,
    address: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """The address is dead: suppress it, stop the sequence, mark the lead bounced.

    `stage` is "send" for an SMTP refusal, "report" for a delivery report read later; the
    `message.bounced` event with `hard: true` is what the auto-pause counts. `address` is the
    failed recipient a report names when it is not the one the message went to (a forward):
    that address is suppressed, the lead is left alone.
    """
    address = (address or message.to_address).strip().lower()
    theirs = address == message.to_address.strip().lower()
    with transaction.atomic():
        suppress(
            message.workspace_id,
            "address",
            address,
            "hard_bounce",
            detail,
            message=message,
            data=data,
        )
        if theirs:
            stop_enrollment(message.enrollment, "hard_bounce", data=data)
            set_lead_status(message.lead_id, "bounced")
        record(
            "message.bounced",
            workspace_id=message.workspace_id,
            data={
                **(data or {}),
                "hard": True,
                "stage": stage,
                "address": address,
                "detail": detail[:500],
            },
            **_refs(message),
        )
