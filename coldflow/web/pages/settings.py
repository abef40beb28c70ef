"""Settings: search and LLM configuration (read-only, secrets shown only as set or not),
webhook endpoints with their delivery log, users and roles, API keys; and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coldflow.accounts.access import audit, get_or_404, scoped, workspace_view
from coldflow.accounts.api_keys import ApiKeyError, create_key, revoke_key
from coldflow.accounts.models import ApiKey, AuditEntry, Membership
from coldflow.api.pagination import CursorError, Ordering, page
from coldflow.webhooks.models import WebhookDelivery, WebhookEndpoint

SHOWN_GROUPS = ("discover", "llm")


def configuration_rows(config) -> list[dict]:
    """The search and LLM settings as shown to users: a secret only says whether it is set."""
    from coldflow.config.loader import redact
    from coldflow.config.registry import SETTINGS

    rows = []
    for setting in SETTINGS:
        if setting.group not in SHOWN_GROUPS:
            continue
        value = config[setting.name]
        if setting.kind == "secret":
            shown = "set" if value else "not set"
        elif setting.kind == "url" and value:
            shown = redact(str(value))
        else:
            shown = "" if value is None else str(value)
        rows.append(
            {"name": setting.name, "group": setting.group, "value": shown, "help": setting.help}
        )
    return rows


def _settings_context(access, new_key=None) -> dict:
    from coldflow.config.loader import load_settings

    config = load_settings()
    return {
        "configuration": configuration_rows(config),
        "search_provider": config["SEARCH_PROVIDER"],
        "llm_enabled": bool(config["LLM_BASE_URL"]),
        "endpoints": scoped(WebhookEndpoint, access).order_by("id"),
        "members": Membership.objects.filter(workspace=access.workspace)
        .select_related("user")
        .order_by("user__username"),
        "keys": scoped(ApiKey, access).select_related("created_by").order_by("-created_at"),
        "new_key": new_key,
    }


@workspace_view()
def settings_page(request):
    return render(request, "web/settings.html", _settings_context(request.access))


@workspace_view(write=True)
@require_POST
def api_key_create(request):
    access = request.access
    name = " ".join(request.POST.get("name", "").split())[:200]
    try:
        key = create_key(
            access.workspace,
            name,
            read_only=request.POST.get("read_only") == "on",
            created_by=access.user,
        )
    except ApiKeyError as exc:
        messages.error(request, str(exc))
        return redirect("settings")
    audit(
        access,
        "apikey.create",
        key.record,
        {"name": key.record.name, "read_only": key.record.read_only},
    )
    # Shown once, in this response only: the database keeps just its hash.
    context = _settings_context(access, {"name": key.record.name, "secret": key.secret})
    response = render(request, "web/settings.html", context, status=201)
    response["Cache-Control"] = "no-store"
    return response


@workspace_view(write=True)
@require_POST
def api_key_revoke(request, pk: int):
    access = request.access
    key = get_or_404(ApiKey, access, pk=pk)
    try:
        revoke_key(access.workspace, str(key.pk))
    except ApiKeyError as exc:
        messages.error(request, str(exc))
    else:
        audit(access, "apikey.revoke", key, {"name": key.name})
        messages.success(request, f"Revoked key {key.name} ({key.prefix}…).")
    return redirect("settings")


NEWEST = Ordering(("-id",))


@workspace_view()
def webhook_deliveries(request, pk: int):
    endpoint = get_or_404(WebhookEndpoint, request.access, pk=pk)
    rows = WebhookDelivery.objects.filter(endpoint=endpoint).prefetch_related("attempt_log")
    try:
        items, next_cursor = page(rows, NEWEST, (int,), request.GET.get("after"), 50)
    except CursorError:
        items, next_cursor = page(rows, NEWEST, (int,), None, 50)
    context = {"endpoint": endpoint, "deliveries": items, "next_cursor": next_cursor}
    return render(request, "web/webhook_deliveries.html", context)


@workspace_view()
def audit_log(request):
    rows = scoped(AuditEntry, request.access).select_related("user")
    action = request.GET.get("action", "").strip()[:64]
    if action:
        rows = rows.filter(action__startswith=action)
    try:
        items, next_cursor = page(rows, NEWEST, (int,), request.GET.get("after"), 100)
    except CursorError:
        items, next_cursor = page(rows, NEWEST, (int,), None, 100)
    return render(
        request, "web/audit.html", {"entries": items, "action": action, "next_cursor": next_cursor}
    )
