"""The leads table (server-side filters, sorts, search and keyset pages over Lead's indexes),
its bulk actions and CSV export, and the lead page with everything known and its sources."""

from __future__ import annotations

import csv
from datetime import datetime

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coldflow.accounts.access import get_or_404, scoped, workspace_view
from coldflow.api.pagination import CursorError, Ordering, page
from coldflow.campaigns.models import Campaign
from coldflow.contacts.models import EmailAddress, Lead, LeadStatus, Person, VerificationStep
from coldflow.contacts.search import search_leads
from coldflow.listen.models import InboundMessage
from coldflow.research.models import Fact
from coldflow.send.models import OutboundMessage
from coldflow.web.pages import lead_actions
from coldflow.web.security import back_to

PAGE_SIZE = 50
# Both follow an index on Lead: (workspace, [campaign, status,] -score, id) and
# (workspace, created_at, id).
ORDERS = {
    "score": (Ordering(("-score", "id")), (float, int), "Best score first"),
    "created": (Ordering(("created_at", "id")), (datetime, int), "Oldest first"),
    "newest": (Ordering(("-created_at", "-id")), (datetime, int), "Newest first"),
}


def lead_filters(request) -> dict:
    """The table's filters from the query string, cleaned (unknown values are dropped)."""
    get = request.GET
    filters = {"campaign": "", "status": "", "min_score": "", "q": "", "order": "score"}
    if get.get("campaign", "").isdigit():
        filters["campaign"] = get["campaign"]
    if get.get("status") in LeadStatus.values:
        filters["status"] = get["status"]
    try:
        if get.get("min_score"):
            filters["min_score"] = str(max(0.0, min(float(get["min_score"]), 1000.0)))
    except ValueError:
        pass
    filters["q"] = " ".join(get.get("q", "").split())[:200]
    if get.get("order") in ORDERS:
        filters["order"] = get["order"]
    return filters


def filtered_leads(access, filters: dict):
    rows = scoped(Lead, access)
    if filters["campaign"]:
        rows = rows.filter(campaign_id=int(filters["campaign"]))
    if filters["status"]:
        rows = rows.filter(status=filters["status"])
    if filters["min_score"]:
        rows = rows.filter(score__gte=float(filters["min_score"]))
    return search_leads(rows, filters["q"])


def _query(filters: dict, **extra) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in {**filters, **extra}.items() if v})


@workspace_view()
def leads(request):
    access = request.access
    filters = lead_filters(request)
    ordering, kinds, _ = ORDERS[filters["order"]]
    rows = filtered_leads(access, filters).select_related("person", "company", "email", "campaign")
    try:
        items, next_cursor = page(rows, ordering, kinds, request.GET.get("after"), PAGE_SIZE)
    except CursorError as exc:
        messages.error(request, str(exc))
        items, next_cursor = page(rows, ordering, kinds, None, PAGE_SIZE)
    context = {
        "leads": items,
        "filters": filters,
        "next_url": f"?{_query(filters, after=next_cursor)}" if next_cursor else "",
        "first_url": f"?{_query(filters)}" if request.GET.get("after") else "",
        "export_url": reverse("leads-export") + f"?{_query(filters)}",
        "campaigns": scoped(Campaign, access).order_by("name").only("id", "name"),
        "statuses": LeadStatus.values,
        "orders": [(key, label) for key, (_, _, label) in ORDERS.items()],
        "actions": lead_actions.ACTIONS,
        "back": request.get_full_path(),
    }
    template = "web/_leads_table.html" if request.headers.get("HX-Request") else "web/leads.html"
    return render(request, template, context)


@workspace_view(write=True)
@require_POST
def leads_bulk(request):
    action = request.POST.get("action", "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    if action not in lead_actions.ACTIONS or not ids:
        messages.error(request, "Choose some leads and an action.")
    else:
        chosen = scoped(Lead, request.access).filter(pk__in=ids).select_related("email", "campaign")
        changed = lead_actions.apply(request.access, action, chosen)
        messages.success(request, f"{lead_actions.ACTIONS[action]}: {len(changed)} lead(s).")
    return back_to(request, "leads")


CSV_COLUMNS = (
    "id", "campaign", "status", "score", "name", "title", "company", "domain", "email",
    "verdict", "created_at",
)  # fmt: skip


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ gets a leading quote."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


@workspace_view()
def leads_export(request):
    """Every lead the filters select, streamed as CSV (constant memory at any size)."""
    filters = lead_filters(request)
    ordering, _, _ = ORDERS[filters["order"]]
    rows = (
        filtered_leads(request.access, filters)
        .order_by(*ordering.fields)
        .values_list(
            "id",
            "campaign__name",
            "status",
            "score",
            "person__full_name",
            "person__title",
            "company__name",
            "company__domain",
            "email__address",
            "email__verdict",
            "created_at",
        )  # fmt: skip
    )
    writer = csv.writer(_Echo())

    def stream():
        yield writer.writerow(CSV_COLUMNS)
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow([csv_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="leads.csv"'
    return response


@workspace_view()
def lead(request, pk: int):
    access = request.access
    found = get_or_404(
        Lead.objects.select_related("person", "company", "email", "campaign"), access, pk=pk
    )
    company = found.company
    facts = scoped(Fact, access).filter(company=company).order_by("key", "id")
    facts_by_id = {f.pk: f for f in facts}
    people = scoped(Person, access).filter(company=company).order_by("full_name")
    emails = (
        scoped(EmailAddress, access)
        .filter(Q(company=company) | Q(person=found.person))
        .select_related("person")
        .prefetch_related(
            Prefetch("verification_steps", queryset=VerificationStep.objects.order_by("at", "id"))
        )
        .order_by("address")
    )
    explanation = []
    for factor in found.score_explanation or []:
        if not isinstance(factor, dict):
            continue
        fact = facts_by_id.get(factor.get("fact_id"))
        explanation.append(
            {**factor, "source_url": factor.get("source_url") or (fact.source_url if fact else "")}
        )
    outbound = scoped(OutboundMessage, access).filter(lead=found).select_related("step", "variant")
    inbound = scoped(InboundMessage, access).filter(lead=found)
    thread = sorted(
        [("out", m.sent_at or m.created_at, m) for m in outbound]
        + [("in", m.received_at or m.created_at, m) for m in inbound],
        key=lambda item: item[1],
    )
    context = {
        "lead": found,
        "company": company,
        "facts": facts,
        "people": people,
        "emails": emails,
        "explanation": explanation,
        "drafts": [m for m in outbound if m.state in ("draft", "approved", "rejected")],
        "thread": thread,
        "actions": lead_actions.ACTIONS,
    }
    return render(request, "web/lead.html", context)
