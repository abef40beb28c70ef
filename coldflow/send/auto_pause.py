"""Automatic pause of a mailbox or campaign past a hard-bounce rate, or on any complaint.

`bounce_rate_reason` is the pure rule; the rest applies it to the database. Both stages use
these: delivery after an SMTP refusal, the listen stage after a delivery report (both record
the hard bounce through `coldflow.send.suppression.apply_hard_bounce`, whose `message.bounced`
event with `data.hard = true` is what is counted here) and when a feedback report arrives.
`data` adds the caller's context to the events written.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from coldflow.analytics.events import record
from coldflow.analytics.models import Event
from coldflow.send.mailboxes import SYSTEM, pause_mailbox
from coldflow.send.models import Mailbox, OutboundMessage

log = logging.getLogger(__name__)

# The rate is taken over this many most recent sends.
RECENT_SENDS = 200
# Below this many sends one unlucky bounce would read as a huge rate: judge only once there
# are enough sends, or enough bounces to be a pattern on their own.
MIN_SENDS = 20
MIN_BOUNCES = 3


def bounce_rate_reason(sends: int, hard_bounces: int, threshold: float) -> str | None:
    """Why to pause, or None. `sends` includes the bounced ones."""
    if sends <= 0 or hard_bounces <= 0:
        return None
    rate = hard_bounces / sends
    if rate <= threshold:
        return None
    if sends < MIN_SENDS and hard_bounces < MIN_BOUNCES:
        return None
    return (
        f"hard-bounce rate {rate:.1%} ({hard_bounces} of the last {sends} sends) is above "
        f"the {threshold:.1%} threshold"
    )


def _rate_reason(messages, threshold: float) -> str | None:
    window = list(
        messages.filter(sending_started_at__isnull=False, state__in=("sent", "failed"))
        .order_by("-sending_started_at")
        .values_list("pk", flat=True)[:RECENT_SENDS]
    )
    bounced = (
        Event.objects.filter(kind="message.bounced", data__hard=True, message_id__in=window)
        .values("message_id")
        .distinct()
        .count()
    )
    return bounce_rate_reason(len(window), bounced, threshold)


def pause_campaign(campaign, reason: str, *, data: dict[str, Any] | None = None) -> bool:
    """Pause a running campaign by the system with the reason; True if it was running.

    Goes through the campaign lifecycle, like a pause by the user."""
    from coldflow.orchestrate.lifecycle import CampaignStateError, change_status

    try:
        change_status(campaign, "pause", reason, by="system", data=data)
    except CampaignStateError:
        return False
    log.warning("campaign %s paused: %s", campaign.name, reason)
    return True


def check_bounce_rates(
    message: OutboundMessage, threshold: float, *, data: dict[str, Any] | None = None
) -> list[str]:
    """Re-judge the message's mailbox and campaign; returns what was paused."""
    paused = []
    if message.mailbox_id:
        mailbox = Mailbox.objects.get(pk=message.mailbox_id)
        reason = _rate_reason(OutboundMessage.objects.filter(mailbox_id=mailbox.pk), threshold)
        if reason and pause_mailbox(mailbox, reason, by=SYSTEM, data=data):
            paused.append(f"mailbox {mailbox.email}")
    campaign = message.campaign
    reason = _rate_reason(OutboundMessage.objects.filter(campaign_id=campaign.pk), threshold)
    if reason and pause_campaign(campaign, reason, data=data):
        paused.append(f"campaign {campaign.name}")
    return paused


def record_complaint(
    message: OutboundMessage, detail: str = "", *, data: dict[str, Any] | None = None
) -> None:
    """A recipient reported the email as spam: never write to them again, and one complaint
    pauses the mailbox and the campaign until a person looks."""
    from coldflow.send.suppression import set_lead_status, stop_enrollment, suppress

    address = message.to_address.strip().lower()
    reason = f"{address} reported our message as spam" + (f" ({detail})" if detail else "")
    with transaction.atomic():
        suppress(
            message.workspace_id,
            "address",
            address,
            "complaint",
            detail,
            message=message,
            data=data,
        )
        stop_enrollment(message.enrollment, "complaint", data=data)
        set_lead_status(message.lead_id, "unsubscribed")
        record(
            "message.complained",
            workspace_id=message.workspace_id,
            campaign_id=message.campaign_id,
            lead_id=message.lead_id,
            mailbox_id=message.mailbox_id,
            message=message,
            data={**(data or {}), "address": address, "detail": detail[:500]},
        )
        if message.mailbox_id:
            pause_mailbox(Mailbox.objects.get(pk=message.mailbox_id), reason, by=SYSTEM, data=data)
        pause_campaign(message.campaign, reason, data=data)
