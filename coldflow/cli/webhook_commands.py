"""`coldflow webhook add|list|remove|disable|enable|rotate-secret|test|deliveries`: outbound
webhooks (docs/webhooks.md)."""

from __future__ import annotations

import json

import click

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings

_WORKSPACE = click.option("--workspace", default=None, help="Workspace (default: the only one).")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _boot():
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.network import network_from_config
    from coldflow.webhooks.settings import webhook_settings

    return webhook_settings(config, network_from_config(config))


def _workspace(name: str | None):
    from coldflow.accounts.workspaces import resolve_workspace

    return resolve_workspace(name)


@click.group()
def webhook() -> None:
    """Outbound webhooks: signed POSTs to your URL when leads reply, bounce, unsubscribe…

    Event types: sent, replied, interested, bounced, unsubscribed, campaign_paused,
    mailbox_paused. See docs/webhooks.md for payloads and how to check signatures. Owners can
    also add, test, disable, rotate and delete endpoints on the dashboard's Settings page.
    """


@webhook.command("add")
@click.argument("url")
@click.option(
    "--events",
    default="",
    help="Comma-separated event types to receive (default: all), e.g. replied,interested.",
)
@_WORKSPACE
@_JSON
def add(url: str, events: str, workspace: str | None, as_json: bool) -> None:
    """Add an endpoint and print its signing secret (shown this once, stored encrypted)."""
    settings = _boot()
    from coldflow.webhooks.endpoints import add_endpoint

    endpoint, secret = add_endpoint(_workspace(workspace), url, events, settings)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "id": endpoint.pk,
                    "url": endpoint.url,
                    "events": endpoint.event_kinds,
                    "secret": secret,
                }
            )
        )
        return
    types = ", ".join(endpoint.event_kinds) or "all events"
    console.print(f"Added webhook {endpoint.pk}: {endpoint.url} ({types}).", markup=False)
    console.print(f"Signing secret (shown once, keep it safe): {secret}", markup=False)
    console.print(f"Next: `coldflow webhook test {endpoint.pk}`.", markup=False)


