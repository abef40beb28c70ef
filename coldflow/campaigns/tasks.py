"""Huey shell of the orchestrator (coldflow.orchestrate): one batch per job, and the scheduler's periodic sweep.

A batch job that queued work for the next stage starts a job for it at once, and one for its
own stage while due items remain, so a campaign streams through the workers without waiting
for the minute sweep; the sweep (`advance_campaigns`) is what makes lost jobs, expired leases
and retries come back.
"""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import db_task

from coldflow.jobs.scheduler import worker_identity
from coldflow.jobs.schedules import exclusive_periodic_task
from coldflow.orchestrate import engine, workitems
from coldflow.orchestrate.policy import PIPELINE
from coldflow.orchestrate.stages import StageEnv

log = logging.getLogger("coldflow.orchestrate")
_env: StageEnv | None = None


def _stage_env() -> StageEnv:
    global _env
    if _env is None:
        _env = StageEnv(settings.CONFIG, hand_over=lambda campaign: dispatch_campaign(campaign.pk))
    return _env


@db_task()
def work_stage(stage: str) -> int:
    """Claim and run one batch of the stage (any running campaign)."""
    rules = engine.RetryRules.from_config(settings.CONFIG)
    started: set[str] = set()

    def queued(next_stage: str) -> None:
        # Items settled one by one (research's sites) start one job for the next stage while
        # the batch goes on; that job's own follow-ups take whatever is due after it.
        if next_stage not in started:
            started.add(next_stage)
            work_stage(next_stage)

    report = engine.work_batch(stage, worker_identity(), _stage_env(), rules, on_queued=queued)
    if report.queued_next:
        work_stage(PIPELINE[PIPELINE.index(stage) + 1])
    if report.items and workitems.due(stage).exists():
        work_stage(stage)
    return report.items


@db_task()
def dispatch_campaign(campaign_id: int) -> int:
    """Enrol the campaign's newly drafted leads and claim their sends now, not at the next
    minute's tick (the tick is serialised and every claim conditional, so this is safe)."""
    from coldflow.send.schedule.dispatch import dispatch_tick

    return len(dispatch_tick(campaign_ids=[campaign_id]).claimed)


@exclusive_periodic_task("SCHEDULE_ADVANCE")
def advance_campaigns() -> None:
    """Retry sweep: expired leases, due retries, lost jobs, finished campaigns."""
    report = engine.advance(engine.RetryRules.from_config(settings.CONFIG), work_stage)
    if report.requeued or report.parked or report.completed:
        log.info(
            "advance: %d items taken back from lost workers, %d parked, completed: %s",
            report.requeued,
            report.parked,
            ", ".join(report.completed) or "none",
        )


@exclusive_periodic_task("SCHEDULE_RERESEARCH")
def reresearch_stale_companies() -> None:
    """Research again the companies of running campaigns whose research is older than
    RESEARCH_STALE_DAYS; what changed flows on to contacts, leads and compose."""
    from datetime import timedelta

    from django.utils import timezone

    from coldflow.campaigns.models import WorkItem, WorkState

    cutoff = timezone.now() - timedelta(days=settings.CONFIG["RESEARCH_STALE_DAYS"])
    stale = WorkItem.objects.filter(
        stage="research",
        state=WorkState.DONE,
        campaign__status="running",
        subject_id__in=_stale_company_ids(cutoff),
    ).values_list("campaign_id", "subject_id")
    by_campaign: dict[int, set[int]] = {}
    for campaign_id, company_id in stale:
        by_campaign.setdefault(campaign_id, set()).add(company_id)
    for campaign_id, ids in by_campaign.items():
        workitems.enqueue(campaign_id, "research", ids)
    if by_campaign:
        work_stage("research")


def _stale_company_ids(cutoff):
    from coldflow.research.models import Company

    return Company.objects.filter(researched_at__lt=cutoff).values("id")
