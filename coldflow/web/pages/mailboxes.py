"""Mailboxes and their health: today's sends against the (ramped) cap, bounce rate, the last
connection check (SMTP and IMAP login, SPF/DKIM/DMARC, run by a worker:
coldflow.send.mailbox_checks), pause and resume; adding, changing and removing a mailbox
through the same functions as `coldflow mailbox` (coldflow.send.mailboxes).

No secret field of a mailbox is ever read into a template: the forms never show a stored
password or key back (left empty, the stored one stays), and audit entries name what
changed, never a secret's value."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coldflow.accounts.access import audit, get_or_404, scoped, workspace_view
from coldflow.analytics.models import Event
from coldflow.send.mailbox_checks import check_pending, request_check
from coldflow.send.mailboxes import (
    CONNECTION_FIELDS,
    MailboxError,
    MailboxSpec,
    create_mailbox,
    pause_mailbox,
    removal_preview,
    remove_mailbox,
    resume,
    update_mailbox,
)
from coldflow.send.models import Mailbox, MailboxStatus, OutboundMessage
from coldflow.send.schedule.planner import MailboxState

# Only these columns of Mailbox reach a page (never passwords, tokens or keys).
PUBLIC_FIELDS = (
    "id", "email", "display_name", "smtp_host", "smtp_port", "smtp_security", "smtp_username",
    "imap_host", "imap_port", "imap_security", "imap_username", "auth_method", "daily_cap",
    "ramp_start", "ramp_step", "ramp_started_on", "min_gap_seconds", "max_gap_seconds",
    "timezone", "append_to_sent", "sent_folder", "dkim_selector", "status", "status_reason",
    "status_changed_at", "last_sent_at", "workspace_id", "check_requested_at", "checked_at",
    "check_ok", "check_result",
)  # fmt: skip
BOUNCE_WINDOW_DAYS = 30
# A check not finished this long after it was asked for is waiting for a worker that is not
# running.
CHECK_WAIT_WARNING = timedelta(minutes=2)


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
    archived = request.GET.get("archived") == "1"
    found = scoped(Mailbox, request.access).only(*PUBLIC_FIELDS).order_by("email")
    if archived:
        found = found.filter(status=MailboxStatus.ARCHIVED)
    else:
        found = found.exclude(status=MailboxStatus.ARCHIVED)
    context = {
        "rows": health(list(found)),
        "archived": archived,
        "archived_count": scoped(Mailbox, request.access)
        .filter(status=MailboxStatus.ARCHIVED)
        .count(),
    }
    return render(request, "web/mailboxes.html", context)


def get_public(mailbox: Mailbox | None) -> Mailbox | None:
    return None if mailbox is None else Mailbox.objects.only(*PUBLIC_FIELDS).get(pk=mailbox.pk)


def _check_context(mailbox) -> dict:
    pending = check_pending(mailbox)
    return {
        "check": mailbox.check_result or {},
        "check_pending": pending,
        "check_stalled": pending
        and timezone.now() - mailbox.check_requested_at > CHECK_WAIT_WARNING,
    }


@workspace_view()
def mailbox(request, pk: int):
    found = get_or_404(Mailbox.objects.only(*PUBLIC_FIELDS), request.access, pk=pk)
    if request.GET.get("part") == "check":
        # The check panel alone: the page asks for it again while a check is running.
        context = {"mailbox": found} | _check_context(found)
        return render(request, "web/_mailbox_check.html", context)
    recent = Event.objects.filter(mailbox=found, kind__startswith="mailbox.").order_by("-at")[:20]
    context = {"row": health([found])[0], "mailbox": found, "events": recent}
    return render(request, "web/mailbox.html", context | _check_context(found))


# --- adding and changing ------------------------------------------------------------------

SECURITY_CHOICES = (
    ("starttls", "STARTTLS"),
    ("tls", "TLS (implicit)"),
    ("plain", "None (a server on this machine only)"),
)
# Form fields shown back after a refused submission; passwords and keys never are.
ECHOED = (
    "email", "display_name", "smtp_host", "smtp_port", "smtp_security", "username",
    "imap_host", "imap_port", "imap_security", "imap_username", "daily_cap", "ramp_start",
    "ramp_step", "min_gap_seconds", "max_gap_seconds", "timezone", "dkim_selector",
    "sent_folder", "server_files_sent",
)  # fmt: skip
NUMBERS = {
    "smtp_port": "SMTP port",
    "imap_port": "IMAP port",
    "daily_cap": "Daily cap",
    "ramp_start": "Emails on the first day",
    "ramp_step": "Emails added each day",
    "min_gap_seconds": "Shortest gap",
    "max_gap_seconds": "Longest gap",
}


def _number(post, name: str) -> int:
    raw = post.get(name, "").strip()
    try:
        return int(raw)
    except ValueError:
        raise MailboxError(f"{NUMBERS[name]} must be a whole number (got {raw[:20]!r})") from None


def _read_form(post, email: str) -> MailboxSpec:
    """The form as a MailboxSpec; the checks proper are coldflow.send.mailboxes'."""
    numbers = {name: _number(post, name) for name in NUMBERS}
    return MailboxSpec(
        email=email.strip(),
        display_name=post.get("display_name", "").strip()[:200],
        smtp_host=post.get("smtp_host", "").strip(),
        smtp_port=numbers["smtp_port"],
        smtp_security=post.get("smtp_security", ""),
        smtp_username=post.get("username", "").strip(),
        imap_host=post.get("imap_host", "").strip(),
        imap_port=numbers["imap_port"],
        imap_security=post.get("imap_security", ""),
        imap_username=post.get("imap_username", "").strip(),
        password=post.get("password", ""),
        daily_cap=numbers["daily_cap"],
        ramp_start=numbers["ramp_start"],
        ramp_step=numbers["ramp_step"],
        min_gap_seconds=numbers["min_gap_seconds"],
        max_gap_seconds=numbers["max_gap_seconds"],
        timezone=post.get("timezone", "").strip() or "UTC",
        dkim_selector=post.get("dkim_selector", "").strip(),
        dkim_private_key=post.get("dkim_private_key", "").strip(),
        append_to_sent=post.get("server_files_sent") != "on",
        sent_folder=post.get("sent_folder", "").strip() or "Sent",
    )


