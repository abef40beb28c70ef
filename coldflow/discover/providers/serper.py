"""Serper (Google results through serper.dev).

`POST https://google.serper.dev/search` with the key in `X-API-KEY` and a JSON body
`{"q", "page", "num", "hl"}`. Results are under `organic` (title, link, snippet, position).
Errors are JSON `{"message", "statusCode"}`: a wrong or missing key is 403 "Unauthorized.",
used-up credits are 400 "Not enough credits", too many requests are 429.
"""

from __future__ import annotations

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

DEFAULT_URL = "https://google.serper.dev/search"
PAGE_SIZE = 10


class SerperProvider(KeyedApiProvider):
    name: ClassVar[str] = "serper"
    label: ClassVar[str] = "Serper"
    syntax: ClassVar[QuerySyntax] = QuerySyntax()
    default_url: ClassVar[str] = DEFAULT_URL

    async def search(
        self, query: str, *, page: int = 1, language: str | None = None
    ) -> SearchOutcome:
        body: dict[str, Any] = {"q": query, "page": page, "num": PAGE_SIZE}
        if language:
            body["hl"] = language
        exchange = await self._http.request(
            "POST", self.url, json_body=body, headers={"X-API-KEY": self._api_key}
        )
        return self._outcome(exchange, query, page)

    def _outcome(self, exchange: Exchange, query: str, page: int) -> SearchOutcome:
        outcome = Outcomes(self.name, self.label, query, exchange, page)
        answer = exchange.answer
        if answer is None:
            return outcome.no_answer()
        status = answer.status
        said = f"HTTP {status}" + (f": {m}" if (m := _message_of(answer)) else "")
        if "credits" in said.lower() or status == 402:
            return outcome(
                "quota_exhausted",
                f"Serper has no credits left ({said}): top up the account at serper.dev.",
            )
        failure = outcome.standard_failure(
            answer, said, key_setting="SERPER_API_KEY", url_setting="SERPER_API_URL",
            url=self.url, rate_advice="search less at once or upgrade the plan.",
        )  # fmt: skip
        if failure is not None:
            return failure
        data = outcome.json_object(answer)
        if isinstance(data, SearchOutcome):
            return data
        organic = data.get("organic")
        if organic is None and isinstance(data.get("searchParameters"), dict):
            return outcome("ok", "Serper found nothing for this query.")
        if not isinstance(organic, list):
            return outcome("failed", "Serper answered JSON without organic results.")
        results: list[SearchResult] = []
        for item in organic[:MAX_RESULTS_PER_ANSWER]:
            if not isinstance(item, dict):
                continue
            position = (page - 1) * PAGE_SIZE + len(results) + 1
            result = make_result(
                item.get("link"), item.get("title"), item.get("snippet"), position, "google"
            )
            if result is not None:
                results.append(result)
        return outcome("ok", "", results=tuple(results))


def _message_of(answer: HttpAnswer) -> str:
    if answer.status == 200:
        return ""
    try:
        data = answer.json()
    except ValueError:
        return answer.excerpt(120)
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return data["message"][:200]
    return answer.excerpt(120)
