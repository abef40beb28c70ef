from django.db import models

from coldflow.accounts.models import WorkspaceScoped


class AppendOnlyError(Exception):
    pass


class Event(WorkspaceScoped):
    """The one event log: what happened, when, to what. Append-only.

    Analytics are counts over it and webhooks are deliveries of it. `kind` is dotted:
    campaign.started, message.sent, message.bounced, reply.received, lead.unsubscribed,
    mailbox.paused, …
    """

    # System events (a worker's ping, a scheduler taking over) belong to no workspace.
    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    lead = models.ForeignKey(
        "contacts.Lead", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mailbox = models.ForeignKey(
        "send.Mailbox", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        "send.OutboundMessage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "kind", "at"]),
            models.Index(fields=["campaign", "kind", "at"]),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("events are never changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("events are never deleted one by one")
