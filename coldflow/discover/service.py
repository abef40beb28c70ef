"""Discovery: from an ICP to ranked candidate companies, through one search provider."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coldflow.discover.icp import ICP
from coldflow.discover.providers.outcome import SearchOutcome
from coldflow.discover.providers.registry import provider_from_settings
from coldflow.discover.queries import GeneratedQuery, generate_queries
from coldflow.discover.ranking import QueryHit, RankedCandidate, rank_candidates

# Outcomes after which further queries to the same provider cannot succeed either.
FATAL = frozenset({"auth_failed", "quota_exhausted", "misconfigured"})
QUERIES_AT_ONCE = 4


@dataclass
class Discovery:
    provider: str
    searches: list[tuple[GeneratedQuery, SearchOutcome | None]]
    candidates: list[RankedCandidate]
    # Set when the provider cannot be used at all (wrong key, quota gone, JSON disabled…).
    stopped_because: str | None = None

    @property
    def accepted(self) -> list[RankedCandidate]:
        return [c for c in self.candidates if c.status == "accepted"]


def discover(
    icp: ICP,
    settings: Mapping[str, Any],
    *,
    provider_name: str | None = None,
    existing_domains: Iterable[str] = (),
    query_limit: int = 30,
    query_range: tuple[int, int] | None = None,
) -> Discovery:
    """Run the ICP's queries and rank what they find. Provider trouble is reported in the
    result (per query, and `stopped_because` when it is fatal), never raised.

    `query_range` (start, stop) runs only that slice of the generated queries: the
    orchestrator discovers a campaign's companies one batch of queries at a time."""
    return asyncio.run(
        _discover(icp, settings, provider_name, set(existing_domains), query_limit, query_range)
    )


async def _discover(icp, settings, provider_name, existing, query_limit, query_range) -> Discovery:
    provider = provider_from_settings(provider_name, settings)
    queries = generate_queries(icp, provider.syntax, limit=query_limit)
    if query_range is not None:
        queries = queries[query_range[0] : query_range[1]]
    outcomes: dict[int, SearchOutcome] = {}
    stopped: list[str] = []
    gate = asyncio.Semaphore(QUERIES_AT_ONCE)

    async def run(index: int, query: GeneratedQuery) -> None:
        async with gate:
            if stopped:
                return
            outcome = await provider.search(query.text, language=query.language)
            outcomes[index] = outcome
            if outcome.status in FATAL and not stopped:
                stopped.append(outcome.message)

    async with provider:
        await asyncio.gather(*(run(i, q) for i, q in enumerate(queries)))

    hits = [
        QueryHit(query=outcome.query, result=result, provider=provider.name)
        for outcome in outcomes.values()
        if outcome.status == "ok"
        for result in outcome.results
    ]
    return Discovery(
        provider=provider.name,
        searches=[(q, outcomes.get(i)) for i, q in enumerate(queries)],
        candidates=rank_candidates(icp, hits, existing_domains=existing),
        stopped_because=stopped[0] if stopped else None,
    )
