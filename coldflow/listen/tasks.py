"""The worker's periodic inbox read (SCHEDULE_INBOX_POLL): one job per mailbox, never two at
once for the same one."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import HUEY, db_task
from huey.exceptions import TaskLockedException

from coldflow.jobs.schedules import exclusive_periodic_task

log = logging.getLogger(__name__)


@db_task()
def poll_inbox(mailbox_id: int) -> None:
    from coldflow.listen.inbox import ListenSettings, poll_mailbox
    from coldflow.send.models import Mailbox

    # Removed meanwhile: nothing to read, no credentials to read it with.
    mailbox = Mailbox.objects.filter(pk=mailbox_id).exclude(status="archived").first()
    if mailbox is None:
        return
    try:
        with HUEY.lock_task(f"inbox-poll-{mailbox_id}"):
            report = poll_mailbox(mailbox, ListenSettings.from_config(settings.CONFIG))
    except TaskLockedException:
        # The previous read of this mailbox is still going; it will pick up the new mail.
        return
    if report.error:
        log.warning("inbox %s: %s", mailbox.email, report.error)


@exclusive_periodic_task("SCHEDULE_INBOX_POLL")
def poll_inboxes() -> None:
    from coldflow.listen.inbox import mailboxes_to_poll

    for mailbox in mailboxes_to_poll():
        poll_inbox(mailbox.pk)
