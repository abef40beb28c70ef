"""Exactly one scheduler per installation, enforced with a lease in the database.

Huey's scheduler enqueues periodic tasks from whichever consumer runs it; two schedulers would
enqueue every periodic task twice. The process that runs the scheduler (`coldflow run`, or
`coldflow worker --scheduler`) takes this lease first and renews it every minute; a second one
is refused with the holder's name, and a dead holder's lease expires after LEASE_SECONDS.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, transaction
from django.utils import timezone

from coldflow.jobs.models import SchedulerLease

LEASE_NAME = "scheduler"
LEASE_SECONDS = 180


class LeaseHeld(Exception):
    pass


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


_holder: str | None = None


def acquire_lease() -> None:
    """Become the scheduler, or raise LeaseHeld naming who is."""
    global _holder
    me = worker_identity()
    now = timezone.now()
    expires = now + timedelta(seconds=LEASE_SECONDS)
    with transaction.atomic():
        lease, created = SchedulerLease.objects.select_for_update().get_or_create(
            name=LEASE_NAME, defaults={"holder": me, "acquired_at": now, "expires_at": expires}
        )
        if not created:
            if lease.holder != me and lease.expires_at > now:
                raise LeaseHeld(
                    f"another scheduler is running ({lease.holder}, lease until "
                    f"{lease.expires_at:%H:%M:%S} UTC); start this process without the "
                    "scheduler, or stop the other one"
                )
            lease.holder, lease.acquired_at, lease.expires_at = me, now, expires
            lease.save()
    _holder = me


def renew_lease() -> bool:
    """Extend our lease; False when it was lost (taken over after it expired)."""
    if _holder is None:
        return False
    renewed = SchedulerLease.objects.filter(name=LEASE_NAME, holder=_holder).update(
        expires_at=timezone.now() + timedelta(seconds=LEASE_SECONDS)
    )
    return renewed == 1


def keep_lease(stop: threading.Event, interval: float = LEASE_SECONDS / 3) -> threading.Thread:
    """Renew the lease from a background thread of the scheduler's process until `stop`."""

    def loop() -> None:
        while not stop.wait(interval):
            try:
                renew_lease()
            finally:
                close_old_connections()

    thread = threading.Thread(target=loop, name="scheduler-lease", daemon=True)
    thread.start()
    return thread


def release_lease() -> None:
    global _holder
    if _holder is not None:
        SchedulerLease.objects.filter(name=LEASE_NAME, holder=_holder).delete()
        _holder = None
