"""Settings: search and LLM configuration (read-only, secrets shown only as set or not),
webhook endpoints with their delivery log, users and roles, API keys; and the audit log.

Webhook endpoints and the workspace's people are managed by owners only: an endpoint receives
lead data and holds a signing secret, and who may see the workspace is the owner's call. The
work itself is done by the same functions as `coldflow webhook` and `coldflow createuser`
(coldflow.webhooks.endpoints, coldflow.accounts.users).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coldflow.accounts import users
from coldflow.accounts.access import audit, get_or_404, scoped, workspace_view
from coldflow.accounts.api_keys import ApiKeyError, create_key, revoke_key
from coldflow.accounts.models import ApiKey, AuditEntry, Membership, Role
from coldflow.api.pagination import CursorError, Ordering, page
from coldflow.errors import UserError
from coldflow.webhooks import endpoints as webhook_endpoints
from coldflow.webhooks.events import PUBLIC_TYPES
from coldflow.webhooks.models import WebhookDelivery, WebhookEndpoint
from coldflow.webhooks.settings import current_webhook_settings

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


def _settings_context(access, **shown) -> dict:
    """The page's rows, plus what this response shows once (`new_key`, `new_webhook`: a
    secret) or again (`webhook_form`, `member_form`: what was typed, with its error)."""
    from coldflow.config.loader import load_settings

    config = load_settings()
    return {
        "configuration": configuration_rows(config),
        "search_provider": config["SEARCH_PROVIDER"],
        "llm_enabled": bool(config["LLM_BASE_URL"]),
        "endpoints": scoped(WebhookEndpoint, access).order_by("id"),
        "event_types": PUBLIC_TYPES,
        "members": Membership.objects.filter(workspace=access.workspace)
        .select_related("user")
        .order_by("user__username"),
        "roles": Role.choices,
        "keys": scoped(ApiKey, access).select_related("created_by").order_by("-created_at"),
        "new_key": None,
        "new_webhook": None,
        "webhook_form": {},
        "member_form": {},
        **shown,
    }


def _failed(what: str, error: Exception) -> str:
    """`what` and the error's reason as one sentence, with one full stop at the end."""
    return f"{what}: {str(error).rstrip('.')}."


def _settings(request, status: int = 200, **shown):
    response = render(
        request, "web/settings.html", _settings_context(request.access, **shown), status=status
    )
    if shown.get("new_key") or shown.get("new_webhook"):
        # A secret is in this response only: no cache may keep it.
        response["Cache-Control"] = "no-store"
    return response


@workspace_view()
def settings_page(request):
    return _settings(request)


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
    return _settings(request, 201, new_key={"name": key.record.name, "secret": key.secret})


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


# --- webhook endpoints (owners) ---------------------------------------------------------


@workspace_view(owner=True)
@require_POST
def webhook_create(request):
    access = request.access
    url = request.POST.get("url", "").strip()
    events = request.POST.getlist("events")
    try:
        endpoint, secret = webhook_endpoints.add_endpoint(
            access.workspace, url, events, current_webhook_settings()
        )
    except UserError as exc:
        form = {"url": url, "events": events, "error": _failed("Not added", exc)}
        return _settings(request, 400, webhook_form=form)
    audit(
        access,
        "webhook.create",
        endpoint,
        {"url": endpoint.shown_url, "events": endpoint.event_kinds},
    )
    # Shown once, in this response only (stored encrypted, never displayed again).
    shown = {"id": endpoint.pk, "url": endpoint.url, "secret": secret, "rotated": False}
    return _settings(request, 201, new_webhook=shown)


@workspace_view(owner=True)
@require_POST
def webhook_disable(request, pk: int):
    access = request.access
    endpoint = get_or_404(WebhookEndpoint, access, pk=pk)
    reason = f"disabled by {access.actor} on {timezone.now():%Y-%m-%d %H:%M} UTC"
    webhook_endpoints.set_active(endpoint, False, reason)
    audit(access, "webhook.disable", endpoint, {"url": endpoint.shown_url})
    messages.success(request, f"Disabled {endpoint.url}: it receives nothing until enabled.")
    return redirect("settings")


@workspace_view(owner=True)
@require_POST
def webhook_enable(request, pk: int):
    access = request.access
    endpoint = get_or_404(WebhookEndpoint, access, pk=pk)
    webhook_endpoints.set_active(endpoint, True)
    audit(access, "webhook.enable", endpoint, {"url": endpoint.shown_url})
    messages.success(request, f"Enabled {endpoint.url}: new events are delivered again.")
    return redirect("settings")


