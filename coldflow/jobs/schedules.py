"""Periodic jobs on env-overridable cron schedules, which cannot pile up.

Each periodic job reads its schedule from a setting (`SCHEDULE_…`, five cron fields, or `off`).
Two guards keep runs from piling up: a run that waited in the queue past its next start
expires instead of running late, and a run that finds the previous one still going (on any
worker: a lease row in the database, expiring after one period so a killed worker cannot hold
it for ever) returns at once.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from coldflow.config.cron import ScheduleError, parse_cron

__all__ = ["ScheduleError", "exclusive_periodic_task", "parse_cron", "period", "run_exclusively"]

# The longest gap looked for between two runs of a schedule.
_HORIZON = timedelta(days=8)


def period(fields: tuple[str, ...], start: datetime | None = None) -> timedelta:
    """The shortest gap between two runs of the schedule near `start` (a fixed Monday by
    default), from its first two matches; _HORIZON when it matches less often."""
    from huey import crontab

    matches = crontab(*fields)
    moment = (start or datetime(2024, 1, 1)).replace(second=0, microsecond=0)
    end = moment + _HORIZON
    found: list[datetime] = []
    while moment < end and len(found) < 3:
        if matches(moment):
            found.append(moment)
        moment += timedelta(minutes=1)
    if len(found) < 2:
        return _HORIZON
    return min(b - a for a, b in zip(found, found[1:], strict=False))


def run_exclusively(name: str, ttl: timedelta, fn: Callable[[], object]) -> bool:
    """Run `fn` unless another run of `name` holds the lease; False when it was skipped."""
    from coldflow.jobs.models import SchedulerLease
    from coldflow.jobs.scheduler import worker_identity

    key = f"job:{name}"[:64]
    me = f"{worker_identity()}/{uuid.uuid4().hex[:8]}"
    now = timezone.now()
    taken = SchedulerLease.objects.filter(name=key, expires_at__lte=now).update(
        holder=me, acquired_at=now, expires_at=now + ttl
    )
    if not taken:
        try:
            with transaction.atomic():
                SchedulerLease.objects.create(
                    name=key, holder=me, acquired_at=now, expires_at=now + ttl
                )
        except IntegrityError:
            return False
    try:
        fn()
    finally:
        SchedulerLease.objects.filter(name=key, holder=me).delete()
    return True


def exclusive_periodic_task(setting: str):
    """Register the function as a periodic job on the schedule in `setting`, never two runs
    at once, a late one expiring. With the setting `off`, the function stays a plain one."""
    from django.conf import settings
    from huey import crontab
    from huey.contrib.djhuey import db_periodic_task

    fields = parse_cron(settings.CONFIG[setting])

    def decorator(fn):
        if fields is None:
            return fn
        gap = period(fields)

        @functools.wraps(fn)
        def guarded() -> None:
            run_exclusively(fn.__name__, gap, fn)

        expires = max(int(gap.total_seconds()) - 5, 5)
        return db_periodic_task(crontab(*fields), expires=expires, name=fn.__name__)(guarded)

    return decorator
