"""The worker's periodic inbox read: one job per mailbox, never two at once for the same one."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

log = logging.getLogger(__name__)

_MINUTES = settings.CONFIG["INBOX_POLL_MINUTES"]


@db_task()
def poll_inbox(mailbox_id: int) -> None:
    from coldflow.listen.inbox import ListenSettings, poll_mailbox
    from coldflow.send.models import Mailbox

    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
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


if _MINUTES > 0:

    @db_periodic_task(crontab(minute=f"*/{min(_MINUTES, 59)}"))
    def poll_inboxes() -> None:
        from coldflow.listen.inbox import mailboxes_to_poll

        for mailbox in mailboxes_to_poll():
            poll_inbox(mailbox.pk)
