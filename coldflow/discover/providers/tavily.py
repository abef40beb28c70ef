"""Tavily search API.

`POST https://api.tavily.com/search` with `Authorization: Bearer <key>` and a JSON body
`{"query", "max_results", "search_depth", "exclude_domains"}`. Results are under `results`
(url, title, content). Errors carry `{"detail": {"error": "…"}}`: 401 for a wrong or missing
key, 429 for too many requests, 432 when the plan's monthly credits are used up and 433 when
the pay-as-you-go limit is reached.

Tavily reads queries as plain language: it gets neither quotes nor negated terms, and the
`-site:` exclusions of a query move into `exclude_domains`. It has no pages beyond the first.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from coldflow.discover.providers.keyed_api import KeyedApiProvider, Outcomes
from coldflow.discover.providers.outcome import (
    MAX_RESULTS_PER_ANSWER,
    SearchOutcome,
    SearchResult,
    make_result,
)
from coldflow.discover.providers.transport import Exchange, HttpAnswer
from coldflow.discover.queries import QuerySyntax

DEFAULT_URL = "https://api.tavily.com/search"
MAX_RESULTS = 20
_SITE_EXCLUSION = re.compile(r"(?:^|\s)-site:(\S+)")
_QUOTA_STATUSES = {432: "the plan's monthly credits", 433: "the pay-as-you-go limit"}


class TavilyProvider(KeyedApiProvider):
    name: ClassVar[str] = "tavily"
    label: ClassVar[str] = "Tavily"
    syntax: ClassVar[QuerySyntax] = QuerySyntax(quotes=False, negative_terms=False)
    default_url: ClassVar[str] = DEFAULT_URL

    async def search(
        self, query: str, *, page: int = 1, language: str | None = None
    ) -> SearchOutcome:
        if page > 1:
            return SearchOutcome(
                self.name, query, "ok", message="Tavily answers one page per query.", page=page
            )
        excluded = _SITE_EXCLUSION.findall(query)
        body: dict[str, Any] = {
            "query": " ".join(_SITE_EXCLUSION.sub(" ", query).split()),
            "max_results": MAX_RESULTS,
            "search_depth": "basic",
            "include_answer": False,
        }
        if excluded:
            body["exclude_domains"] = excluded
        exchange = await self._http.request(
            "POST", self.url, json_body=body, headers={"Authorization": f"Bearer {self._api_key}"}
        )
        return self._outcome(exchange, query)

    def _outcome(self, exchange: Exchange, query: str) -> SearchOutcome:
        outcome = Outcomes(self.name, self.label, query, exchange, page=1)
        answer = exchange.answer
        if answer is None:
            return outcome.no_answer()
        status = answer.status
        said = f"HTTP {status}" + (f": {m}" if (m := _message_of(answer)) else "")
        if status in _QUOTA_STATUSES:
            return outcome(
                "quota_exhausted",
                f"Tavily refused the search because {_QUOTA_STATUSES[status]} are used up ({said}): "
                "raise the limit or upgrade the plan at app.tavily.com.",
            )
        failure = outcome.standard_failure(
            answer, said, key_setting="TAVILY_API_KEY", url_setting="TAVILY_API_URL",
            url=self.url, rate_advice="search less at once.",
        )  # fmt: skip
        if failure is not None:
            return failure
        data = outcome.json_object(answer)
        if isinstance(data, SearchOutcome):
            return data
        if not isinstance(data.get("results"), list):
            return outcome("failed", "Tavily answered JSON without a result list.")
        results: list[SearchResult] = []
        for item in data["results"][:MAX_RESULTS_PER_ANSWER]:
            if not isinstance(item, dict):
                continue
            result = make_result(
                item.get("url"), item.get("title"), item.get("content"), len(results) + 1, "tavily"
            )
            if result is not None:
                results.append(result)
        message = "" if results else "Tavily found nothing for this query."
        return outcome("ok", message, results=tuple(results))


def _message_of(answer: HttpAnswer) -> str:
    if answer.status == 200:
        return ""
    try:
        data = answer.json()
    except ValueError:
        return answer.excerpt(120)
    detail = data.get("detail") if isinstance(data, dict) else None
    if isinstance(detail, dict) and isinstance(detail.get("error"), str):
        return detail["error"][:200]
    if isinstance(detail, str):
        return detail[:200]
    return answer.excerpt(120)
