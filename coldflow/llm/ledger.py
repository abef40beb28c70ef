"""The LlmCall table as the LLM client's log, response cache and budget counter."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from django.db.models import Sum

from coldflow.llm.models import LlmCall


def cached_response(input_hash: str) -> LlmCall | None:
    """The latest accepted answer to exactly this input, if any."""
    return LlmCall.objects.filter(input_hash=input_hash, status="ok").order_by("-id").first()


def spent_this_month(now: datetime | None = None) -> Decimal:
    now = now or datetime.now(UTC)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    total = LlmCall.objects.filter(created_at__gte=start).aggregate(total=Sum("cost_usd"))["total"]
    return total or Decimal(0)


def record(**fields) -> LlmCall:
    return LlmCall.objects.create(**fields)


def mark_rejected(call_id: int, reason: str) -> None:
    """An answer the caller could not use: kept in the log, no longer served from the cache."""
    LlmCall.objects.filter(id=call_id, status="ok").update(status="rejected", error=reason[:2000])