def _form_values(mailbox: Mailbox | None) -> dict:
    """What the form starts with: the mailbox's settings, or a new mailbox's defaults."""
    source = mailbox or Mailbox()
    return {
        "email": source.email,
        "display_name": source.display_name,
        "smtp_host": source.smtp_host,
        "smtp_port": source.smtp_port,
        "smtp_security": source.smtp_security,
        "username": source.smtp_username,
        "imap_host": source.imap_host,
        "imap_port": source.imap_port,
        "imap_security": source.imap_security,
        # Shown only where it differs from the SMTP user name.
        "imap_username": ""
        if source.imap_username == source.smtp_username
        else source.imap_username,
        "daily_cap": source.daily_cap,
        "ramp_start": source.ramp_start,
        "ramp_step": source.ramp_step,
        "min_gap_seconds": source.min_gap_seconds,
        "max_gap_seconds": source.max_gap_seconds,
        "timezone": source.timezone,
        "dkim_selector": source.dkim_selector,
        "sent_folder": source.sent_folder,
        "server_files_sent": "" if source.append_to_sent else "on",
    }


def _render_form(request, mailbox, values: dict, error: str | None = None):
    context = {
        # Read again without its secrets: the template gets the public columns only.
        "mailbox": get_public(mailbox),
        "values": values,
        "error": error,
        "security_choices": SECURITY_CHOICES,
        "back_to_campaign": request.GET.get("next") == "campaign-new",
        "oauth": mailbox is not None and mailbox.auth_method == "oauth2",
        # Whether a key is stored, never the key.
        "has_dkim_key": mailbox is not None
        and Mailbox.objects.filter(pk=mailbox.pk).exclude(dkim_private_key="").exists(),
    }
    return render(request, "web/mailbox_form.html", context, status=400 if error else 200)


def _public_settings(mailbox: Mailbox) -> dict:
    """A mailbox's settings for the audit trail: servers, users and rules, no secret."""
    return {
        "email": mailbox.email,
        "smtp": f"{mailbox.smtp_host}:{mailbox.smtp_port} ({mailbox.smtp_security})",
        "imap": (
            f"{mailbox.imap_host}:{mailbox.imap_port} ({mailbox.imap_security})"
            if mailbox.imap_host
            else ""
        ),
        "username": mailbox.smtp_username,
        "daily_cap": mailbox.daily_cap,
        "ramp": [mailbox.ramp_start, mailbox.ramp_step],
        "gaps": [mailbox.min_gap_seconds, mailbox.max_gap_seconds],
        "timezone": mailbox.timezone,
    }


