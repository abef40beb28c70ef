"""Serper (Google results through serper.dev).

`POST https://google.serper.dev/search` with the key in `X-API-KEY` and a JSON body
`{"q", "page", "num", "hl"}`. Results are under `organic` (title, link, snippet, position).
Errors are JSON `{"message", "statusCode"}`: a wrong or missing key is 403 "Unauthorized.",
used-up credits are 400 "Not enough credits", too many requests are 429.
"""

from __future__ import annotations

from typing import Any, ClassVar

import aiohttp

from coldflow.discover.providers.base import ClosingProvider
from coldflow.discover.providers.outcome import (
    MAX_RESULTS_PER_ANSWER,
    OutcomeStatus,
    SearchOutcome,
    SearchResult,
    make_result,
)
from coldflow.discover.providers.transport import (
    DEFAULT_POLICY,
    Exchange,
    HttpAnswer,
    HttpClient,
    RetryPolicy,
    retry_after_seconds,
)
from coldflow.discover.queries import QuerySyntax

DEFAULT_URL = "https://google.serper.dev/search"
PAGE_SIZE = 10


class SerperProvider(ClosingProvider):
    name: ClassVar[str] = "serper"
    label: ClassVar[str] = "Serper"
    syntax: ClassVar[QuerySyntax] = QuerySyntax()

    def __init__(
        self,
        api_key: str,
        *,
        url: str = DEFAULT_URL,
        session: aiohttp.ClientSession | None = None,
        policy: RetryPolicy = DEFAULT_POLICY,
    ):
        self.url = url
        self._api_key = api_key
        self._http = HttpClient(session, policy)

    async def aclose(self) -> None:
        await self._http.aclose()

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
        def outcome(status: OutcomeStatus, message: str, **extra: Any) -> SearchOutcome:
            return SearchOutcome(
                self.name, query, status, message=message, attempts=exchange.attempts,
                page=page, **extra,
            )  # fmt: skip

        answer = exchange.answer
        if answer is None:
            return outcome(exchange.missing_status, exchange.missing("Serper"))
        status = answer.status
        said = f"HTTP {status}" + (f": {m}" if (m := _message_of(answer)) else "")
        if status in (401, 403):
            return outcome(
                "auth_failed", f"Serper rejected the API key ({said}): check SERPER_API_KEY."
            )
        if "credits" in said.lower() or status == 402:
            return outcome(
                "quota_exhausted",
                f"Serper has no credits left ({said}): top up the account at serper.dev.",
            )
        if status == 404:
            return outcome(
                "misconfigured", f"Serper has nothing at {self.url} ({said}): check SERPER_API_URL."
            )
        if status == 429:
            return outcome(
                "rate_limited",
                f"Serper's rate limit was hit ({said}) on all {exchange.attempts} attempts: "
                "search less at once or upgrade the plan.",
                retry_after=retry_after_seconds(answer.headers.get("retry-after")),
            )
        if status >= 500:
            return outcome(
                "unavailable", f"Serper failed ({said}) after {exchange.attempts} attempts."
            )
        if status != 200:
            return outcome("failed", f"Serper did not accept the request ({said}).")
        try:
            data = answer.json()
        except ValueError:
            return outcome(
                "failed", f"Serper answered something that is not JSON: {answer.excerpt(80)!r}"
            )
        if not isinstance(data, dict):
            return outcome("failed", "Serper answered JSON of an unexpected shape.")
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
