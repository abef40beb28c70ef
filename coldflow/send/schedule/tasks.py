"""The dispatcher's periodic task: one tick a minute, run by whichever worker takes it.

Only the scheduler process enqueues periodic tasks (coldflow.jobs.scheduler); a tick that
waited in the queue past its minute expires instead of piling up behind the next one.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coldflow.send.schedule.dispatch import dispatch_tick

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"), expires=55)
def dispatch() -> int:
    """Claim due sends of every running campaign and enqueue them."""
    result = dispatch_tick()
    if result.claimed or result.enrolled or result.stopped:
        log.info(
            "dispatch: %d queued, %d enrolled, %d advanced, %d completed, %d stopped",
            len(result.claimed),
            result.enrolled,
            result.advanced,
            result.completed,
            result.stopped,
        )
    return len(result.claimed)
