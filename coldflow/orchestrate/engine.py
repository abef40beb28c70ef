"""Driving campaigns: start them, work their items batch by batch, notice when they are done.

Used three ways: by the Huey tasks (one batch per job, several workers), by the scheduler's
periodic `advance` (leases, due retries, completion), and inline by the demo (`work_until_idle`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import close_old_connections
from django.db.models import Exists, OuterRef
from django.utils import timezone

from coldflow.campaigns.models import Campaign, CampaignStatus, WorkItem, WorkState
from coldflow.orchestrate import workitems
from coldflow.orchestrate.lifecycle import change_status
from coldflow.orchestrate.policy import LIMITS, NEXT_STAGE, WORK_ORDER, query_batches
from coldflow.orchestrate.stages import RUNNERS, SETTLES_EACH_ITEM, StageEnv, StageResult

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
    seconds: float = 0.0


def start(campaign: Campaign, reason: str, *, by: str = "", config=None) -> Campaign:
    """draft → running, and queue its discovery (one item per batch of queries)."""
    from django.conf import settings

    config = config or settings.CONFIG
    campaign = change_status(campaign, "run", reason, by=by)
    seed(campaign, config["SEARCH_QUERIES"])
    return campaign


def act(campaign: Campaign, action: str, reason: str, *, by: str = "", config=None) -> Campaign:
    """What the CLI, the dashboard and the API do to a campaign: `run` starts it (and queues its
    discovery), every other action is a plain lifecycle change. Raises CampaignStateError."""
    if action == "run":
        return start(campaign, reason, by=by, config=config)
    return change_status(campaign, action, reason, by=by)


def seed(campaign: Campaign, query_limit: int) -> int:
    return workitems.enqueue(campaign, "discover", range(len(query_batches(query_limit))))


def work_batch(
    stage: str,
    worker: str,
    env: StageEnv,
    rules: RetryRules,
    *,
    campaign_ids: Iterable[int] | None = None,
    on_queued: Callable[[str], None] | None = None,
) -> BatchReport:
    """Claim one batch of the stage and run it; failures are retried later or parked.

    Stages in SETTLES_EACH_ITEM finish each item as soon as it is done (a crawled site is
    saved and handed to contacts while the rest of the batch is still crawling); the others
    at the end of the batch. `on_queued(stage)` is called whenever items of the next stage were
    queued, so a worker can be started on them at once."""
    started = time.monotonic()
    report = BatchReport(stage)
    items = workitems.claim(stage, worker, campaign_ids=campaign_ids)
    report.items = len(items)
    by_campaign: dict[int, list[WorkItem]] = defaultdict(list)
    for item in items:
        by_campaign[item.campaign_id].append(item)
    for campaign_id, batch in by_campaign.items():
        _run_batch(stage, campaign_id, batch, env, rules, report, on_queued)
    report.seconds = time.monotonic() - started
    return report


def _run_batch(
    stage: str,
    campaign_id: int,
    batch: list[WorkItem],
    env: StageEnv,
    rules: RetryRules,
    report: BatchReport,
    on_queued: Callable[[str], None] | None,
) -> None:
    """One campaign's share of a claim: run it, then settle what the runner did not settle
    item by item itself."""
    campaign = Campaign.objects.select_related("workspace").get(pk=campaign_id)
    settled: set[int] = set()

    def settle(item: WorkItem, error: str | None = None, next_subjects: Iterable[int] = ()):
        settled.add(item.pk)
        failed = {item.pk: error} if error else {}
        _settle(stage, campaign_id, [item], failed, next_subjects, rules, report, on_queued)

    try:
        runner = RUNNERS[stage]
        if stage in SETTLES_EACH_ITEM:
            result = runner(campaign, batch, env, settle=settle)
        else:
            result = runner(campaign, batch, env)
    except Exception as exc:  # one broken batch is retried, never allowed to stop the rest
        log.exception("%s batch of campaign %s failed", stage, campaign.name)
        result = StageResult(failed={item.pk: _describe(exc) for item in batch})
    _settle(
        stage,
        campaign_id,
        [item for item in batch if item.pk not in settled],
        result.failed,
        result.next_subjects,
        rules,
        report,
        on_queued,
        next_stage=result.next_stage,
        again=result.again,
    )
    report.counts.update(result.counts)


def _settle(
    stage: str,
    campaign_id: int,
    items: list[WorkItem],
    failed: dict[int, str],
    next_subjects,
    rules: RetryRules,
    report: BatchReport,
    on_queued: Callable[[str], None] | None,
    *,
    next_stage: str | None = "",
    again: bool = True,
) -> None:
    """Finish the items that succeeded, retry or park those that failed, and queue the next
    stage for what came out."""
    report.done += workitems.finish([item for item in items if item.pk not in failed])
    for item in items:
        if item.pk in failed:
            state = workitems.fail(
                item,
                failed[item.pk],
                max_attempts=rules.max_attempts,
                backoff_seconds=rules.backoff_seconds,
            )
            report.parked += state == WorkState.PARKED
            report.failed += state != WorkState.PARKED
    if next_stage == "":
        next_stage = NEXT_STAGE.get(stage)
    if next_stage and next_subjects:
        queued = workitems.enqueue(campaign_id, next_stage, next_subjects, again=again)
        report.queued_next += queued
        if queued and on_queued is not None:
            on_queued(next_stage)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:4000]


def work_until_idle(
    env: StageEnv,
    rules: RetryRules,
    *,
    worker: str,
    campaign_ids: Iterable[int] | None = None,
    on_batch: Callable[[BatchReport], None] | None = None,
    threads: int = 1,
) -> None:
    """Run due items, later stages first, until none is due (the demo's in-process worker).
    Items waiting for a retry's backoff are left for later.

    With `threads` > 1 it works like `coldflow worker --workers N`: each thread claims and runs
    batches on its own, so compose and send take the first companies' leads while another
    thread is still crawling. It returns when no thread found anything to claim and none was
    running a batch that could queue more."""
    campaign_ids = list(campaign_ids) if campaign_ids is not None else None
    if threads <= 1:
        while (report := _next_batch(env, rules, worker, campaign_ids, None)) is not None:
            if on_batch is not None:
                on_batch(report)
        return
    _ThreadedWorker(env, rules, worker, campaign_ids, on_batch).run(threads)


def _next_batch(env, rules, worker, campaign_ids, on_queued) -> BatchReport | None:
    """One batch of the latest stage that has a due item, or None when nothing is due."""
    for stage in WORK_ORDER:
        report = work_batch(
            stage, worker, env, rules, campaign_ids=campaign_ids, on_queued=on_queued
        )
        if report.items:
            return report
    return None


class _ThreadedWorker:
    # How often an idle thread looks again while others are busy (they also wake it when
    # they queue work).
    POLL_SECONDS = 0.25

    def __init__(self, env, rules, worker, campaign_ids, on_batch) -> None:
        self.env, self.rules, self.worker = env, rules, worker
        self.campaign_ids, self.on_batch = campaign_ids, on_batch
        self.changed = threading.Condition()
        self.busy = 0  # threads looking for or running a batch
        self.generation = 0  # batches finished and items queued so far
        self.errors: list[BaseException] = []

    def run(self, threads: int) -> None:
        workers = [
            threading.Thread(target=self._loop, args=(n,), name=f"{self.worker}-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        if self.errors:
            raise self.errors[0]

    def _queued(self, stage: str) -> None:
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def _loop(self, n: int) -> None:
        from django.db import connection

        name = f"{self.worker}-{n}"
        try:
            while True:
                with self.changed:
                    if self.errors:
                        return
                    self.busy += 1
                    seen = self.generation
                report = None
                try:
                    report = _next_batch(
                        self.env, self.rules, name, self.campaign_ids, self._queued
                    )
                finally:
                    with self.changed:
                        self.busy -= 1
                        if report is not None:
                            self.generation += 1
                            if self.on_batch is not None:
                                self.on_batch(report)
                        self.changed.notify_all()
                if report is not None:
                    continue
                with self.changed:
                    # Idle for good only when nobody is working and nothing changed since
                    # this thread looked.
                    if self.busy == 0 and self.generation == seen:
                        return
                    if self.generation == seen:
                        self.changed.wait(self.POLL_SECONDS)
        except BaseException as exc:
            with self.changed:
                self.errors.append(exc)
                self.changed.notify_all()
        finally:
            connection.close()


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
