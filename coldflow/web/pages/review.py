"""The approval queue: drafts waiting for a person, edited, approved or rejected one at a time
or in bulk (coldflow.compose.approval does the work; this is the page around it)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coldflow.accounts.access import audit, get_or_404, scoped, workspace_view
from coldflow.campaigns.models import Campaign
from coldflow.compose import approval
from coldflow.send.models import MessageState, OutboundMessage

PAGE_SIZE = 50


def _back(request) -> str:
    campaign = request.POST.get("campaign") or request.GET.get("campaign") or ""
    return reverse("review") + (f"?campaign={campaign}" if campaign.isdigit() else "")


@workspace_view()
def review(request):
    access = request.access
    drafts = (
        scoped(OutboundMessage, access)
        .filter(state=MessageState.DRAFT)
        .select_related("campaign", "lead__person", "lead__company", "step", "variant")
        .order_by("id")
    )
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        drafts = drafts.filter(campaign_id=int(campaign))
    context = {
        "drafts": drafts[:PAGE_SIZE],
        "total": drafts.count(),
        "campaigns": scoped(Campaign, access).order_by("name").only("id", "name"),
        "campaign": campaign,
    }
    return render(request, "web/review.html", context)


@workspace_view(write=True)
@require_POST
def review_edit(request, pk: int):
    access = request.access
    message = get_or_404(OutboundMessage, access, pk=pk)
    before = message.body_text
    try:
        message = approval.edit(
            message,
            user=access.user,
            body_text=request.POST.get("body_text", ""),
            subject=request.POST.get("subject"),
        )
    except approval.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        audit(access, "message.edit", message, {"body_text": [before, message.body_text]})
        errors = [f for f in message.lint_findings if f.get("severity") == "error"]
        if errors:
            messages.error(request, f"Saved; fix before approving: {errors[0].get('message', '')}")
        elif request.POST.get("and_approve"):
            approval.approve(message)
            audit(access, "message.approve", message)
            messages.success(request, f"Saved and approved message {message.pk}.")
        else:
            messages.success(request, f"Saved message {message.pk}.")
    return redirect(_back(request))


@workspace_view(write=True)
@require_POST
def review_bulk(request):
    """Approve or reject the chosen drafts (ids), across campaigns, each audited."""
    access = request.access
    action = request.POST.get("action")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    if action not in ("approve", "reject") or not ids:
        messages.error(request, "Choose some drafts and approve or reject them.")
        return redirect(_back(request))
    chosen = scoped(OutboundMessage, access).filter(pk__in=ids)
    changed, skipped = [], []
    for campaign_id in sorted(set(chosen.values_list("campaign_id", flat=True))):
        campaign = Campaign.objects.get(pk=campaign_id)
        mine = [i for i in chosen.filter(campaign_id=campaign_id).values_list("pk", flat=True)]
        do = approval.approve_many if action == "approve" else approval.reject_many
        result = do(campaign, mine)
        changed += result.changed
        skipped += list(result.skipped.values())
    if changed:
        audit(access, f"message.{action}", ("outboundmessage", changed[0]), {"messages": changed})
        messages.success(request, f"{action.title()}d {len(changed)} draft(s).")
    for reason in skipped[:5]:
        messages.error(request, reason)
    return redirect(_back(request))
