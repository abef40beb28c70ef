"""The one place that decides whether an email may go out, asked at the moment of sending.

`decide` is pure: it judges plain facts. `may_send` gathers those facts for a stored message
from the database (suppression list, enrollment, lead, mailbox, campaign).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

# Lead states after which nothing more is sent to the lead, ever, in this campaign.
FINAL_LEAD_STATES = frozenset(
    {
        "bounced",
        "unsubscribed",
        "replied",
        "interested",
        "not_interested",
        "stopped",
        "disqualified",
    }
)
# Campaign states in which nothing is sent for now (running again later sends).
WAITING_CAMPAIGN_STATES = frozenset({"draft", "paused"})
# Workers on several machines disagree a little about the time; a retry is not held for that.
CLOCK_TOLERANCE = timedelta(seconds=60)


@dataclass(frozen=True)
class SendFacts:
    to_address: str
    lead_status: str
    campaign_status: str
    # "address" or "domain" suppression reason (unsubscribe, hard_bounce…), None when clean.
    suppressed_address: str | None = None
    suppressed_domain: str | None = None
    enrollment_status: str | None = None
    enrollment_stop_reason: str = ""
    mailbox_status: str | None = None
    mailbox_reason: str = ""
    scheduled_at: datetime | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class Decision:
    # send: go ahead. hold: not now, keep it queued. drop: never, fail it with the reason.
    action: Literal["send", "hold", "drop"]
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.action == "send"


def decide(facts: SendFacts) -> Decision:
    if facts.suppressed_address:
        return Decision("drop", f"suppressed address ({facts.suppressed_address})")
    if facts.suppressed_domain:
        domain = facts.to_address.rpartition("@")[2]
        return Decision("drop", f"suppressed domain {domain} ({facts.suppressed_domain})")
    if facts.lead_status in FINAL_LEAD_STATES:
        return Decision("drop", f"lead is {facts.lead_status}")
    if facts.enrollment_status in ("stopped", "completed"):
        why = f": {facts.enrollment_stop_reason}" if facts.enrollment_stop_reason else ""
        return Decision("drop", f"enrollment {facts.enrollment_status}{why}")
    if facts.campaign_status in ("completed", "cancelled"):
        return Decision("drop", f"campaign {facts.campaign_status}")
    if facts.campaign_status in WAITING_CAMPAIGN_STATES:
        return Decision("hold", f"campaign {facts.campaign_status}")
    if facts.enrollment_status == "paused":
        return Decision("hold", "enrollment paused")
    if facts.mailbox_status is None:
        return Decision("hold", "no mailbox assigned")
    if facts.mailbox_status != "active":
        why = f": {facts.mailbox_reason}" if facts.mailbox_reason else ""
        return Decision("hold", f"mailbox {facts.mailbox_status.replace('_', ' ')}{why}")
    if facts.scheduled_at and facts.now and facts.scheduled_at > facts.now + CLOCK_TOLERANCE:
        return Decision("hold", f"not due before {facts.scheduled_at.isoformat()}")
    return Decision("send")


def may_send(message, *, now: datetime | None = None) -> Decision:
    """Judge a stored OutboundMessage against the database as it is right now."""
    from django.utils import timezone

    from coldflow.send.models import Suppression

    address = message.to_address.strip().lower()
    domain = address.rpartition("@")[2]
    suppressions = Suppression.objects.filter(workspace_id=message.workspace_id)
    address_reason = (
        suppressions.filter(kind="address", value=address).values_list("reason", flat=True).first()
    )
    domain_reason = (
        suppressions.filter(kind="domain", value=domain).values_list("reason", flat=True).first()
    )
    enrollment = message.enrollment
    mailbox = message.mailbox
    return decide(
        SendFacts(
            to_address=address,
            lead_status=message.lead.status,
            campaign_status=message.campaign.status,
            suppressed_address=address_reason,
            suppressed_domain=domain_reason,
            enrollment_status=enrollment.status if enrollment else None,
            enrollment_stop_reason=enrollment.stop_reason if enrollment else "",
            mailbox_status=mailbox.status if mailbox else None,
            mailbox_reason=mailbox.status_reason if mailbox else "",
            scheduled_at=message.scheduled_at,
            now=now or timezone.now(),
        )
    )
