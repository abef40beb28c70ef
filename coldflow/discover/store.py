"""Saving a discovery: every query with its outcome, every candidate, and accepted companies."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from coldflow.accounts.models import Workspace
from coldflow.discover.models import Candidate, SearchQuery
from coldflow.discover.service import Discovery
from coldflow.research.models import Company


def existing_domains(workspace: Workspace) -> set[str]:
    return set(
        Company.objects.filter(workspace=workspace)
        .annotate(d=Lower("domain"))
        .values_list("d", flat=True)
    )


@transaction.atomic
def save_discovery(workspace: Workspace, discovery: Discovery, campaign=None) -> list[Company]:
    now = timezone.now()
    queries: dict[str, SearchQuery] = {}
    for generated, outcome in discovery.searches:
        query, _ = SearchQuery.objects.update_or_create(
            workspace=workspace,
            campaign=campaign,
            provider=discovery.provider,
            query=generated.text,
            defaults={
                "origin": generated.origin,
                "status": outcome.status if outcome else "pending",
                "result_count": len(outcome.results) if outcome else 0,
                "error": outcome.message if outcome and outcome.status != "ok" else "",
                "attempts": outcome.attempts if outcome else 0,
                "ran_at": now if outcome else None,
            },
        )
        queries[generated.text] = query

    companies = []
    for candidate in discovery.candidates:
        company = None
        if candidate.status == "accepted":
            company, _ = Company.objects.get_or_create(
                workspace=workspace, domain=candidate.domain, defaults={"origin": "search"}
            )
            companies.append(company)
        first_query = queries.get(candidate.queries[0]) if candidate.queries else None
        if first_query is None:
            continue
        Candidate.objects.create(
            query=first_query,
            company=company,
            domain=candidate.domain,
            url=candidate.url[:2000],
            title=candidate.title,
            snippet=candidate.snippet,
            position=candidate.position,
            status=candidate.status,
            filter_reason=candidate.filter_reason,
            fit_score=candidate.fit_score,
            fit_reasons=[reason.as_dict() for reason in candidate.fit_reasons],
        )
    return companies
