from django.db import models
from django.db.models.functions import Lower

from coldflow.accounts.models import WorkspaceScoped


class Seniority(models.TextChoices):
    OWNER = "owner"
    C_LEVEL = "c_level"
    VP = "vp"
    HEAD = "head"
    MANAGER = "manager"
    STAFF = "staff"
    UNKNOWN = "unknown"


class Department(models.TextChoices):
    SALES = "sales"
    MARKETING = "marketing"
    ENGINEERING = "engineering"
    OPERATIONS = "operations"
    FINANCE = "finance"
    HR = "hr"
    CUSTOMER_SUCCESS = "customer_success"
    MANAGEMENT = "management"
    OTHER = "other"


class Person(WorkspaceScoped):
    company = models.ForeignKey("research.Company", on_delete=models.CASCADE, related_name="people")
    full_name = models.CharField(max_length=300)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    # Accent-, case- and title-insensitive form of the name; one person per company per key.
    name_key = models.CharField(max_length=300)
    title = models.CharField(max_length=300, blank=True)
    normalised_title = models.CharField(max_length=300, blank=True)
    seniority = models.CharField(max_length=16, choices=Seniority.choices, default="unknown")
    department = models.CharField(max_length=32, choices=Department.choices, default="other")
    linkedin_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name_key"], name="person_unique_per_company"
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class EmailOrigin(models.TextChoices):
    FOUND = "found"  # published on a page we crawled
    IMPORTED = "imported"
    GUESSED = "guessed"  # generated from the domain's pattern: never shown as found
    REFERRAL = "referral"  # named in a reply


class Verdict(models.TextChoices):
    UNVERIFIED = "unverified"
    VALID = "valid"
    INVALID = "invalid"
    ACCEPT_ALL = "accept_all"
    UNKNOWN = "unknown"
    DISPOSABLE = "disposable"
    ROLE = "role"


class EmailAddress(WorkspaceScoped):
    address = models.CharField(max_length=320)
    domain = models.CharField(max_length=253, db_index=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    company = models.ForeignKey(
        "research.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    origin = models.CharField(max_length=16, choices=EmailOrigin.choices)
    # For guesses: the calibrated probability the address is right; for found ones, the
    # extraction method's confidence.
    confidence = models.FloatField(default=1.0)
    pattern = models.CharField(max_length=64, blank=True)
    source_url = models.URLField(max_length=2000, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, default="unverified")
    verdict_confidence = models.FloatField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("address"), name="email_address_unique_per_workspace"
            )
        ]


class VerificationStep(models.Model):
    """One recorded step of verifying an address: syntax, disposable, role, mx, smtp…"""

    email = models.ForeignKey(
        EmailAddress, on_delete=models.CASCADE, related_name="verification_steps"
    )
    step = models.CharField(max_length=32)
    outcome = models.CharField(max_length=32)
    detail = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["email", "at", "id"]


class DomainInfo(models.Model):
    """What we know about a mail domain; shared by all workspaces (these are public facts)."""

    domain = models.CharField(max_length=253, unique=True)
    has_mx = models.BooleanField(null=True)
    mx_hosts = models.JSONField(default=list)
    # The MX lookup's outcome (found, no_mx, null_mx, no_domain) and what the DNS said.
    mx_status = models.CharField(max_length=16, blank=True)
    mx_detail = models.TextField(blank=True)
    # Big mailbox providers (google, microsoft…) don't answer RCPT probes honestly.
    mail_provider = models.CharField(max_length=32, blank=True)
    catch_all = models.BooleanField(null=True)
    catch_all_checked_at = models.DateTimeField(null=True, blank=True)
    mx_checked_at = models.DateTimeField(null=True, blank=True)
    # Learned address pattern, e.g. "{first}.{last}", with its evidence.
    pattern = models.CharField(max_length=64, blank=True)
    pattern_support = models.PositiveIntegerField(default=0)
    pattern_conflicts = models.JSONField(default=list)


class CachedVerification(models.Model):
    """A verification result remembered until it expires, so a second run does not probe again.

    Keyed by lower-case address and shared by all workspaces, like DomainInfo: whether a
    mailbox exists is a public fact. (A workspace's own addresses also carry their verdict and
    steps on EmailAddress; this table also holds addresses verified with `coldflow verify`.)
    """

    address = models.CharField(max_length=320, unique=True)
    # VerificationResult.to_dict(): verdict, confidence, steps…
    result = models.JSONField()
    checked_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)


class LeadStatus(models.TextChoices):
    NEW = "new"
    READY = "ready"  # has a verified or acceptable address and a draft can be written
    ENROLLED = "enrolled"
    CONTACTED = "contacted"
    REPLIED = "replied"
    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"
    BOUNCED = "bounced"
    UNSUBSCRIBED = "unsubscribed"
    STOPPED = "stopped"
    DISQUALIFIED = "disqualified"


class Lead(WorkspaceScoped):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="leads"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leads")
    company = models.ForeignKey("research.Company", on_delete=models.CASCADE, related_name="leads")
    email = models.ForeignKey(
        EmailAddress, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    status = models.CharField(max_length=16, choices=LeadStatus.choices, default="new")
    score = models.FloatField(default=0)
    # [{"factor": "seniority", "weight": 0.2, "value": "head", "fact_id": 17}, …]
    score_explanation = models.JSONField(default=list)
    # What the lead is searched by (contacts/search.py): person, company, domain and email
    # address, lower-cased; refreshed on every full save. On PostgreSQL a trigram index
    # (contacts_lead_search_trgm, migration 0004) serves substring search.
    search_text = models.TextField(default="", blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"person", "company", "email"} & set(update_fields):
            self.search_text = self.current_search_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def current_search_text(self) -> str:
        from coldflow.contacts.search import lead_search_text

        email = self.email if self.email_id else None
        return lead_search_text(
            self.person.full_name,
            self.company.name,
            self.company.domain,
            email.address if email else "",
        )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="lead_unique_per_campaign")
        ]
        indexes = [
            models.Index(fields=["workspace", "campaign", "status", "-score", "id"]),
            # One campaign's leads best first without a status (a campaign's search).
            models.Index(fields=["workspace", "campaign", "-score", "id"]),
            models.Index(fields=["workspace", "-score", "id"]),
            models.Index(fields=["workspace", "created_at", "id"]),
        ]
