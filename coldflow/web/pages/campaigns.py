"""Campaigns: the list, the create flow (ICP → sequence → mailboxes → schedule → review),
a campaign's page with its live pipeline, and pause/resume."""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coldflow.accounts.access import audit, get_or_404, scoped, workspace_view
from coldflow.campaigns.models import Campaign, SequenceStep
from coldflow.errors import UserError
from coldflow.send.models import CampaignMailbox, Mailbox, MailboxStatus

WIZARD = "coldflow_new_campaign"
STEPS = (
    ("icp", "Ideal customer"),
    ("sequence", "Sequence and variants"),
    ("mailboxes", "Mailboxes"),
    ("schedule", "Schedule"),
    ("review", "Review"),
)
WEEKDAYS = ((1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"), (7, "Sun"))


@workspace_view()
def campaigns(request):
    rows = scoped(Campaign, request.access).annotate(
        lead_count=Count("leads", distinct=True),
        sent_count=Count("messages", filter=Q(messages__state="sent"), distinct=True),
        draft_count=Count("messages", filter=Q(messages__state="draft"), distinct=True),
    )
    return render(request, "web/campaigns.html", {"campaigns": rows.order_by("-created_at")})


def _progress_context(campaign) -> dict:
    from coldflow.orchestrate.progress import campaign_progress

    progress = campaign_progress(campaign)
    for stage in progress["stages"]:
        total = stage["total"]
        stage["percent"] = round(100 * stage["done"] / total) if total else 0
    return {"campaign": campaign, "progress": progress}


@workspace_view()
def campaign(request, pk: int):
    found = get_or_404(Campaign.objects.select_related("sequence"), request.access, pk=pk)
    steps = []
    if found.sequence_id:
        steps = SequenceStep.objects.filter(sequence_id=found.sequence_id).prefetch_related(
            "variants"
        )
    linked = set(
        CampaignMailbox.objects.filter(campaign=found).values_list("mailbox_id", flat=True)
    )
    choices = scoped(Mailbox, request.access).exclude(status="archived").order_by("email")
    context = _progress_context(found) | {
        "steps": steps,
        "mailboxes": [m for m in choices if m.pk in linked],
        "mailbox_choices": choices,
        "linked": linked,
    }
    return render(request, "web/campaign.html", context)


@workspace_view(write=True)
@require_POST
def campaign_mailboxes(request, pk: int):
    """Choose the mailboxes that send the campaign's new leads (sequences under way finish
    from the mailbox of their first email)."""
    from coldflow.send.mailboxes import MailboxError, set_campaign_mailboxes

    access = request.access
    found = get_or_404(Campaign, access, pk=pk)
    ids = [int(i) for i in request.POST.getlist("mailbox") if i.isdigit()]
    chosen = list(scoped(Mailbox, access).filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        messages.error(request, "One of the chosen mailboxes no longer exists.")
        return redirect("campaign", pk=pk)
    try:
        added, removed = set_campaign_mailboxes(found, chosen)
    except MailboxError as exc:
        messages.error(request, str(exc))
        return redirect("campaign", pk=pk)
    if added or removed:
        audit(access, "campaign.mailboxes", found, {"added": added, "removed": removed})
    if not chosen:
        messages.warning(
            request, f"{found.name} has no mailbox now: it sends nothing new until you choose one."
        )
    else:
        messages.success(request, f"{found.name} sends from {len(chosen)} mailbox(es).")
    return redirect("campaign", pk=pk)


@workspace_view()
def campaign_progress(request, pk: int):
    """The progress panel alone, polled by HTMX every few seconds while the page is open."""
    found = get_or_404(Campaign, request.access, pk=pk)
    return render(request, "web/_campaign_progress.html", _progress_context(found))


def _change(request, pk: int, action: str):
    from coldflow.orchestrate.engine import act
    from coldflow.orchestrate.lifecycle import CampaignStateError

    access = request.access
    found = get_or_404(Campaign, access, pk=pk)
    before = found.status
    reason = request.POST.get("reason", "").strip()[:500] or f"{action} in the dashboard"
    try:
        found = act(found, action, reason, by=access.actor)
    except CampaignStateError as exc:
        messages.error(request, str(exc))
    else:
        audit(access, f"campaign.{action}", found, {"status": [before, found.status]})
        messages.success(request, f"Campaign {found.name} is {found.status}.")
    return redirect("campaign", pk=pk)


@workspace_view(write=True)
@require_POST
def campaign_pause(request, pk: int):
    return _change(request, pk, "pause")


@workspace_view(write=True)
@require_POST
def campaign_resume(request, pk: int):
    return _change(request, pk, "resume")


@workspace_view(write=True)
@require_POST
def campaign_run(request, pk: int):
    return _change(request, pk, "run")


# --- the create flow --------------------------------------------------------------------


def _default_sequence_data() -> dict:
    from coldflow.compose.sequences import default_sequence

    spec = default_sequence()
    return {
        "name": spec.name,
        "steps": [
            {
                "delay": step.delay_business_days,
                "variants": [
                    {"label": v.label, "subject": v.subject, "body": v.body} for v in step.variants
                ],
            }
            for step in spec.steps
        ],
    }


def _sequence_spec(data: dict):
    """The wizard's sequence as a SequenceSpec, every template checked (UserError if not)."""
    from coldflow.compose.sequences import SequenceSpec, StepSpec, VariantSpec
    from coldflow.compose.templates import check_template

    steps = []
    for number, step in enumerate(data["steps"], start=1):
        variants = []
        for variant in step["variants"]:
            if not variant["body"].strip():
                continue
            if number == 1 and not variant["subject"].strip():
                raise UserError(f"step 1 variant {variant['label']} needs a subject")
            check_template(variant["subject"])
            check_template(variant["body"])
            variants.append(VariantSpec(variant["label"], variant["subject"], variant["body"]))
        if not variants:
            raise UserError(f"step {number} needs at least one variant with a body")
        steps.append(StepSpec(step["delay"], tuple(variants)))
    return SequenceSpec(data.get("name") or "Sequence", tuple(steps))


def _read_icp(post, state) -> None:
    from coldflow.discover.icp import ICPError, icp_from_text, icp_to_mapping

    name = " ".join(post.get("name", "").split())[:200]
    description = post.get("description", "").strip()
    state.update(name=name, description=description)
    if not name:
        raise UserError("the campaign needs a name")
    if not description:
        raise UserError("describe the companies and people you want to reach")
    try:
        state["icp"] = icp_to_mapping(icp_from_text(description))
    except ICPError as exc:
        raise UserError("the ICP has problems: " + " ".join(exc.problems)) from None


def _read_sequence(post, state) -> None:
    sequence = state.get("sequence") or _default_sequence_data()
    for s, step in enumerate(sequence["steps"]):
        try:
            step["delay"] = max(0, min(60, int(post.get(f"step-{s}-delay", step["delay"]))))
        except ValueError:
            raise UserError(f"step {s + 1}: the delay is a number of business days") from None
        kept = []
        for v, variant in enumerate(step["variants"]):
            variant["subject"] = post.get(f"step-{s}-variant-{v}-subject", variant["subject"])
            variant["body"] = post.get(f"step-{s}-variant-{v}-body", variant["body"])
            kept.append(variant)
        extra_body = post.get(f"step-{s}-new-body", "").strip()
        if extra_body:
            label = chr(ord("A") + len(kept))
            kept.append(
                {
                    "label": label,
                    "subject": post.get(f"step-{s}-new-subject", ""),
                    "body": extra_body,
                }
            )
        step["variants"] = kept
    state["sequence"] = sequence
    _sequence_spec(sequence)


def _usable_mailboxes(access):
    """The workspace's mailboxes a campaign may send from: all but removed ones."""
    return scoped(Mailbox, access).exclude(status=MailboxStatus.ARCHIVED)


def _read_mailboxes(post, access, state) -> None:
    wanted = {int(i) for i in post.getlist("mailboxes") if i.isdigit()}
    found = list(_usable_mailboxes(access).filter(pk__in=wanted).values_list("pk", flat=True))
    state["mailboxes"] = sorted(found)
    if not found:
        raise UserError("choose at least one mailbox to send from")


def _read_schedule(post, state) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zone = post.get("timezone", "UTC").strip() or "UTC"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"unknown time zone {zone!r} (e.g. Europe/Berlin)") from None
    try:
        start = time.fromisoformat(post.get("window_start", "09:00"))
        end = time.fromisoformat(post.get("window_end", "17:00"))
        per_day = int(post.get("new_leads_per_day", 50))
        per_domain = int(post.get("per_domain_daily_cap", 5))
    except ValueError:
        raise UserError("times are HH:MM and limits whole numbers") from None
    if start >= end:
        raise UserError("the sending window must end after it starts")
    weekdays = sorted({int(d) for d in post.getlist("weekdays") if d in "1234567" and d})
    if not weekdays:
        raise UserError("choose at least one weekday to send on")
    state["schedule"] = {
        "timezone": zone,
        "window_start": start.strftime("%H:%M"),
        "window_end": end.strftime("%H:%M"),
        "weekdays": weekdays,
        "new_leads_per_day": max(1, min(per_day, 10_000)),
        "per_domain_daily_cap": max(1, min(per_domain, 1_000)),
        "approval_required": post.get("approval_required") == "on",
    }


def _create(access, state, start: bool) -> Campaign:
    from coldflow.compose.sequences import create_sequence

    spec = _sequence_spec(state["sequence"])
    schedule = state["schedule"]
    with transaction.atomic():
        if scoped(Campaign, access).filter(name=state["name"]).exists():
            raise UserError(f"this workspace already has a campaign named {state['name']!r}")
        made = Campaign.objects.create(
            workspace=access.workspace,
            name=state["name"],
            icp=state["icp"],
            sequence=create_sequence(access.workspace, spec),
            timezone=schedule["timezone"],
            window_start=time.fromisoformat(schedule["window_start"]),
            window_end=time.fromisoformat(schedule["window_end"]),
            weekdays=schedule["weekdays"],
            new_leads_per_day=schedule["new_leads_per_day"],
            per_domain_daily_cap=schedule["per_domain_daily_cap"],
            approval_required=schedule["approval_required"],
        )
        for mailbox in _usable_mailboxes(access).filter(pk__in=state["mailboxes"]):
            CampaignMailbox.objects.create(campaign=made, mailbox=mailbox)
    audit(access, "campaign.create", made, {"name": made.name, "mailboxes": state["mailboxes"]})
    if start:
        from coldflow.orchestrate.engine import start as start_campaign

        start_campaign(made, "started from the dashboard", by=access.actor)
        audit(access, "campaign.run", made, {"status": ["draft", "running"]})
    return made


@workspace_view(write=True)
def campaign_new(request):
    """One URL, one step at a time (?step=…); what was entered lives in the session."""
    access = request.access
    names = [name for name, _ in STEPS]
    step = request.GET.get("step", "icp")
    if step not in names:
        return HttpResponseBadRequest("unknown step")
    state = request.session.get(WIZARD) or {}
    if request.method == "GET" and step == "icp" and request.GET.get("restart"):
        state = {}
    error = None
    if request.method == "POST":
        try:
            if step == "icp":
                _read_icp(request.POST, state)
            elif step == "sequence":
                _read_sequence(request.POST, state)
            elif step == "mailboxes":
                _read_mailboxes(request.POST, access, state)
            elif step == "schedule":
                _read_schedule(request.POST, state)
            else:
                missing = [
                    n for n in ("icp", "sequence", "mailboxes", "schedule") if n not in state
                ]
                if missing:
                    raise UserError("some steps are not filled in yet: " + ", ".join(missing))
                made = _create(access, state, start=request.POST.get("start") == "on")
                request.session.pop(WIZARD, None)
                messages.success(request, f"Created campaign {made.name} ({made.status}).")
                return redirect("campaign", pk=made.pk)
        except (UserError, IntegrityError) as exc:
            error = str(exc)
        request.session[WIZARD] = state
        if error is None:
            following = names[names.index(step) + 1]
            return redirect(reverse("campaign-new") + f"?step={following}")
    if step == "sequence" and "sequence" not in state:
        state["sequence"] = _default_sequence_data()
    context = {
        "steps": STEPS,
        "step": step,
        "state": state,
        "error": error,
        "weekdays": WEEKDAYS,
        "mailboxes": _usable_mailboxes(access).order_by("email"),
        "chosen_mailboxes": scoped(Mailbox, access).filter(pk__in=state.get("mailboxes", [])),
        "schedule": state.get("schedule")
        or {
            "timezone": "UTC",
            "window_start": "09:00",
            "window_end": "17:00",
            "weekdays": [1, 2, 3, 4, 5],
            "new_leads_per_day": 50,
            "per_domain_daily_cap": 5,
            "approval_required": False,
        },
    }
    return render(request, "web/campaign_new.html", context, status=400 if error else 200)
