"""Running the job queue's consumer, with or without the scheduler."""

from __future__ import annotations

import logging
import threading

from django.utils.module_loading import autodiscover_modules

from coldflow.jobs.scheduler import acquire_lease, keep_lease, release_lease

log = logging.getLogger("coldflow.jobs")


def run_consumer(*, workers: int, scheduler: bool) -> None:
    """Consume jobs until SIGINT/SIGTERM. With `scheduler`, also enqueue periodic jobs.

    Raises LeaseHeld when `scheduler` is asked for and another process already is the
    scheduler.
    """
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")
    stop_lease = threading.Event()
    if scheduler:
        acquire_lease()
        keep_lease(stop_lease)
    consumer = HUEY.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=scheduler,
        check_worker_health=True,
        flush_locks=scheduler,
    )
    try:
        consumer.run()
    finally:
        stop_lease.set()
        if scheduler:
            release_lease()
