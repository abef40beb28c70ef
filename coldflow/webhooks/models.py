from django.db import models

from coldflow.accounts.models import WorkspaceScoped
from coldflow.crypto import EncryptedTextField


class WebhookEndpoint(WorkspaceScoped):
    url = models.URLField(max_length=2000)
    # Signs each delivery with HMAC-SHA256.
    secret = EncryptedTextField()
    # Event kinds to deliver, e.g. ["message.sent", "reply.received"]; empty means all.
    event_kinds = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


class DeliveryState(models.TextChoices):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey("analytics.Event", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_unique")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
