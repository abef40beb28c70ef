"""Discovery end to end on the sandbox world's search documents: queries from an ICP, searched
through the SearXNG provider on a local SearXNG-style server over those documents, ranked.
The companies that match come out on top with their reasons, and every directory, social
network, news site, job board and marketplace page is filtered."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from functools import cache

from aiohttp import web

from coldflow.discover.icp import ICP, resolve_location
from coldflow.discover.providers.outcome import make_result
from coldflow.discover.providers.searxng import SearxngProvider
from coldflow.discover.providers.transport import RetryPolicy
from coldflow.discover.queries import generate_queries
from coldflow.discover.ranking import QueryHit, RankedCandidate, rank_candidates
from coldflow.sandbox.world.generate import generate_world
from coldflow.sandbox.world.model import World


@cache
def world() -> World:
    return generate_world(seed=1, companies=60)


def company_domains() -> set[str]:
    return {company.domain for company in world().companies}


def search_app() -> web.Application:
    """A SearXNG-shaped search over the world's documents: documents score by how many of the
    query's words they contain; `-site:` excludes."""

    async def search(request: web.Request) -> web.Response:
        query = request.query["q"]
        page = int(request.query.get("pageno", "1"))
        excluded = re.findall(r"-site:(\S+)", query)
        words = [w.casefold() for w in query.split() if not w.startswith("-")]
        scored = []
        for index, doc in enumerate(world().search_documents):
            if any(site in doc.url for site in excluded):
                continue
            text = doc.text.casefold()
            score = sum(1 for word in words if word in text)
            if score:
                scored.append((-score, index, doc))
        hits = [doc for _, _, doc in sorted(scored)][(page - 1) * 10 : page * 10]
        results = [
            {"url": d.url, "title": d.title, "content": d.content, "engine": "sandbox"}
            for d in hits
        ]
        return web.json_response({"query": query, "results": results, "unresponsive_engines": []})

    app = web.Application()
    app.router.add_get("/search", search)
    return app


def discover(icp: ICP) -> list[RankedCandidate]:
    async def go() -> list[QueryHit]:
        runner = web.AppRunner(search_app())
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        hits: list[QueryHit] = []
        try:
            async with SearxngProvider(url, policy=RetryPolicy(attempts=1)) as provider:
                for query in generate_queries(icp, SearxngProvider.syntax, limit=20):
                    for page in (1, 2):
                        outcome = await provider.search(
                            query.text, page=page, language=query.language
                        )
                        assert outcome.ok, outcome.message
                        hits.extend(QueryHit(query.text, r, provider.name) for r in outcome.results)
        finally:
            await runner.cleanup()
        return hits

    return rank_candidates(icp, asyncio.run(go()))


def test_the_matching_companies_are_found_and_ranked_first_with_their_reasons() -> None:
    (industry, city), _ = Counter((c.industry, c.city) for c in world().companies).most_common(1)[0]
    wanted = {c.domain for c in world().companies if (c.industry, c.city) == (industry, city)}
    icp = ICP(industries=(industry,), locations=resolve_location(city))

    candidates = discover(icp)

    accepted = [c for c in candidates if c.status == "accepted"]
    assert {c.domain for c in accepted[: len(wanted)]} == wanted
    for candidate in accepted[: len(wanted)]:
        assert {r.factor for r in candidate.fit_reasons} == {"industry", "location"}
        assert candidate.fit_score == 1.0
    assert {c.domain for c in accepted} <= company_domains()


def test_every_noise_page_of_the_sandbox_is_filtered_and_no_company_is() -> None:
    hits = [
        QueryHit("any", result)
        for index, doc in enumerate(world().search_documents)
        if (result := make_result(doc.url, doc.title, doc.content, index + 1, "sandbox"))
    ]

    candidates = rank_candidates(ICP(industries=("logistics",)), hits)

    by_status: dict[str, set[str]] = {}
    for candidate in candidates:
        by_status.setdefault(candidate.status, set()).add(candidate.domain)
    assert by_status["accepted"] == company_domains()
    assert by_status["filtered"].isdisjoint(company_domains())
    noise_kinds = Counter(doc.kind for doc in world().search_documents if doc.kind != "company")
    assert set(noise_kinds) == {"directory", "social", "news", "job_board", "marketplace"}
