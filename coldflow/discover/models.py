from django.db import models

from coldflow.accounts.models import WorkspaceScoped


class QueryStatus(models.TextChoices):
    PENDING = "pending"
    OK = "ok"
    # The provider answered, but not with results: each is told to the user as such.
    RATE_LIMITED = "rate_limited"
    QUOTA_EXHAUSTED = "quota_exhausted"
    AUTH_FAILED = "auth_failed"
    BLOCKED = "blocked"
    MISCONFIGURED = "misconfigured"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"


class SearchQuery(WorkspaceScoped):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_queries",
    )
    provider = models.CharField(max_length=32)
    query = models.TextField()
    # "template" (deterministic generation) or "llm".
    origin = models.CharField(max_length=16, default="template")
    status = models.CharField(max_length=16, choices=QueryStatus.choices, default="pending")
    result_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    ran_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "provider", "query"], name="search_query_unique"
            )
        ]


class CandidateStatus(models.TextChoices):
    ACCEPTED = "accepted"
    # Filtered as a directory, marketplace, social network, news site, job board or
    # excluded domain; `filter_reason` says which.
    FILTERED = "filtered"
    DUPLICATE = "duplicate"


class Candidate(models.Model):
    """A search hit, tied to the company its registrable domain names."""

    query = models.ForeignKey(SearchQuery, on_delete=models.CASCADE, related_name="candidates")
    company = models.ForeignKey(
        "research.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    domain = models.CharField(max_length=253)
    url = models.URLField(max_length=2000)
    title = models.TextField(blank=True)
    snippet = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=16, choices=CandidateStatus.choices)
    filter_reason = models.CharField(max_length=200, blank=True)
    fit_score = models.FloatField(default=0)
    # [{"factor": "industry", "weight": 0.3, "matched": "logistics", "source": "title"}, …]
    fit_reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["domain"])]
