from urllib.parse import urlsplit

from django.db import models

from coldflow.accounts.models import WorkspaceScoped
from coldflow.crypto import EncryptedTextField


class WebhookEndpoint(WorkspaceScoped):
    url = models.URLField(max_length=2000)
    # Signs each delivery with HMAC-SHA256.
    secret = EncryptedTextField()
    # Public event types to deliver (coldflow.webhooks.events.PUBLIC_TYPES), e.g.
    # ["sent", "replied"]; empty means all.
    event_kinds = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    # Why the endpoint stopped receiving (410 Gone from the receiver, …); empty while active.
    disabled_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def shown_url(self) -> str:
        """The URL as people who may not manage webhooks see it, and as the audit log keeps
        it: scheme and host only, since a receiver's path or query often is its password
        (chat and CRM webhook URLs)."""
        parts = urlsplit(self.url)
        host = parts.netloc.rpartition("@")[2]
        hidden = parts.path not in ("", "/") or parts.query
        return f"{parts.scheme}://{host}/{'…' if hidden else ''}"


class DeliveryState(models.TextChoices):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey("analytics.Event", on_delete=models.CASCADE, related_name="+")
    # The public type this delivery carries: one event can be two (a reply with intent
    # "interested" is both `replied` and `interested`).
    event_type = models.CharField(max_length=32, default="")
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    # Due time of the next attempt; while an attempt runs, the end of its claim.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event", "event_type"], name="webhook_delivery_unique_type"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the receiver answered, or why there was no answer."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_unique")
        ]
