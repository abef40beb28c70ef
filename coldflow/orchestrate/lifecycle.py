"""A campaign's status: which changes are allowed, in one place, each written to the event log.

    draft ──run──▶ running ──pause──▶ paused ──resume──▶ running
                      │                  │
                      ├──complete──▶ completed
                      └──cancel────▶ cancelled ◀──cancel── paused / draft

Completed and cancelled are final. Every change is a conditional UPDATE on the status it was
decided from, so two processes changing the same campaign at once cannot both win.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from coldflow.campaigns.models import Campaign, CampaignStatus
from coldflow.errors import UserError

DRAFT, RUNNING, PAUSED = CampaignStatus.DRAFT, CampaignStatus.RUNNING, CampaignStatus.PAUSED
COMPLETED, CANCELLED = CampaignStatus.COMPLETED, CampaignStatus.CANCELLED


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    event: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("run", frozenset({DRAFT}), RUNNING, "campaign.started"),
        Transition("pause", frozenset({RUNNING}), PAUSED, "campaign.paused"),
        Transition("resume", frozenset({PAUSED}), RUNNING, "campaign.resumed"),
        Transition("complete", frozenset({RUNNING}), COMPLETED, "campaign.completed"),
        Transition("cancel", frozenset({DRAFT, RUNNING, PAUSED}), CANCELLED, "campaign.cancelled"),
    )
}


class CampaignStateError(UserError):
    pass


def transition_for(action: str, current: str) -> Transition:
    """The transition `action` makes from `current`, or CampaignStateError saying why not."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise CampaignStateError(f"unknown campaign action {action!r}")
    if current not in transition.sources:
        allowed = ", ".join(sorted(a for a, t in TRANSITIONS.items() if current in t.sources))
        raise CampaignStateError(
            f"a {current} campaign cannot {action}"
            + (f" (it can: {allowed})" if allowed else f" ({current} is final)")
        )
    return transition


def change_status(
    campaign: Campaign, action: str, reason: str, *, by: str = "", data: dict | None = None
) -> Campaign:
    """Apply `action` to the campaign, record why in the event log, and return it refreshed.

    Raises CampaignStateError when the campaign's status does not allow the action (also when
    another process changed it first). `data` adds to the event (e.g. the inbound message that
    caused a pause).
    """
    from coldflow.analytics.events import record

    current = Campaign.objects.values_list("status", flat=True).get(pk=campaign.pk)
    transition = transition_for(action, current)
    now = timezone.now()
    fields: dict = {"status": transition.target, "status_reason": reason}
    if action == "run":
        fields["started_at"] = now
    if transition.target in (COMPLETED, CANCELLED):
        fields["finished_at"] = now
    changed = Campaign.objects.filter(pk=campaign.pk, status=current).update(**fields)
    if not changed:
        raise CampaignStateError(f"campaign {campaign.name!r} changed meanwhile; try again")
    record(
        transition.event,
        workspace_id=campaign.workspace_id,
        campaign_id=campaign.pk,
        data={
            **(data or {}),
            "from": current,
            "to": transition.target,
            "reason": reason,
            "by": by,
        },
    )
    campaign.refresh_from_db()
    return campaign
