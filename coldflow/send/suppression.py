"""Suppression and its consequences: unsubscribes and hard bounces stop everything at once."""

from __future__ import annotations

from django.db import transaction

from coldflow.analytics.events import record
from coldflow.send.models import Enrollment, OutboundMessage, Suppression


def suppress(workspace_id: int, kind: str, value: str, reason: str, source: str = "") -> bool:
    """Add an address or domain to the workspace's suppression list; True if it was new."""
    value = value.strip().lower()
    _, created = Suppression.objects.get_or_create(
        workspace_id=workspace_id,
        kind=kind,
        value=value,
        defaults={"reason": reason, "source": source},
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


def stop_enrollment(enrollment: Enrollment | None, reason: str) -> None:
    if enrollment is None:
        return
    Enrollment.objects.filter(pk=enrollment.pk, status__in=("active", "paused")).update(
        status="stopped", stop_reason=reason, next_action_at=None
    )


def _set_lead_status(message: OutboundMessage, status: str) -> None:
    from coldflow.contacts.models import Lead

    Lead.objects.filter(pk=message.lead_id).update(status=status)


def apply_unsubscribe(message: OutboundMessage, source: str) -> bool:
    """The recipient of `message` asked to hear no more. True when this was news."""
    with transaction.atomic():
        created = suppress(
            message.workspace_id, "address", message.to_address, "unsubscribe", source
        )
        stop_enrollment(message.enrollment, "unsubscribed")
        _set_lead_status(message, "unsubscribed")
        if created:
            record(
                "lead.unsubscribed",
                workspace_id=message.workspace_id,
                campaign_id=message.campaign_id,
                lead_id=message.lead_id,
                message=message,
                data={"source": source},
            )
    return created


def apply_hard_bounce(message: OutboundMessage, detail: str, stage: str) -> None:
    """The address is dead: suppress it, stop the sequence, mark the lead bounced.

    `stage` is "send" for an SMTP refusal, "report" for a delivery report read later; the
    `message.bounced` event with `hard: true` is what the auto-pause counts.
    """
    with transaction.atomic():
        suppress(message.workspace_id, "address", message.to_address, "hard_bounce", detail)
        stop_enrollment(message.enrollment, "bounced")
        _set_lead_status(message, "bounced")
        record(
            "message.bounced",
            workspace_id=message.workspace_id,
            campaign_id=message.campaign_id,
            lead_id=message.lead_id,
            mailbox_id=message.mailbox_id,
            message=message,
            data={"hard": True, "stage": stage, "detail": detail[:500]},
        )