@workspace_view(owner=True)
@require_POST
def webhook_delete(request, pk: int):
    access = request.access
    endpoint = get_or_404(WebhookEndpoint, access, pk=pk)
    webhook_endpoints.remove_endpoint(access.workspace, pk)
    audit(access, "webhook.delete", ("webhookendpoint", pk), {"url": endpoint.shown_url})
    messages.success(request, f"Deleted {endpoint.url} and its delivery log.")
    return redirect("settings")


@workspace_view(owner=True)
@require_POST
def webhook_rotate(request, pk: int):
    access = request.access
    endpoint = get_or_404(WebhookEndpoint, access, pk=pk)
    secret = webhook_endpoints.rotate_secret(endpoint)
    audit(access, "webhook.rotate_secret", endpoint, {"url": endpoint.shown_url})
    shown = {"id": endpoint.pk, "url": endpoint.url, "secret": secret, "rotated": True}
    return _settings(request, new_webhook=shown)


@workspace_view(owner=True)
@require_POST
def webhook_test(request, pk: int):
    access = request.access
    endpoint = get_or_404(WebhookEndpoint, access, pk=pk)
    try:
        row = webhook_endpoints.queue_ping(endpoint)
    except UserError as exc:
        messages.error(request, _failed("No test event sent", exc))
        return redirect("settings")
    audit(access, "webhook.test", endpoint, {"url": endpoint.shown_url, "delivery": row.pk})
    messages.success(
        request,
        f"Test event queued as delivery {row.pk}. A worker sends it shortly; reload this page "
        f"to see the receiver's answer.",
    )
    return redirect("settings-webhook", pk=endpoint.pk)


# --- users and roles (owners) -----------------------------------------------------------


def _role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


@workspace_view(owner=True)
@require_POST
def member_add(request):
    access = request.access
    kind = request.POST.get("kind", "new")
    username = request.POST.get("username", "").strip()
    email = request.POST.get("email", "").strip()
    role = request.POST.get("role", "")
    try:
        if kind == "existing":
            membership = users.add_existing_user(access.workspace, username=username, role=role)
        else:
            membership = users.add_new_user(
                access.workspace,
                username=username,
                email=email,
                password=request.POST.get("password", ""),
                role=role,
            )
    except UserError as exc:
        # What was typed comes back, the password never does.
        form = {"kind": kind, "username": username, "email": email, "role": role}
        return _settings(request, 400, member_form={**form, "error": _failed("Not added", exc)})
    user = membership.user
    audit(
        access,
        "member.add",
        ("user", user.pk),
        {"username": user.get_username(), "role": membership.role, "new_user": kind != "existing"},
    )
    messages.success(
        request,
        f"Added {user.get_username()} as {_role_label(membership.role)}."
        + (
            " Give them their password in person or over a channel you trust."
            if kind != "existing"
            else ""
        ),
    )
    return redirect("settings")


@workspace_view(owner=True)
@require_POST
def member_role(request, pk: int):
    access = request.access
    membership = get_or_404(Membership.objects.select_related("user", "workspace"), access, pk=pk)
    role = request.POST.get("role", "")
    username = membership.user.get_username()
    try:
        before = users.change_role(membership, role)
    except users.LastOwnerError as exc:
        messages.error(request, _failed("Role not changed", exc))
        return _settings(request, 409)
    except UserError as exc:
        messages.error(request, _failed("Role not changed", exc))
        return _settings(request, 400)
    if before != role:
        audit(
            access,
            "member.role",
            ("user", membership.user_id),
            {"username": username, "from": before, "to": role},
        )
    messages.success(request, f"{username} is now {_role_label(role)}.")
    return redirect("settings")


@workspace_view(owner=True)
@require_POST
def member_remove(request, pk: int):
    access = request.access
    membership = get_or_404(Membership.objects.select_related("user", "workspace"), access, pk=pk)
    username = membership.user.get_username()
    try:
        users.remove_member(membership)
    except users.LastOwnerError as exc:
        messages.error(request, _failed("Not removed", exc))
        return _settings(request, 409)
    except UserError as exc:
        messages.error(request, _failed("Not removed", exc))
        return _settings(request, 400)
    audit(
        access,
        "member.remove",
        ("user", membership.user_id),
        {"username": username, "role": membership.role},
    )
    messages.success(request, f"Removed {username} from {access.workspace.name}.")
    if membership.user_id == access.user.pk:
        # They left the workspace: its settings are no longer theirs to see.
        return redirect("home")
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
