from datetime import time

from django.db import models

from coldflow.accounts.models import WorkspaceScoped


def business_weekdays() -> list[int]:
    return [1, 2, 3, 4, 5]


class CampaignStatus(models.TextChoices):
    DRAFT = "draft"
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Sequence(WorkspaceScoped):
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class SequenceStep(models.Model):
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    # 0 is the first email; later steps are follow-ups in the same thread.
    position = models.PositiveSmallIntegerField()
    # Business days after the previous step (ignored for the first step).
    delay_business_days = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["sequence", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sequence", "position"], name="step_position_unique")
        ]


class StepVariant(models.Model):
    """One A/B/n variant of a step: a subject and body template."""

    step = models.ForeignKey(SequenceStep, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(max_length=16, default="A")
    subject_template = models.TextField(blank=True)
    body_template = models.TextField()
    html = models.BooleanField(default=False)
    weight = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["step", "label"], name="variant_label_unique")
        ]


class Campaign(WorkspaceScoped):
    name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    status_reason = models.TextField(blank=True)
    # The ideal customer profile: free text plus structured fields (coldflow.discover.icp).
    icp = models.JSONField(default=dict)
    sequence = models.ForeignKey(Sequence, null=True, blank=True, on_delete=models.PROTECT)
    # Sending rules.
    timezone = models.CharField(max_length=64, default="UTC")
    window_start = models.TimeField(default=time(9, 0))
    window_end = models.TimeField(default=time(17, 0))
    # ISO weekdays (1 = Monday) on which the campaign sends.
    weekdays = models.JSONField(default=business_weekdays)
    # Dates (YYYY-MM-DD) on which nothing is sent.
    holidays = models.JSONField(default=list)
    new_leads_per_day = models.PositiveIntegerField(default=50)
    per_domain_daily_cap = models.PositiveIntegerField(default=5)
    approval_required = models.BooleanField(default=False)
    stop_on_interested = models.BooleanField(default=True)
    track_opens = models.BooleanField(default=False)
    track_clicks = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="campaign_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    DISCOVER = "discover"
    RESEARCH = "research"
    CONTACTS = "contacts"
    COMPOSE = "compose"
    APPROVAL = "approval"
    ENROL = "enrol"
    SEND = "send"
    LISTEN = "listen"


class WorkState(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    # Failed too often: set aside with its error so it stops blocking the rest.
    PARKED = "parked"


class WorkItem(models.Model):
    """One unit of a campaign's pipeline (a company to research, a lead to compose for…).

    The orchestrator claims queued items with a conditional UPDATE, so several workers never
    take the same one; progress per stage is a count over this table.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="work_items")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    subject_type = models.CharField(max_length=32)
    subject_id = models.BigIntegerField()
    state = models.CharField(max_length=16, choices=WorkState.choices, default=WorkState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=128, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "stage", "subject_type", "subject_id"],
                name="work_item_unique",
            )
        ]
        indexes = [models.Index(fields=["stage", "state", "next_attempt_at"])]
