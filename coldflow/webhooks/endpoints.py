"""Managing a workspace's webhook endpoints: add, disable or enable, rotate the secret, remove,
ping. `coldflow webhook` and the dashboard's Settings page both call these."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from coldflow.accounts.models import Workspace
from coldflow.analytics.events import record
from coldflow.errors import UserError
from coldflow.webhooks import delivery
from coldflow.webhooks.events import PING, parse_event_types
from coldflow.webhooks.models import WebhookDelivery, WebhookEndpoint
from coldflow.webhooks.settings import WebhookSettings
from coldflow.webhooks.signing import generate_secret
from coldflow.webhooks.tasks import deliver_webhook
from coldflow.webhooks.transport import validate_url

# WebhookEndpoint.url's column size.
MAX_URL_LENGTH = 2000


def add_endpoint(
    workspace: Workspace, url: str, event_types: str | list[str] | None, settings: WebhookSettings
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown once: it is stored encrypted)."""
    types = parse_event_types(event_types)
    if len(url.strip()) > MAX_URL_LENGTH:
        raise UserError(f"webhook URL is longer than {MAX_URL_LENGTH} characters")
    url = validate_url(url, settings)
    secret = generate_secret()
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, url=url, secret=secret, event_kinds=types
    )
    return endpoint, secret


def find_endpoint(workspace: Workspace, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(workspace=workspace, pk=endpoint_id).first()
    if endpoint is None:
        raise UserError(f"no webhook endpoint {endpoint_id} in workspace {workspace.name}")
    return endpoint


def remove_endpoint(workspace: Workspace, endpoint_id: int) -> WebhookEndpoint:
    """Delete the endpoint and its delivery log."""
    endpoint = find_endpoint(workspace, endpoint_id)
    endpoint.delete()
    return endpoint


def set_active(endpoint: WebhookEndpoint, active: bool, reason: str = "") -> WebhookEndpoint:
    """Resume or stop deliveries. While an endpoint is disabled it gets no new events, and
    deliveries still pending for it fail at their next attempt instead of being sent."""
    endpoint.active = active
    endpoint.disabled_reason = "" if active else (reason or "disabled by a user")[:500]
    endpoint.save(update_fields=["active", "disabled_reason"])
    return endpoint


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    """A new signing secret (shown once, like the first). Every attempt from now on, retries
    of earlier events too, is signed with it: the old secret stops verifying at once."""
    secret = generate_secret()
    endpoint.secret = secret
    endpoint.save(update_fields=["secret"])
    return secret


def _ping_delivery(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A `ping` event for this endpoint only, and its delivery, due now."""
    with transaction.atomic():
        event = record(
            PING.kind, workspace_id=endpoint.workspace_id, data={"endpoint_id": endpoint.pk}
        )
        return WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, event_type=PING.name, next_attempt_at=timezone.now()
        )


def ping(endpoint: WebhookEndpoint, settings: WebhookSettings) -> delivery.Outcome:
    """Send a `ping` delivery to this endpoint now (once, no retries) and log it."""
    row = _ping_delivery(endpoint)
    return delivery.deliver(row.pk, replace(settings, max_attempts=1))


def queue_ping(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a `ping` delivery for the workers, like any event's: retried on failure, every
    attempt in the endpoint's delivery log. (The dashboard's "Send a test event".)"""
    if not endpoint.active:
        raise UserError("this endpoint is disabled: enable it to send a test event")
    with transaction.atomic():
        row = _ping_delivery(endpoint)
        # After the commit, so that a worker in another process finds the row; the tick
        # picks it up as well should the queue lose the task.
        transaction.on_commit(lambda: deliver_webhook(row.pk))
    return row
