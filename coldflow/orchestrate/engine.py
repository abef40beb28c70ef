"""Driving campaigns: start them, work their items batch by batch, notice when they are done.

Used three ways: by the Huey tasks (one batch per job, several workers), by the scheduler's
periodic `advance` (leases, due retries, completion), and inline by the demo (`work_until_idle`).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import close_old_connections
from django.db.models import Exists, OuterRef
from django.utils import timezone

from coldflow.campaigns.models import Campaign, CampaignStatus, WorkItem, WorkState
from coldflow.orchestrate import workitems
from coldflow.orchestrate.lifecycle import change_status
from coldflow.orchestrate.policy import LIMITS, WORK_ORDER, query_batches
from coldflow.orchestrate.stages import RUNNERS, StageEnv, StageResult

log = logging.getLogger("coldflow.orchestrate")


@dataclass(frozen=True)
class RetryRules:
    max_attempts: int = 5
    backoff_seconds: float = 30.0
    lease_seconds: float = 600.0

    @classmethod
    def from_config(cls, config) -> RetryRules:
        return cls(
            max_attempts=config["ORCHESTRATE_MAX_ATTEMPTS"],
            backoff_seconds=config["ORCHESTRATE_BACKOFF_SECONDS"],
            lease_seconds=config["ORCHESTRATE_LEASE_SECONDS"],
        )


@dataclass
class BatchReport:
    stage: str
    items: int = 0
    done: int = 0
    failed: int = 0
    parked: int = 0
    queued_next: int = 0
    counts: Counter = field(default_factory=Counter)


def start(campaign: Campaign, reason: str, *, by: str = "", config=None) -> Campaign:
    """draft → running, and queue its discovery (one item per batch of queries)."""
    from django.conf import settings

    config = config or settings.CONFIG
    campaign = change_status(campaign, "run", reason, by=by)
    seed(campaign, config["SEARCH_QUERIES"])
    return campaign


def seed(campaign: Campaign, query_limit: int) -> int:
    return workitems.enqueue(campaign, "discover", range(len(query_batches(query_limit))))


def work_batch(
    stage: str,
    worker: str,
    env: StageEnv,
    rules: RetryRules,
    *,
    campaign_ids: Iterable[int] | None = None,
) -> BatchReport:
    """Claim one batch of the stage and run it; failures are retried later or parked."""
    report = BatchReport(stage)
    items = workitems.claim(stage, worker, campaign_ids=campaign_ids)
    report.items = len(items)
    by_campaign: dict[int, list[WorkItem]] = defaultdict(list)
    for item in items:
        by_campaign[item.campaign_id].append(item)
    for campaign_id, batch in by_campaign.items():
        campaign = Campaign.objects.select_related("workspace").get(pk=campaign_id)
        try:
            result = RUNNERS[stage](campaign, batch, env)
        except Exception as exc:  # one broken batch is retried, never allowed to stop the rest
            log.exception("%s batch of campaign %s failed", stage, campaign.name)
            result = StageResult(failed={item.pk: _describe(exc) for item in batch})
        succeeded = [item for item in batch if item.pk not in result.failed]
        report.done += workitems.finish(succeeded)
        for item in batch:
            if item.pk in result.failed:
                state = workitems.fail(
                    item,
                    result.failed[item.pk],
                    max_attempts=rules.max_attempts,
                    backoff_seconds=rules.backoff_seconds,
                )
                report.parked += state == WorkState.PARKED
                report.failed += state != WorkState.PARKED
        if result.next_stage and result.next_subjects:
            report.queued_next += workitems.enqueue(
                campaign_id, result.next_stage, result.next_subjects, again=result.again
            )
        report.counts.update(result.counts)
    return report


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:4000]


def work_until_idle(
    env: StageEnv,
    rules: RetryRules,
    *,
    worker: str,
    campaign_ids: Iterable[int] | None = None,
    on_batch: Callable[[BatchReport], None] | None = None,
) -> None:
    """Run due items, later stages first, until none is due (the demo's in-process worker).
    Items waiting for a retry's backoff are left for later."""
    campaign_ids = list(campaign_ids) if campaign_ids is not None else None
    while True:
        for stage in WORK_ORDER:
            report = work_batch(stage, worker, env, rules, campaign_ids=campaign_ids)
            if report.items:
                if on_batch is not None:
                    on_batch(report)
                break
        else:
            return


def due_batches(now=None) -> dict[str, int]:
    """How many batch jobs each stage's due items fill, within its concurrency limit."""
    now = now or timezone.now()
    jobs = {}
    for stage in WORK_ORDER:
        limits = LIMITS[stage]
        waiting = workitems.due(stage, now).count()
        running = WorkItem.objects.filter(stage=stage, state=WorkState.RUNNING).count()
        free = max(0, limits.concurrency - running)
        jobs[stage] = min(-(-waiting // limits.batch), -(-free // limits.batch))
    return jobs


def finished(campaign: Campaign) -> bool:
    """Nothing left to do: no work item pending, no lead still in its sequence or waiting
    with a first draft to be enrolled, no message waiting to go out."""
    from coldflow.contacts.models import Lead, LeadStatus
    from coldflow.send.models import Enrollment, EnrollmentStatus, MessageState, OutboundMessage

    pending_items = WorkItem.objects.filter(
        campaign=campaign, state__in=(WorkState.QUEUED, WorkState.RUNNING)
    )
    if pending_items.exists() or not WorkItem.objects.filter(campaign=campaign).exists():
        return False
    if Enrollment.objects.filter(
        campaign=campaign, status__in=(EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
    ).exists():
        return False
    outgoing = (MessageState.QUEUED, MessageState.SENDING)
    if OutboundMessage.objects.filter(campaign=campaign, state__in=outgoing).exists():
        return False
    first_draft = OutboundMessage.objects.filter(
        lead=OuterRef("pk"),
        step__position=0,
        state__in=(MessageState.DRAFT, MessageState.APPROVED),
    )
    waiting = Lead.objects.filter(campaign=campaign, status=LeadStatus.READY).filter(
        Exists(first_draft)
    )
    return not waiting.exists()


def completion_reason(campaign: Campaign) -> str:
    from coldflow.send.models import Enrollment

    items = Counter(WorkItem.objects.filter(campaign=campaign).values_list("state", flat=True))
    enrolled = Enrollment.objects.filter(campaign=campaign).count()
    reason = f"every stage done: {enrolled} leads went through the sequence"
    if items[WorkState.PARKED]:
        reason += f"; {items[WorkState.PARKED]} work items parked after repeated failures"
    return reason


@dataclass
class AdvanceReport:
    requeued: int = 0
    parked: int = 0
    completed: list[str] = field(default_factory=list)
    jobs: dict[str, int] = field(default_factory=dict)


def advance(rules: RetryRules, enqueue_batch: Callable[[str], None]) -> AdvanceReport:
    """The scheduler's sweep: take back items whose worker died, start jobs for due items
    (retries whose backoff ran out, jobs a lost queue dropped) and complete finished campaigns."""
    report = AdvanceReport()
    report.requeued, report.parked = workitems.requeue_expired(
        rules.lease_seconds, max_attempts=rules.max_attempts
    )
    report.jobs = due_batches()
    for stage, count in report.jobs.items():
        for _ in range(count):
            enqueue_batch(stage)
    for campaign in Campaign.objects.filter(status=CampaignStatus.RUNNING):
        if finished(campaign):
            change_status(campaign, "complete", completion_reason(campaign), by="orchestrator")
            report.completed.append(campaign.name)
    close_old_connections()
    return report
