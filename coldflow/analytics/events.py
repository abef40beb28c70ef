"""Writing to the one event log."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from coldflow.analytics.models import Event


def record(kind: str, *, data: dict[str, Any] | None = None, **refs: Any) -> Event:
    """Append an event. `refs` are the model references: workspace, campaign, lead, mailbox,
    message."""
    return Event.objects.create(kind=kind, at=timezone.now(), data=data or {}, **refs)
