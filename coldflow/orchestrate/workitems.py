"""The database as the orchestrator's queue: WorkItems claimed with a conditional UPDATE.

A claim marks up to `n` due, queued items of one stage as running under a token unique to
that claim (`UPDATE … WHERE id IN (…) AND state = 'queued'`), then reads back the rows that
carry the token: when two workers race for the same rows, each row goes to exactly one of them
(PostgreSQL re-checks the WHERE clause after the row lock; SQLite runs one writer at a time).
Finishing or failing an item is conditional on the same token, so a worker whose lease ran out
cannot overwrite the work of the one that took the item over.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from coldflow.campaigns.models import Campaign, CampaignStatus, WorkItem, WorkState
from coldflow.orchestrate.policy import SUBJECT, after_failure, backoff, claimable


def enqueue(
    campaign: Campaign | int, stage: str, subject_ids: Iterable[int], *, again: bool = True
) -> int:
    """Queue the stage for these subjects. With `again`, items already done, failed or parked
    are queued again (the stage runs again for them, which is idempotent); without, only new
    subjects are added. Returns how many were (re)queued."""
    campaign_id = campaign if isinstance(campaign, int) else campaign.pk
    ids = sorted(set(subject_ids))
    if not ids:
        return 0
    subject_type = SUBJECT[stage]
    existing = WorkItem.objects.filter(
        campaign_id=campaign_id, stage=stage, subject_type=subject_type, subject_id__in=ids
    )
    finished = existing.filter(state__in=(WorkState.DONE, WorkState.FAILED, WorkState.PARKED))
    requeued = (finished if again else finished.none()).update(
        state=WorkState.QUEUED,
        attempts=0,
        last_error="",
        next_attempt_at=None,
        claimed_by="",
        claimed_at=None,
        updated_at=timezone.now(),
    )
    known = set(existing.values_list("subject_id", flat=True))
    WorkItem.objects.bulk_create(
        [
            WorkItem(campaign_id=campaign_id, stage=stage, subject_type=subject_type, subject_id=i)
            for i in ids
            if i not in known
        ],
        ignore_conflicts=True,
    )
    return requeued + len([i for i in ids if i not in known])


def due(stage: str, now: datetime | None = None, campaign_ids: Iterable[int] | None = None):
    """Queued items of the stage whose time has come, in running campaigns."""
    now = now or timezone.now()
    items = WorkItem.objects.filter(
        stage=stage, state=WorkState.QUEUED, campaign__status=CampaignStatus.RUNNING
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if campaign_ids is not None:
        items = items.filter(campaign_id__in=list(campaign_ids))
    return items


def claim(
    stage: str,
    worker: str,
    *,
    now: datetime | None = None,
    campaign_ids: Iterable[int] | None = None,
    limit: int | None = None,
) -> list[WorkItem]:
    """Take up to a batch of due items of the stage for `worker`, within the stage's
    concurrency limit. Each item is taken by exactly one caller."""
    now = now or timezone.now()
    running = WorkItem.objects.filter(stage=stage, state=WorkState.RUNNING).count()
    wanted = claimable(stage, running)
    if limit is not None:
        wanted = min(wanted, limit)
    if wanted <= 0:
        return []
    ids = list(
        due(stage, now, campaign_ids)
        .order_by("campaign_id", "id")
        .values_list("id", flat=True)[:wanted]
    )
    if not ids:
        return []
    token = f"{worker}/{uuid.uuid4().hex[:12]}"[:128]
    WorkItem.objects.filter(id__in=ids, state=WorkState.QUEUED).update(
        state=WorkState.RUNNING,
        claimed_by=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return list(WorkItem.objects.filter(claimed_by=token, state=WorkState.RUNNING).order_by("id"))


def finish(items: Iterable[WorkItem]) -> int:
    done = 0
    now = timezone.now()
    for item in items:
        done += WorkItem.objects.filter(
            pk=item.pk, state=WorkState.RUNNING, claimed_by=item.claimed_by
        ).update(state=WorkState.DONE, last_error="", next_attempt_at=None, updated_at=now)
    return done


def fail(item: WorkItem, error: str, *, max_attempts: int, backoff_seconds: float) -> str:
    """Record the failure: queued again after a backoff, or parked after `max_attempts`.
    Returns the item's new state."""
    now = timezone.now()
    state = after_failure(item.attempts, max_attempts)
    WorkItem.objects.filter(pk=item.pk, state=WorkState.RUNNING, claimed_by=item.claimed_by).update(
        state=state,
        last_error=error[:4000],
        next_attempt_at=now + backoff(item.attempts, backoff_seconds)
        if state == "queued"
        else None,
        claimed_by="",
        claimed_at=None,
        updated_at=now,
    )
    return state


def requeue_expired(
    lease_seconds: float, *, max_attempts: int, now: datetime | None = None
) -> tuple[int, int]:
    """Items running longer than the lease lost their worker (killed, machine gone): queue
    them again, or park those that already used their attempts (an item that kills its
    worker every time must not take the others down one by one). Returns (requeued, parked)."""
    now = now or timezone.now()
    expired = WorkItem.objects.filter(
        state=WorkState.RUNNING, claimed_at__lt=now - timedelta(seconds=lease_seconds)
    )
    lost = "its worker stopped answering (lease expired)"
    parked = expired.filter(attempts__gte=max_attempts).update(
        state=WorkState.PARKED, last_error=lost, claimed_by="", claimed_at=None, updated_at=now
    )
    requeued = expired.update(
        state=WorkState.QUEUED,
        last_error=lost,
        next_attempt_at=None,
        claimed_by="",
        claimed_at=None,
        updated_at=now,
    )
    return requeued, parked
