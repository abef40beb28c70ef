"""Managing a workspace's webhook endpoints: add, remove, ping."""

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
from coldflow.webhooks.transport import validate_url


def add_endpoint(
    workspace: Workspace, url: str, event_types: str | list[str] | None, settings: WebhookSettings
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown once: it is stored encrypted)."""
    types = parse_event_types(event_types)
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


def ping(endpoint: WebhookEndpoint, settings: WebhookSettings) -> delivery.Outcome:
    """Send a `ping` delivery to this endpoint now (once, no retries) and log it."""
    with transaction.atomic():
        event = record(
            PING.kind, workspace_id=endpoint.workspace_id, data={"endpoint_id": endpoint.pk}
        )
        row = WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, event_type=PING.name, next_attempt_at=timezone.now()
        )
    return delivery.deliver(row.pk, replace(settings, max_attempts=1))
