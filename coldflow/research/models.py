from django.db import models
from django.db.models.functions import Lower

from coldflow.accounts.models import WorkspaceScoped


class ResearchStatus(models.TextChoices):
    NEW = "new"
    RESEARCHING = "researching"
    RESEARCHED = "researched"
    FAILED = "failed"


class Company(WorkspaceScoped):
    # Registrable domain (public-suffix aware), lower case: the company's identity.
    domain = models.CharField(max_length=253)
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    industry = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True)
    city = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    size_hint = models.CharField(max_length=100, blank=True)
    founded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # How the company came in: "search", "import", "manual", "referral".
    origin = models.CharField(max_length=16, default="manual")
    research_status = models.CharField(
        max_length=16, choices=ResearchStatus.choices, default=ResearchStatus.NEW
    )
    research_error = models.TextField(blank=True)
    researched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("domain"), name="company_domain_unique_per_workspace"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.domain


class CrawledPage(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="pages")
    url = models.URLField(max_length=2000)
    # about, team, contact, imprint, careers, blog, home, other.
    kind = models.CharField(max_length=16, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The URL the crawl asked for, when a redirect led to `url`.
    requested_url = models.URLField(max_length=2000, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # SHA-256 of the page's text, and the text itself, zlib-compressed: what every fact with
    # this page as its source was read from, and what a re-research reuses when the server
    # answers that the page did not change (304).
    content_hash = models.CharField(max_length=64, blank=True)
    body = models.BinaryField(null=True, blank=True)
    byte_count = models.PositiveIntegerField(default=0)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "url"], name="crawled_page_unique")
        ]


class Fact(WorkspaceScoped):
    """One thing we know, with where it came from.

    Everything coldflow shows about a company or a person rests on a fact: its source URL (or
    import file, or search result), when it was observed, the method that found it, and how
    sure that method is.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="facts")
    person = models.ForeignKey(
        "contacts.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="facts"
    )
    # e.g. "company.name", "company.founded_year", "signal.open_role", "signal.post",
    # "signal.technology", "person.title", "person.email".
    key = models.CharField(max_length=64)
    value = models.JSONField()
    source_url = models.URLField(max_length=2000, blank=True)
    # e.g. "jsonld", "mailto", "cfemail", "imprint", "csv_import", "search_result", "llm".
    method = models.CharField(max_length=32)
    confidence = models.FloatField(default=1.0)
    observed_at = models.DateTimeField()
    # Which process wrote the fact: "research" (replaced when the company is researched
    # again), "import", "manual", "llm".
    origin = models.CharField(max_length=16, default="research")

    class Meta:
        indexes = [models.Index(fields=["company", "key"])]
