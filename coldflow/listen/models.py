from django.db import models

from coldflow.accounts.models import WorkspaceScoped


class FolderState(models.Model):
    """How far the inbox reader got in one folder of one mailbox."""

    mailbox = models.ForeignKey("send.Mailbox", on_delete=models.CASCADE, related_name="+")
    folder = models.CharField(max_length=200)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "folder"], name="folder_state_unique")
        ]


class InboundKind(models.TextChoices):
    REPLY = "reply"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    UNSUBSCRIBE = "unsubscribe"
    OTHER = "other"


class Intent(models.TextChoices):
    INTERESTED = "interested"
    NOT_NOW = "not_now"
    NOT_INTERESTED = "not_interested"
    REFERRAL = "referral"
    QUESTION = "question"


class InboundMessage(WorkspaceScoped):
    mailbox = models.ForeignKey("send.Mailbox", on_delete=models.CASCADE, related_name="inbound")
    folder = models.CharField(max_length=200)
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    from_address = models.CharField(max_length=320, blank=True)
    subject = models.TextField(blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=InboundKind.choices)
    intent = models.CharField(max_length=16, choices=Intent.choices, blank=True)
    reply_text = models.TextField(blank=True)
    return_date = models.DateField(null=True, blank=True)
    # The whole reading: recipients of a bounce, the referred person, why this kind…
    classification = models.JSONField(default=dict)
    matched_message = models.ForeignKey(
        "send.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead = models.ForeignKey(
        "contacts.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound"
    )
    # How it was tied to what we sent: in_reply_to, references, dsn_original, verp, sender.
    match_method = models.CharField(max_length=16, blank=True)
    raw_size = models.PositiveIntegerField(default=0)
    # The message as received, capped; the mailbox keeps the original.
    raw = models.BinaryField(blank=True)
    consequences_applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "folder", "uidvalidity", "uid"], name="inbound_unique"
            )
        ]