@workspace_view(write=True)
def mailbox_new(request):
    if request.method != "POST":
        return _render_form(request, None, _form_values(None))
    values = {name: request.POST.get(name, "") for name in ECHOED}
    try:
        spec = _read_form(request.POST, request.POST.get("email", ""))
        with transaction.atomic():
            made = create_mailbox(request.access.workspace, spec)
            audit(request.access, "mailbox.add", made, _public_settings(made))
            request_check(made)
    except MailboxError as error:
        return _render_form(request, None, values, str(error))
    messages.success(
        request, f"Added {made.email}. A worker is checking its logins and DNS records now."
    )
    if request.GET.get("next") == "campaign-new":
        # Back to the campaign being created, at its mailbox step (its state is in the session).
        return redirect(reverse("campaign-new") + "?step=mailboxes")
    return redirect("mailbox", pk=made.pk)


@workspace_view(write=True)
def mailbox_edit(request, pk: int):
    found = get_or_404(Mailbox, request.access, pk=pk)
    if found.status == MailboxStatus.ARCHIVED:
        messages.error(request, f"{found.email} was removed: add it again to use it.")
        return redirect("mailbox", pk=pk)
    if request.method != "POST":
        return _render_form(request, found, _form_values(found))
    values = {name: request.POST.get(name, "") for name in ECHOED} | {"email": found.email}
    try:
        spec = _read_form(request.POST, found.email)
        with transaction.atomic():
            changed = update_mailbox(found, spec)
            if changed:
                audit(request.access, "mailbox.change", found, {"changed": changed})
            if set(changed) & {*CONNECTION_FIELDS, "password", "dkim_private_key"}:
                request_check(found)
    except MailboxError as error:
        return _render_form(request, found, values, str(error))
    if changed:
        shown = ", ".join(name.replace("_", " ") for name in changed)
        messages.success(request, f"Saved {found.email}: {shown} changed.")
    else:
        messages.success(request, f"Nothing changed on {found.email}.")
    return redirect("mailbox", pk=pk)


@workspace_view(write=True)
@require_POST
def mailbox_check(request, pk: int):
    found = get_or_404(Mailbox, request.access, pk=pk)
    if found.status == MailboxStatus.ARCHIVED:
        messages.error(request, f"{found.email} was removed: there is nothing to check.")
        return redirect("mailbox", pk=pk)
    with transaction.atomic():
        audit(request.access, "mailbox.check", found)
        request_check(found)
    messages.success(request, f"A worker is checking {found.email} again.")
    return redirect("mailbox", pk=pk)


@workspace_view(write=True)
def mailbox_remove(request, pk: int):
    """GET: what removing would do, or why it cannot be removed now. POST: remove it."""
    found = get_or_404(Mailbox, request.access, pk=pk)
    if found.status == MailboxStatus.ARCHIVED:
        messages.error(request, f"{found.email} is already removed.")
        return redirect("mailbox", pk=pk)
    if request.method == "POST":
        try:
            with transaction.atomic():
                done = remove_mailbox(found, by=request.access.actor)
                audit(
                    request.access,
                    "mailbox.remove",
                    found,
                    {"stopped_enrollments": done.enrollments, "campaigns": done.campaigns},
                )
        except MailboxError as error:
            messages.error(request, str(error))
            return redirect("mailbox-remove", pk=pk)
        messages.success(
            request,
            f"Removed {found.email}: {done.enrollments} sequence"
            f"{'' if done.enrollments == 1 else 's'} through it stopped. Its history stays; "
            "adding the address again brings it back.",
        )
        return redirect("mailboxes")
    context = {"mailbox": get_public(found), "preview": removal_preview(found)}
    return render(request, "web/mailbox_remove.html", context)


# --- pause and resume ---------------------------------------------------------------------


@workspace_view(write=True)
@require_POST
def mailbox_pause(request, pk: int):
    found = get_or_404(Mailbox, request.access, pk=pk)
    reason = request.POST.get("reason", "").strip()[:500] or "paused in the dashboard"
    if pause_mailbox(found, reason, by=request.access.actor):
        audit(request.access, "mailbox.pause", found, {"reason": reason})
        messages.success(request, f"{found.email} is paused.")
    else:
        messages.error(request, f"{found.email} is not active.")
    return redirect("mailbox", pk=pk)


@workspace_view(write=True)
@require_POST
def mailbox_resume(request, pk: int):
    found = get_or_404(Mailbox, request.access, pk=pk)
    if found.status == MailboxStatus.ARCHIVED:
        messages.error(request, f"{found.email} was removed: add it again to use it.")
        return redirect("mailbox", pk=pk)
    before = resume(found, by=request.access.actor)
    if before is not None:
        audit(request.access, "mailbox.resume", found, {"status": [before, "active"]})
        messages.success(request, f"{found.email} sends again.")
    else:
        messages.error(request, f"{found.email} is already active.")
    return redirect("mailbox", pk=pk)
