"""Delivering one webhook: claim it, POST it signed, log the attempt, decide what comes next.

The database is the queue: a delivery is due when it is pending and its next_attempt_at has
passed. A worker claims it with a conditional UPDATE that pushes next_attempt_at past the
attempt's timeout, so two workers never POST the same delivery at once, and a worker that dies
mid-attempt leaves a delivery that becomes due again by itself.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coldflow.analytics.models import Event
from coldflow.webhooks import transport
from coldflow.webhooks.events import EventFacts, build_payload
from coldflow.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from coldflow.webhooks.settings import WebhookSettings
from coldflow.webhooks.signing import sign

# Beyond the request timeout, how long a claim holds before another worker may retry.
_CLAIM_MARGIN = timedelta(seconds=30)


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    state: str  # pending (retry later), delivered, failed, or "skipped" (not ours / not due)
    status: int | None = None
    error: str = ""
    retry_at: datetime | None = None


def due(now: datetime, limit: int = 500) -> list[int]:
    """Ids of pending deliveries whose time has come, oldest first."""
    return list(
        WebhookDelivery.objects.filter(state=DeliveryState.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def claim(delivery_id: int, now: datetime, settings: WebhookSettings) -> bool:
    until = now + timedelta(seconds=settings.timeout) + _CLAIM_MARGIN
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .update(next_attempt_at=until)
    )
    return claimed == 1


def deliver(
    delivery_id: int,
    settings: WebhookSettings,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Outcome:
    """One attempt of a due delivery (nothing happens when it is not due or already taken)."""
    now = now or timezone.now()
    if not claim(delivery_id, now, settings):
        return Outcome(delivery_id, "skipped")
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    number = delivery.attempts + 1
    if not endpoint.active:
        result = transport.AttemptResult(
            None, 0, error=f"endpoint disabled: {endpoint.disabled_reason or 'by a user'}"
        )
        return _finish(delivery, number, now, result, settings, rng, give_up=True)
    body = json.dumps(
        build_payload(delivery.event_type, event_facts(delivery.event_id)),
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    timestamp = str(int(now.timestamp()))
    headers = {
        "X-Coldflow-Event": delivery.event_type,
        "X-Coldflow-Delivery": str(delivery.pk),
        "X-Coldflow-Timestamp": timestamp,
        "X-Coldflow-Signature": sign(endpoint.secret, timestamp, body),
    }
    result = transport.post(endpoint.url, body, headers, settings)
    return _finish(delivery, number, now, result, settings, rng)


def _finish(
    delivery: WebhookDelivery,
    number: int,
    now: datetime,
    result: transport.AttemptResult,
    settings: WebhookSettings,
    rng: random.Random | None,
    *,
    give_up: bool = False,
) -> Outcome:
    excerpt = result.excerpt[: settings.excerpt_bytes]
    error = result.error
    retry_at = None
    if result.delivered:
        state = DeliveryState.DELIVERED
    elif result.status == 410:
        state = DeliveryState.FAILED
        error = "410 Gone: the receiver asked for no more deliveries; endpoint disabled"
    elif give_up or number >= settings.max_attempts:
        state = DeliveryState.FAILED
        if not give_up:
            error = _describe(result) + f"; gave up after {number} attempts"
    else:
        state = DeliveryState.PENDING
        retry_at = timezone.now() + settings.retry_delay(number, rng)
        error = _describe(result)
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            at=now,
            status_code=result.status,
            latency_ms=result.latency_ms,
            response_excerpt=excerpt,
            error=_describe(result) if not result.delivered else "",
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=state,
            attempts=number,
            next_attempt_at=retry_at,
            response_status=result.status,
            response_excerpt=excerpt,
            last_error=error,
            delivered_at=timezone.now() if state == DeliveryState.DELIVERED else None,
        )
        if result.status == 410:
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
                active=False,
                disabled_reason=f"410 Gone from the receiver on {now:%Y-%m-%d %H:%M} UTC",
            )
    return Outcome(delivery.pk, state, result.status, error, retry_at)


def _describe(result: transport.AttemptResult) -> str:
    if result.error:
        return result.error
    if result.status is not None and not result.delivered:
        return f"receiver answered {result.status}"
    return ""


def event_facts(event_id: int) -> EventFacts:
    """The event and what it refers to, read for its payload (ids and a few plain fields)."""
    event = Event.objects.select_related(
        "workspace",
        "campaign",
        "lead__person",
        "lead__email",
        "lead__company",
        "message",
        "mailbox",
    ).get(pk=event_id)
    campaign = lead = message = mailbox = None
    if event.campaign is not None:
        campaign = {"id": event.campaign.pk, "name": event.campaign.name}
    if event.lead is not None:
        lead = {
            "id": event.lead.pk,
            "email": event.lead.email.address if event.lead.email else None,
            "name": event.lead.person.full_name,
            "company_domain": event.lead.company.domain,
            "status": event.lead.status,
        }
    if event.message is not None:
        message = {
            "id": event.message.pk,
            "message_id": event.message.message_id,
            "to": event.message.to_address,
            "subject": event.message.subject,
        }
    if event.mailbox is not None:
        mailbox = {"id": event.mailbox.pk, "email": event.mailbox.email}
    return EventFacts(
        event_id=event.pk,
        kind=event.kind,
        at=event.at,
        workspace_id=event.workspace_id,
        workspace_slug=event.workspace.slug if event.workspace else "",
        data=event.data,
        campaign=campaign,
        lead=lead,
        message=message,
        mailbox=mailbox,
    )
