"""Huey tasks of webhooks: a periodic sweep (SCHEDULE_WEBHOOK_DELIVERY: events → deliveries,
due → queued) and one delivery attempt per task."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey.contrib.djhuey import db_task

from coldflow.jobs.schedules import exclusive_periodic_task
from coldflow.webhooks import delivery, fanout
from coldflow.webhooks.settings import current_webhook_settings

log = logging.getLogger(__name__)


@exclusive_periodic_task("SCHEDULE_WEBHOOK_DELIVERY")
def webhooks_tick() -> None:
    """Fan out new events, then queue every delivery that is due (first tries and retries)."""
    now = timezone.now()
    report = fanout.sweep(now)
    if report.events:
        log.info("webhooks: %d new events, %d deliveries offered", report.events, report.offered)
    for delivery_id in delivery.due(now):
        deliver_webhook(delivery_id)


@db_task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt of one delivery; a retry is queued for its time (the tick is the backstop)."""
    outcome = delivery.deliver(delivery_id, current_webhook_settings())
    if outcome.retry_at is not None:
        delay = max((outcome.retry_at - timezone.now()).total_seconds(), 0)
        deliver_webhook.schedule(args=(delivery_id,), delay=delay)
    if outcome.state == "failed":
        log.warning("webhook delivery %d failed: %s", delivery_id, outcome.error)
    return outcome.state
