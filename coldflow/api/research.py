"""/api/leads, /api/companies (with their facts and sources), /api/people."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.db.models import Prefetch, Q
from ninja import Field, Router

from coldflow.accounts.access import get_or_404, scoped
from coldflow.api.errors import ERRORS
from coldflow.api.pagination import DEFAULT_LIMIT, Ordering, page
from coldflow.api.schemas import (
    CompanyDetail,
    CompanyPage,
    Cursor,
    Id,
    LeadOut,
    LeadPage,
    LeadStatusName,
    Limit,
    PersonOut,
    PersonPage,
    SearchText,
)
from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.contacts.search import search_leads
from coldflow.research.models import Company, Fact

leads = Router(tags=["leads"])
companies = Router(tags=["companies"])
people = Router(tags=["people"])

# Both orders follow an index on Lead: (workspace, [campaign, status,] -score, id) and
# (workspace, created_at, id).
LEAD_ORDERS = {
    "score": (Ordering(("-score", "id")), (float, int)),
    "created": (Ordering(("created_at", "id")), (datetime, int)),
}
BY_ID = Ordering(("id",))
Score = Annotated[float, Field(ge=0, le=1000)]


def _leads(access):
    return scoped(Lead, access).select_related("person", "company", "email")


@leads.get("", response={200: LeadPage, **ERRORS})
def list_leads(
    request,
    campaign: Id | None = None,
    status: LeadStatusName | None = None,
    min_score: Score | None = None,
    q: SearchText | None = None,
    order: Literal["score", "created"] = "score",
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """Leads, best score first (or oldest first with order=created), filtered."""
    rows = _leads(request.auth)
    if campaign is not None:
        rows = rows.filter(campaign_id=campaign)
    if status:
        rows = rows.filter(status=status)
    if min_score is not None:
        rows = rows.filter(score__gte=min_score)
    if q:
        rows = search_leads(rows, q)
    ordering, kinds = LEAD_ORDERS[order]
    items, next_cursor = page(rows, ordering, kinds, cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@leads.get("/{lead_id}", response={200: LeadOut, **ERRORS})
def get_lead(request, lead_id: Id):
    return get_or_404(_leads(request.auth), request.auth, pk=lead_id)


@companies.get("", response={200: CompanyPage, **ERRORS})
def list_companies(
    request,
    q: SearchText | None = None,
    research_status: Literal["new", "researching", "researched", "failed"] | None = None,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    rows = scoped(Company, request.auth)
    if q and q.strip():
        rows = rows.filter(Q(name__icontains=q.strip()) | Q(domain__icontains=q.strip()))
    if research_status:
        rows = rows.filter(research_status=research_status)
    items, next_cursor = page(rows, BY_ID, (int,), cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@companies.get("/{company_id}", response={200: CompanyDetail, **ERRORS})
def get_company(request, company_id: Id):
    """The company and every fact known about it, each with the URL it came from."""
    facts = Prefetch("facts", queryset=Fact.objects.order_by("key", "id"))
    return get_or_404(
        scoped(Company, request.auth).prefetch_related(facts), request.auth, pk=company_id
    )


def _people(access):
    emails = Prefetch("emails", queryset=EmailAddress.objects.order_by("id"))
    return scoped(Person, access).select_related("company").prefetch_related(emails)


@people.get("", response={200: PersonPage, **ERRORS})
def list_people(
    request,
    company: Id | None = None,
    q: SearchText | None = None,
    cursor: Cursor | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    rows = _people(request.auth)
    if company is not None:
        rows = rows.filter(company_id=company)
    if q and q.strip():
        rows = rows.filter(Q(full_name__icontains=q.strip()) | Q(title__icontains=q.strip()))
    items, next_cursor = page(rows, BY_ID, (int,), cursor, limit)
    return {"items": items, "next_cursor": next_cursor}


@people.get("/{person_id}", response={200: PersonOut, **ERRORS})
def get_person(request, person_id: Id):
    return get_or_404(_people(request.auth), request.auth, pk=person_id)
