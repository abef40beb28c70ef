"""/api/campaigns: list, read, create from an ICP, pause and resume."""

from __future__ import annotations

import json

from ninja import Router, Status

from coldflow.accounts.access import audit, get_or_404, scoped
from coldflow.api.app import writable
from coldflow.api.errors import ERRORS, Conflict
from coldflow.api.pagination import DEFAULT_LIMIT, Ordering, page
from coldflow.api.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignPage,
    CampaignStatusName,
    Cursor,
    Id,
    Limit,
    StatusChangeIn,
)
from coldflow.campaigns.models import Campaign
from coldflow.errors import UserError

router = Router(tags=["campaigns"])
BY_ID = Ordering(("id",))


@router.get("", response={200: CampaignPage, **ERRORS})
def list_campaigns(
    request,
    status: CampaignStatusName | None = None,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    rows = scoped(Campaign, request.auth)
    if status:
        rows = rows.filter(status=status)
    items, next_cursor = page(rows, BY_ID, (int,), cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{campaign_id}", response={200: CampaignOut, **ERRORS})
def get_campaign(request, campaign_id: Id):
    return get_or_404(Campaign, request.auth, pk=campaign_id)


@router.post("", response={201: CampaignOut, **ERRORS, 409: ERRORS[400]})
def create_campaign(request, body: CampaignIn):
    """A draft campaign for an ICP (structured `icp`, or a free-text `description`)."""
    from coldflow.discover.icp import ICPError, icp_from_mapping, icp_from_text, icp_to_mapping

    access = writable(request)
    name = body.name.strip()
    if not name:
        raise UserError("the campaign needs a name")
    if body.icp is None and not (body.description or "").strip():
        raise UserError("give the campaign an ICP: `icp` fields or a `description`")
    if "\\u0000" in json.dumps(body.icp or {}):
        raise UserError("the ICP contains a NUL character")
    try:
        icp = (
            icp_from_mapping(body.icp) if body.icp is not None else icp_from_text(body.description)
        )
    except ICPError as exc:
        raise UserError("the ICP has problems: " + " ".join(exc.problems)) from None
    rows = scoped(Campaign, access)
    if rows.filter(name=name).exists():
        raise Conflict(f"this workspace already has a campaign named {name!r}")
    campaign = Campaign.objects.create(
        workspace=access.workspace, name=name, icp=icp_to_mapping(icp)
    )
    audit(access, "campaign.create", campaign, {"name": name})
    return Status(201, campaign)


def _change(request, campaign_id: int, action: str, reason: str):
    from coldflow.orchestrate.engine import act
    from coldflow.orchestrate.lifecycle import CampaignStateError

    access = writable(request)
    campaign = get_or_404(Campaign, access, pk=campaign_id)
    before = campaign.status
    try:
        campaign = act(campaign, action, reason or f"{action}d through the API", by=access.actor)
    except CampaignStateError as exc:
        raise Conflict(str(exc)) from None
    audit(access, f"campaign.{action}", campaign, {"status": [before, campaign.status]})
    return campaign


@router.post("/{campaign_id}/pause", response={200: CampaignOut, **ERRORS, 409: ERRORS[400]})
def pause_campaign(request, campaign_id: Id, body: StatusChangeIn | None = None):
    """Stop sending for a running campaign (409 when it is not running)."""
    return _change(request, campaign_id, "pause", body.reason if body else "")


@router.post("/{campaign_id}/resume", response={200: CampaignOut, **ERRORS, 409: ERRORS[400]})
def resume_campaign(request, campaign_id: Id, body: StatusChangeIn | None = None):
    """Send again for a paused campaign (409 when it is not paused)."""
    return _change(request, campaign_id, "resume", body.reason if body else "")
