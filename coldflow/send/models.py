from django.db import models
from django.db.models.functions import Lower

from coldflow.accounts.models import WorkspaceScoped
from coldflow.crypto import EncryptedTextField


class Security(models.TextChoices):
    STARTTLS = "starttls"
    TLS = "tls"  # implicit TLS (SMTPS 465, IMAPS 993)
    PLAIN = "plain"  # loopback only (the sandbox, a local relay)


class AuthMethod(models.TextChoices):
    PASSWORD = "password"
    OAUTH2 = "oauth2"  # XOAUTH2 with a refresh token


class MailboxStatus(models.TextChoices):
    ACTIVE = "active"
    PAUSED_BY_USER = "paused_by_user"
    PAUSED_BY_SYSTEM = "paused_by_system"
    # Removed by the user: sends and reads nothing, credentials wiped, history kept.
    ARCHIVED = "archived"


class Mailbox(WorkspaceScoped):
    email = models.EmailField(max_length=320)
    display_name = models.CharField(max_length=200, blank=True)
    signature = models.TextField(blank=True)

    smtp_host = models.CharField(max_length=253)
    smtp_port = models.PositiveIntegerField(default=587)
    smtp_security = models.CharField(max_length=16, choices=Security.choices, default="starttls")
    smtp_username = models.CharField(max_length=320)
    smtp_password = EncryptedTextField(blank=True)
    imap_host = models.CharField(max_length=253, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_security = models.CharField(max_length=16, choices=Security.choices, default="tls")
    imap_username = models.CharField(max_length=320, blank=True)
    imap_password = EncryptedTextField(blank=True)

    auth_method = models.CharField(max_length=16, choices=AuthMethod.choices, default="password")
    oauth_provider = models.CharField(max_length=32, blank=True)
    oauth_token_url = models.URLField(max_length=500, blank=True)
    oauth_client_id = models.CharField(max_length=500, blank=True)
    oauth_client_secret = EncryptedTextField(blank=True)
    oauth_refresh_token = EncryptedTextField(blank=True)

    daily_cap = models.PositiveIntegerField(default=30)
    # Ramp-up: a new mailbox starts at ramp_start per day and adds ramp_step per day.
    ramp_start = models.PositiveIntegerField(default=5)
    ramp_step = models.PositiveIntegerField(default=2)
    ramp_started_on = models.DateField(null=True, blank=True)
    min_gap_seconds = models.PositiveIntegerField(default=120)
    max_gap_seconds = models.PositiveIntegerField(default=360)
    timezone = models.CharField(max_length=64, default="UTC")
    # Where the server does not file sent mail itself, coldflow appends a copy to Sent.
    append_to_sent = models.BooleanField(default=True)
    sent_folder = models.CharField(max_length=100, default="Sent")

    dkim_selector = models.CharField(max_length=63, blank=True)
    dkim_private_key = EncryptedTextField(blank=True)

    status = models.CharField(max_length=20, choices=MailboxStatus.choices, default="active")
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The last connection check (SMTP and IMAP login, SPF/DKIM/DMARC), run by a job
    # (coldflow.send.mailbox_checks): asked for at check_requested_at, finished at checked_at.
    check_requested_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # Both logins worked; None before the first check.
    check_ok = models.BooleanField(null=True, blank=True)
    # {"servers": [ServerCheck.as_dict()…], "domain": {"domain", "findings": […]} or
    # {"domain", "error"}}: server names, stages and the servers' words, never a secret.
    check_result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "mailboxes"
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("email"), name="mailbox_email_unique_per_workspace"
            )
        ]

    def __str__(self) -> str:
        return self.email


class CampaignMailbox(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="campaign_mailboxes"
    )
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "mailbox"], name="campaign_mailbox_unique")
        ]


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active"
    COMPLETED = "completed"  # every step sent
    STOPPED = "stopped"  # reply, bounce, unsubscribe…: `stop_reason` says which
    PAUSED = "paused"


class Enrollment(models.Model):
    """A lead going through a campaign's sequence; the dispatcher's schedule."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="enrollments"
    )
    lead = models.OneToOneField(
        "contacts.Lead", on_delete=models.CASCADE, related_name="enrollment"
    )
    # Sticky: assigned at the first send, kept for every follow-up.
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.PROTECT, related_name="enrollments"
    )
    # Position of the next step to send.
    next_step = models.PositiveSmallIntegerField(default=0)
    next_action_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=EnrollmentStatus.choices, default="active")
    stop_reason = models.CharField(max_length=64, blank=True)
    # Message-ID of the first email: follow-ups reference it.
    thread_message_id = models.CharField(max_length=998, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_action_at"])]


class MessageState(models.TextChoices):
    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"
    QUEUED = "queued"
    # Recorded before the SMTP transaction begins; a crash leaves it here.
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Was `sending` when its worker died: resolved via the Sent folder, never re-sent blindly.
    UNKNOWN = "unknown"


class OutboundMessage(WorkspaceScoped):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="messages"
    )
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    lead = models.ForeignKey("contacts.Lead", on_delete=models.CASCADE, related_name="messages")
    step = models.ForeignKey("campaigns.SequenceStep", on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(
        "campaigns.StepVariant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    state = models.CharField(max_length=16, choices=MessageState.choices, default="draft")
    from_address = models.CharField(max_length=320, blank=True)
    to_address = models.CharField(max_length=320)
    subject = models.TextField()
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # What a reviewer changed: the draft as first composed.
    original_body_text = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"fact_id": 12, "source_url": "…", "sentence": "…"}]
    facts_used = models.JSONField(default=list)
    lint_findings = models.JSONField(default=list)
    # Stored before sending; the SMTP transaction carries exactly this Message-ID.
    message_id = models.CharField(max_length=998, unique=True)
    # One message per (enrollment, step): a second attempt to create it finds the first.
    idempotency_key = models.CharField(max_length=200, unique=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    smtp_response = models.TextField(blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "scheduled_at"]),
            models.Index(fields=["mailbox", "sent_at"]),
            models.Index(fields=["campaign", "state"]),
        ]


class SuppressionKind(models.TextChoices):
    ADDRESS = "address"
    DOMAIN = "domain"


class Suppression(WorkspaceScoped):
    kind = models.CharField(max_length=8, choices=SuppressionKind.choices)
    # Lower-case address or domain.
    value = models.CharField(max_length=320)
    # unsubscribe, hard_bounce, complaint, manual, import, reply
    reason = models.CharField(max_length=32)
    source = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "value"], name="suppression_unique"
            )
        ]

    def save(self, *args, **kwargs):
        self.value = self.value.strip().lower()
        super().save(*args, **kwargs)
