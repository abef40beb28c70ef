"""Mailboxes and their health: today's sends against the (ramped) cap, bounce rate, DNS
authentication (SPF, DKIM, DMARC from coldflow.send.domain_check), pause reason, resume.
No secret field of a mailbox is ever read into a template."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coldflow.accounts.access import audit, get_or_404, scoped, workspace_view
from coldflow.analytics.models import Event
from coldflow.send.mailboxes import pause_by_user, resume
from coldflow.send.models import Mailbox, OutboundMessage
from coldflow.send.schedule.planner import MailboxState

# Only these columns of Mailbox reach a page (never passwords, tokens or keys).
PUBLIC_FIELDS = (
    "id", "email", "display_name", "smtp_host", "smtp_port", "imap_host", "auth_method",
    "daily_cap", "ramp_start", "ramp_step", "ramp_started_on", "min_gap_seconds",
    "max_gap_seconds", "timezone", "dkim_selector", "status", "status_reason",
    "status_changed_at", "last_sent_at", "workspace_id",
)  # fmt: skip
BOUNCE_WINDOW_DAYS = 30


def _local_day_start(zone: str, now: datetime) -> datetime:
    try:
        tz = ZoneInfo(zone)
    except Exception:
        tz = ZoneInfo("UTC")
    local = now.astimezone(tz)
    return datetime.combine(local.date(), time(0), tzinfo=tz)


def health(mailboxes, now: datetime | None = None) -> list[dict]:
    """One row per mailbox: sent today, today's cap, sends and bounces of the last 30 days."""
    now = now or timezone.now()
    ids = [m.pk for m in mailboxes]
    since = now - timedelta(days=BOUNCE_WINDOW_DAYS)
    sent_recent = dict(
        OutboundMessage.objects.filter(mailbox_id__in=ids, state="sent", sent_at__gte=since)
        .values_list("mailbox_id")
        .annotate(n=Count("id"))
    )
    bounced = dict(
        Event.objects.filter(mailbox_id__in=ids, kind="message.bounced", at__gte=since)
        .values_list("mailbox_id")
        .annotate(n=Count("message_id", distinct=True))
    )
    earliest = min((_local_day_start(m.timezone, now) for m in mailboxes), default=now)
    today_rows = (
        OutboundMessage.objects.filter(mailbox_id__in=ids, sent_at__gte=earliest)
        .filter(Q(state="sent") | Q(state="sending") | Q(state="unknown"))
        .values_list("mailbox_id", "sent_at")
    )
    sent_today = dict.fromkeys(ids, 0)
    starts = {m.pk: _local_day_start(m.timezone, now) for m in mailboxes}
    for mailbox_id, sent_at in today_rows:
        if sent_at >= starts[mailbox_id]:
            sent_today[mailbox_id] += 1
    rows = []
    for m in mailboxes:
        state = MailboxState(
            m.pk, m.daily_cap, m.ramp_start, m.ramp_step, m.ramp_started_on,
            m.min_gap_seconds, m.max_gap_seconds, m.timezone, m.status == "active",
        )  # fmt: skip
        sends = sent_recent.get(m.pk, 0)
        bounces = bounced.get(m.pk, 0)
        rows.append(
            {
                "mailbox": m,
                "sent_today": sent_today[m.pk],
                "cap_today": state.cap_on(starts[m.pk].date()),
                "sends_30d": sends,
                "bounces_30d": bounces,
                "bounce_rate": (bounces / sends) if sends else None,
            }
        )
    return rows


@workspace_view()
def mailboxes(request):
    found = list(scoped(Mailbox, request.access).only(*PUBLIC_FIELDS).order_by("email"))
    return render(request, "web/mailboxes.html", {"rows": health(found)})


def _dns_report(mailbox):
    from coldflow.config.loader import load_settings
    from coldflow.network import network_from_config
    from coldflow.send.domain_check import TxtLookup, check_domain

    network = network_from_config(load_settings())
    lookup = TxtLookup(network.nameserver, network.nameserver_port, timeout=5.0)
    # The private key stays on the model instance; only the report reaches the page.
    full = Mailbox.objects.only("dkim_selector", "dkim_private_key").get(pk=mailbox.pk)
    return check_domain(
        mailbox.email.rpartition("@")[2],
        lookup,
        dkim_selector=full.dkim_selector,
        dkim_private_key=full.dkim_private_key or "",
    )


@workspace_view()
def mailbox(request, pk: int):
    found = get_or_404(Mailbox.objects.only(*PUBLIC_FIELDS), request.access, pk=pk)
    report = _dns_report(found) if request.GET.get("dns") else None
    recent = Event.objects.filter(mailbox=found, kind__startswith="mailbox.").order_by("-at")[:20]
    context = {"row": health([found])[0], "report": report, "events": recent}
    return render(request, "web/mailbox.html", context)


@workspace_view(write=True)
@require_POST
def mailbox_pause(request, pk: int):
    found = get_or_404(Mailbox, request.access, pk=pk)
    reason = request.POST.get("reason", "").strip()[:500] or "paused in the dashboard"
    if pause_by_user(found, reason, by=request.access.actor):
        audit(request.access, "mailbox.pause", found, {"reason": reason})
        messages.success(request, f"{found.email} is paused.")
    else:
        messages.error(request, f"{found.email} is not active.")
    return redirect("mailbox", pk=pk)


@workspace_view(write=True)
@require_POST
def mailbox_resume(request, pk: int):
    found = get_or_404(Mailbox, request.access, pk=pk)
    before = resume(found, by=request.access.actor)
    if before is not None:
        audit(request.access, "mailbox.resume", found, {"status": [before, "active"]})
        messages.success(request, f"{found.email} sends again.")
    else:
        messages.error(request, f"{found.email} is already active.")
    return redirect("mailbox", pk=pk)