@webhook.command("list")
@_WORKSPACE
@_JSON
def list_endpoints(workspace: str | None, as_json: bool) -> None:
    """List endpoints with their event types and state (never secrets)."""
    _boot()
    from coldflow.webhooks.models import WebhookEndpoint

    rows = [
        {
            "id": e.pk,
            "url": e.url,
            "events": e.event_kinds,
            "active": e.active,
            "disabled_reason": e.disabled_reason,
            "created_at": e.created_at.isoformat(),
        }
        for e in WebhookEndpoint.objects.filter(workspace=_workspace(workspace)).order_by("id")
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("No webhooks yet: `coldflow webhook add URL`.")
    for row in rows:
        state = "active" if row["active"] else f"disabled ({row['disabled_reason'] or 'by a user'})"
        types = ",".join(row["events"]) or "all"
        console.print(f"{row['id']}  {row['url']}  {types}  {state}", markup=False)


@webhook.command("remove")
@click.argument("endpoint_id", type=int)
@_WORKSPACE
def remove(endpoint_id: int, workspace: str | None) -> None:
    """Delete an endpoint and its delivery log."""
    _boot()
    from coldflow.webhooks.endpoints import remove_endpoint

    endpoint = remove_endpoint(_workspace(workspace), endpoint_id)
    console.print(f"Removed webhook {endpoint_id} ({endpoint.url}).", markup=False)


@webhook.command("disable")
@click.argument("endpoint_id", type=int)
@click.option("--reason", default="", help="Why, shown in `webhook list` and on the dashboard.")
@_WORKSPACE
def disable(endpoint_id: int, reason: str, workspace: str | None) -> None:
    """Stop deliveries to an endpoint until it is enabled again (pending ones fail)."""
    _boot()
    from coldflow.webhooks.endpoints import find_endpoint, set_active

    endpoint = find_endpoint(_workspace(workspace), endpoint_id)
    set_active(endpoint, False, reason or "disabled from the command line")
    console.print(f"Disabled webhook {endpoint_id} ({endpoint.url}).", markup=False)


@webhook.command("enable")
@click.argument("endpoint_id", type=int)
@_WORKSPACE
def enable(endpoint_id: int, workspace: str | None) -> None:
    """Deliver new events to a disabled endpoint again."""
    _boot()
    from coldflow.webhooks.endpoints import find_endpoint, set_active

    endpoint = set_active(find_endpoint(_workspace(workspace), endpoint_id), True)
    console.print(f"Enabled webhook {endpoint_id} ({endpoint.url}).", markup=False)


@webhook.command("rotate-secret")
@click.argument("endpoint_id", type=int)
@_WORKSPACE
@_JSON
def rotate(endpoint_id: int, workspace: str | None, as_json: bool) -> None:
    """Make a new signing secret and print it (shown this once); the old one stops verifying."""
    _boot()
    from coldflow.webhooks.endpoints import find_endpoint, rotate_secret

    endpoint = find_endpoint(_workspace(workspace), endpoint_id)
    secret = rotate_secret(endpoint)
    if as_json:
        click.echo(json.dumps({"id": endpoint.pk, "secret": secret}))
        return
    console.print(
        f"New signing secret of webhook {endpoint_id} (shown once): {secret}", markup=False
    )


@webhook.command("test")
@click.argument("endpoint_id", type=int)
@_WORKSPACE
@_JSON
def test(endpoint_id: int, workspace: str | None, as_json: bool) -> None:
    """Send a signed `ping` delivery now and show the answer. Exit 1 unless it got a 2xx."""
    settings = _boot()
    from coldflow.webhooks.endpoints import find_endpoint, ping

    outcome = ping(find_endpoint(_workspace(workspace), endpoint_id), settings)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "delivery": outcome.delivery_id,
                    "state": outcome.state,
                    "status": outcome.status,
                    "error": outcome.error,
                }
            )
        )
    elif outcome.state == "delivered":
        console.print(f"✓ ping delivered ({outcome.status}).", markup=False)
    else:
        answer = f"answered {outcome.status}" if outcome.status else "no answer"
        console.print(f"✗ ping not delivered: {answer}; {outcome.error}", markup=False)
    if outcome.state != "delivered":
        raise SystemExit(1)


@webhook.command("deliveries")
@click.option("--failed", is_flag=True, help="Only deliveries that were given up on.")
@click.option("--endpoint", "endpoint_id", type=int, default=None, help="Only this endpoint.")
@click.option("--limit", type=int, default=50, show_default=True)
@_WORKSPACE
@_JSON
def deliveries(
    failed: bool, endpoint_id: int | None, limit: int, workspace: str | None, as_json: bool
) -> None:
    """The delivery log, newest first: state, attempts, last answer, every attempt with --json."""
    _boot()
    from django.db.models import Prefetch

    from coldflow.webhooks.models import WebhookAttempt, WebhookDelivery

    query = WebhookDelivery.objects.filter(endpoint__workspace=_workspace(workspace))
    if failed:
        query = query.filter(state="failed")
    if endpoint_id is not None:
        query = query.filter(endpoint_id=endpoint_id)
    query = query.select_related("endpoint").prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
    )
    rows = [
        {
            "id": d.pk,
            "endpoint": d.endpoint_id,
            "url": d.endpoint.url,
            "event_id": d.event_id,
            "type": d.event_type,
            "state": d.state,
            "attempts": d.attempts,
            "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
            "status": d.response_status,
            "error": d.last_error,
            "created_at": d.created_at.isoformat(),
            "attempt_log": [
                {
                    "number": a.number,
                    "at": a.at.isoformat(),
                    "status": a.status_code,
                    "latency_ms": a.latency_ms,
                    "response_excerpt": a.response_excerpt,
                    "error": a.error,
                }
                for a in d.attempt_log.all()
            ],
        }
        for d in query.order_by("-id")[: max(limit, 0)]
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("No deliveries.")
    for row in rows:
        status = row["status"] if row["status"] is not None else "-"
        error = f"  {row['error']}" if row["error"] else ""
        console.print(
            f"{row['id']}  {row['created_at'][:19]}  {row['type']:<15} → {row['url']}  "
            f"{row['state']} after {row['attempts']} attempt(s), last {status}{error}",
            markup=False,
        )
