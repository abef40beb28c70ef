"""Huey tasks of the send stage: thin wrappers around coldflow.send.delivery, .recovery and
.mailbox_checks."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey.contrib.djhuey import db_task

from coldflow.jobs.schedules import exclusive_periodic_task
from coldflow.send.delivery import DeliveryResult, deliver_batch
from coldflow.send.recovery import reap_stuck_sending, resolve_unknown
from coldflow.send.settings import current_send_settings

log = logging.getLogger(__name__)


def _follow_up(results: list[DeliveryResult]) -> None:
    """Retries and not-yet-due messages come back on their own at their time."""
    now = timezone.now()
    for result in results:
        if result.retry_at is not None:
            delay = max((result.retry_at - now).total_seconds(), 0)
            send_message.schedule(args=(result.message_pk,), delay=delay)


@db_task()
def send_message(message_pk: int) -> str:
    """Deliver one queued message (the dispatcher enqueues this)."""
    results = deliver_batch([message_pk])
    _follow_up(results)
    return results[0].outcome


@db_task()
def send_messages(message_pks: list[int]) -> list[str]:
    """Deliver several queued messages over one SMTP connection per mailbox."""
    results = deliver_batch(list(message_pks))
    _follow_up(results)
    return [r.outcome for r in results]


@db_task()
def check_mailbox_connection(mailbox_pk: int) -> bool | None:
    """Log in to the mailbox's SMTP and IMAP servers, look up its domain's SPF, DKIM and
    DMARC, and store the result on the mailbox (the dashboard shows it). True when both
    logins worked, None when the mailbox is gone."""
    from coldflow.send.mailbox_checks import run_stored_check

    outcome = run_stored_check(mailbox_pk)
    return None if outcome is None else outcome.servers.ok


@exclusive_periodic_task("SCHEDULE_SEND_RECOVERY")
def recover_unknown_sends() -> None:
    """Reap `sending` messages whose worker died; resolve `unknown` ones via the Sent folder."""
    settings = current_send_settings()
    reaped = reap_stuck_sending(settings.reaper_age)
    resolution = resolve_unknown(settings.resolve_grace, timeout=settings.smtp_timeout)
    for pk in resolution.requeued:
        send_message(pk)
    for error in resolution.errors:
        log.warning("resolving unknown sends: %s", error)
    if reaped or resolution.sent or resolution.requeued or resolution.failed:
        log.info(
            "send recovery: %d reaped, %d found sent, %d queued again, %d failed",
            reaped,
            len(resolution.sent),
            len(resolution.requeued),
            len(resolution.failed),
        )
