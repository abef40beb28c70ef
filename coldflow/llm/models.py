from django.db import models


class LlmCall(models.Model):
    """Every call to the configured LLM, with what it cost; also the response cache."""

    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Which stage asked: query_expansion, icebreaker, email, reply_intent…
    purpose = models.CharField(max_length=32)
    model = models.CharField(max_length=200)
    # SHA-256 of the model and the exact request: equal inputs reuse the stored answer.
    input_hash = models.CharField(max_length=64, db_index=True)
    response_text = models.TextField(blank=True)
    status = models.CharField(max_length=16)  # ok, rejected, failed
    error = models.TextField(blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
