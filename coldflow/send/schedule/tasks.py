"""The dispatcher's periodic task: one tick a minute (SCHEDULE_DISPATCH), run by whichever
worker takes it.

Only the scheduler process enqueues periodic tasks (coldflow.jobs.scheduler); a tick that
waited in the queue past its minute expires instead of piling up behind the next one, and one
that finds the previous tick still running returns (coldflow.jobs.schedules).
"""

from __future__ import annotations

import logging

from coldflow.jobs.schedules import exclusive_periodic_task
from coldflow.send.schedule.dispatch import dispatch_tick

log = logging.getLogger(__name__)


@exclusive_periodic_task("SCHEDULE_DISPATCH")
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
