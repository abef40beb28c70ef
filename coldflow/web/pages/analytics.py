"""Analytics: sends, replies, positive replies and bounces per day; the funnel per step,
variant and mailbox (coldflow.analytics.funnel, the same counts as the API's); A/B/n tests."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.shortcuts import render
from django.utils import timezone

from coldflow.accounts.access import scoped, workspace_view
from coldflow.analytics.funnel import funnel
from coldflow.analytics.models import Event
from coldflow.analytics.significance import compare
from coldflow.campaigns.models import Campaign
from coldflow.send.models import OutboundMessage

SERIES = (
    ("sent", "message.sent"),
    ("replies", "reply.received"),
    ("bounces", "message.bounced"),
)
DAYS = 30


def daily_series(events, days: int = DAYS, today=None) -> dict:
    """{"x": [unix seconds per day], "series": [{"label", "values"}…]} for the chart."""
    today = today or timezone.now().date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, time(0), tzinfo=timezone.get_current_timezone())
    counts: dict[str, dict] = defaultdict(dict)
    rows = (
        events.filter(at__gte=since, kind__in=[kind for _, kind in SERIES])
        .annotate(day=TruncDate("at"))
        .values_list("day", "kind")
        .annotate(n=Count("id"))
    )
    for day, kind, n in rows:
        counts[kind][day] = n
    positive = (
        events.filter(at__gte=since, kind="reply.received", data__intent="interested")
        .annotate(day=TruncDate("at"))
        .values_list("day")
        .annotate(n=Count("id"))
    )
    counts["positive"] = dict(positive)
    day_list = [first + timedelta(days=i) for i in range(days)]
    labels = [(label, kind) for label, kind in SERIES] + [("positive replies", "positive")]
    return {
        "x": [int(datetime.combine(d, time(12), tzinfo=UTC).timestamp()) for d in day_list],
        "series": [
            {
                "label": label,
                "values": [counts[kind].get(d, 0) for d in day_list],
                "total": sum(counts[kind].get(d, 0) for d in day_list),
            }
            for label, kind in labels
        ],
    }


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def ab_tests(variant_rows) -> list[dict]:
    """Per campaign step with two or more variants: reply rates and the significance test."""
    by_step: dict[tuple, list] = defaultdict(list)
    for row in variant_rows:
        campaign_id, campaign_name, position, label = row.group
        by_step[(campaign_name, position)].append((label, row.counts))
    tests = []
    for (campaign_name, position), variants in sorted(
        by_step.items(), key=lambda i: (i[0][0], i[0][1] or 0)
    ):
        if len(variants) < 2:
            continue
        variants.sort(key=lambda v: v[0] or "")
        result = compare([(c["replied"], c["sent"]) for _, c in variants])
        positive = compare([(c["positive"], c["sent"]) for _, c in variants])
        tests.append(
            {
                "campaign": campaign_name,
                "step": (position or 0) + 1,
                "variants": [
                    {"label": label, **c, "reply_rate": _rate(c["replied"], c["sent"])}
                    for label, c in variants
                ],
                "replies": result,
                "positive": positive,
            }
        )
    return tests


@workspace_view()
def analytics(request):
    access = request.access
    messages = scoped(OutboundMessage, access)
    events = scoped(Event, access)
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        messages = messages.filter(campaign_id=int(campaign))
        events = events.filter(campaign_id=int(campaign))
    tables = {}
    for by in ("campaign", "step", "variant", "mailbox"):
        rows = funnel(messages, events, by)
        for row in rows:
            c = row.counts
            row.rates = {
                "reply": _rate(c["replied"], c["sent"]),
                "positive": _rate(c["positive"], c["sent"]),
                "bounce": _rate(c["bounced"], c["sent"]),
            }
        tables[by] = rows
    context = {
        "chart": daily_series(events),
        "tables": tables,
        "tests": ab_tests(tables["variant"]),
        "campaigns": scoped(Campaign, access).order_by("name").only("id", "name"),
        "campaign": campaign,
    }
    return render(request, "web/analytics.html", context)
