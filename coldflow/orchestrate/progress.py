"""Progress of a campaign per stage: counts, throughput and an ETA, as plain data.

`stage_progress` is the pure arithmetic; `campaign_progress` reads the counts (work items for
the pipeline's stages, messages for send, answers for listen) and is what the CLI, the API and
the dashboard show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db.models import Count, Max, Min
from django.utils import timezone

from coldflow.orchestrate.policy import PIPELINE

STATES = ("queued", "running", "done", "failed", "parked")


@dataclass(frozen=True)
class StageProgress:
    stage: str
    queued: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0
    parked: int = 0
    per_minute: float | None = None
    eta_seconds: float | None = None

    @property
    def total(self) -> int:
        return self.queued + self.running + self.done + self.failed + self.parked

    def as_dict(self) -> dict:
        return asdict(self) | {"total": self.total}


def stage_progress(
    stage: str,
    counts: dict[str, int],
    first_at: datetime | None,
    last_done_at: datetime | None,
) -> StageProgress:
    """Throughput: items done per minute between the stage's first item and its latest
    finished one; ETA: what is left (queued, running, failed awaiting retry) at that rate."""
    values = {state: counts.get(state, 0) for state in STATES}
    per_minute = eta = None
    if values["done"] and first_at and last_done_at and last_done_at > first_at:
        per_minute = values["done"] / ((last_done_at - first_at).total_seconds() / 60)
        left = values["queued"] + values["running"] + values["failed"]
        eta = left / per_minute * 60 if left else 0.0
    return StageProgress(stage, **values, per_minute=per_minute, eta_seconds=eta)


def campaign_progress(campaign, now: datetime | None = None) -> dict:
    from coldflow.campaigns.models import WorkItem
    from coldflow.listen.models import InboundMessage
    from coldflow.send.models import OutboundMessage

    now = now or timezone.now()
    rows = (
        WorkItem.objects.filter(campaign=campaign)
        .values("stage", "state")
        .annotate(n=Count("id"), first=Min("created_at"), last=Max("updated_at"))
    )
    counts: dict[str, Counter] = {stage: Counter() for stage in PIPELINE}
    first: dict[str, datetime] = {}
    last_done: dict[str, datetime] = {}
    for row in rows:
        stage = row["stage"]
        counts.setdefault(stage, Counter())[row["state"]] += row["n"]
        first[stage] = min(first.get(stage, row["first"]), row["first"])
        if row["state"] == "done":
            last_done[stage] = row["last"]
    stages = [
        stage_progress(stage, counts[stage], first.get(stage), last_done.get(stage))
        for stage in PIPELINE
    ]
    messages = Counter(
        OutboundMessage.objects.filter(campaign=campaign).values_list("state", flat=True)
    )
    sends = StageProgress(
        "send",
        queued=messages["approved"] + messages["queued"],
        running=messages["sending"],
        done=messages["sent"],
        failed=messages["failed"],
        parked=messages["unknown"],
    )
    answers = Counter(
        InboundMessage.objects.filter(lead__campaign=campaign).values_list("kind", flat=True)
    )
    return {
        "campaign": campaign.name,
        "status": campaign.status,
        "status_reason": campaign.status_reason,
        "started_at": campaign.started_at.isoformat() if campaign.started_at else None,
        "finished_at": campaign.finished_at.isoformat() if campaign.finished_at else None,
        "at": now.isoformat(),
        "stages": [s.as_dict() for s in stages] + [sends.as_dict()],
        "drafts_awaiting_review": messages["draft"],
        "answers": dict(answers),
    }
