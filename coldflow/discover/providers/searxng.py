"""SearXNG, the self-hosted metasearch engine: coldflow's default provider.

`GET {base}/search?q=…&format=json&pageno=…&language=…`. The JSON format is off in a fresh
SearXNG; the instance answers 403 until `search: formats: [html, json]` is set in its
settings.yml. SearXNG itself answers even when every engine behind it failed, listing them in
`unresponsive_engines` ([["google", "CAPTCHA"], …]): that is reported as what it is, not as
zero results.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

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
    HttpClient,
    RetryPolicy,
    retry_after_seconds,
)
from coldflow.discover.queries import QuerySyntax

# SearXNG shows about ten results a page; positions continue across pages.
PAGE_SIZE = 10
_ENGINE_TROUBLE: tuple[tuple[tuple[str, ...], OutcomeStatus], ...] = (
    (("captcha", "access denied", "cloudflare", "blocked", "forbidden"), "blocked"),
    (("too many requests", "rate", "suspended"), "rate_limited"),
    (("timeout", "timed out", "connection", "unreachable", "network", "http error"), "unavailable"),
)


class SearxngProvider(ClosingProvider):
    name: ClassVar[str] = "searxng"
    label: ClassVar[str] = "SearXNG"
    # SearXNG hands operators on to its engines, which understand them.
    syntax: ClassVar[QuerySyntax] = QuerySyntax()

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession | None = None,
        policy: RetryPolicy = DEFAULT_POLICY,
    ):
        self.base_url = base_url.rstrip("/")
        self._http = HttpClient(session, policy)
        # Messages are shown and stored: never with the password SEARXNG_URL may carry.
        parts = urlsplit(self.base_url)
        self._shown_url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def search(
        self, query: str, *, page: int = 1, language: str | None = None
    ) -> SearchOutcome:
        params = {"q": query, "format": "json", "pageno": str(page)}
        if language:
            params["language"] = language
        exchange = await self._http.request("GET", f"{self.base_url}/search", params=params)
        return self._outcome(exchange, query, page)

    def _outcome(self, exchange: Exchange, query: str, page: int) -> SearchOutcome:
        def outcome(status: OutcomeStatus, message: str, **extra: Any) -> SearchOutcome:
            return SearchOutcome(
                self.name, query, status, message=message, attempts=exchange.attempts,
                page=page, **extra,
            )  # fmt: skip

        where = f"SearXNG at {self._shown_url}"
        answer = exchange.answer
        if answer is None:
            return outcome(
                exchange.missing_status,
                exchange.missing(where) + ("" if exchange.answered else " Check SEARXNG_URL."),
            )
        status = answer.status
        if status == 403:
            return outcome(
                "misconfigured",
                f"{where} refused the JSON format (HTTP 403): enable it in the instance's "
                "settings.yml with `search: formats: [html, json]` and restart SearXNG.",
            )
        if status == 401:
            return outcome(
                "auth_failed",
                f"{where} asks for a login (HTTP 401): put the credentials into SEARXNG_URL as "
                "https://user:password@host/.",
            )
        if status == 404:
            return outcome(
                "misconfigured",
                f"{where} has no search page (HTTP 404): SEARXNG_URL must be the instance's "
                "base address, the one that serves /search.",
            )
        if status == 429:
            return outcome(
                "rate_limited",
                f"{where} turned the request away as too many (HTTP 429, after "
                f"{exchange.attempts} attempts). On your own instance, turn off "
                "`server.limiter` in settings.yml, or wait.",
                retry_after=retry_after_seconds(answer.headers.get("retry-after")),
            )
        if status >= 500:
            return outcome(
                "unavailable",
                f"{where} failed with HTTP {status} after {exchange.attempts} attempts.",
                retry_after=retry_after_seconds(answer.headers.get("retry-after")),
            )
        if status != 200:
            return outcome("failed", f"{where} answered HTTP {status}: {answer.excerpt()}")
        try:
            data = answer.json()
        except ValueError:
            return outcome(
                "failed",
                f"{where} answered with something that is not JSON ({answer.content_type or 'no type'}"
                f": {answer.excerpt(80)!r}); check that SEARXNG_URL points at SearXNG itself.",
            )
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            return outcome("failed", f"{where} answered JSON without a result list.")
        results = _results(data["results"], page)
        trouble = _unresponsive(data.get("unresponsive_engines"))
        if results:
            note = f"{len(trouble)} of its engines did not answer." if trouble else ""
            return outcome("ok", note, results=results)
        if trouble:
            named = ", ".join(f"{engine} ({reason})" for engine, reason in trouble)
            return outcome(
                _status_of(trouble),
                f"{where} found nothing because its engines failed: {named}.",
            )
        return outcome("ok", "SearXNG found nothing for this query.")


def _results(items: list[Any], page: int) -> tuple[SearchResult, ...]:
    results: list[SearchResult] = []
    for item in items[:MAX_RESULTS_PER_ANSWER]:
        if not isinstance(item, dict):
            continue
        position = (page - 1) * PAGE_SIZE + len(results) + 1
        result = make_result(
            item.get("url"), item.get("title"), item.get("content"), position, item.get("engine")
        )
        if result is not None:
            results.append(result)
    return tuple(results)


def _unresponsive(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return []
    pairs = []
    for entry in value[:50]:
        if isinstance(entry, list | tuple) and len(entry) >= 2:
            pairs.append((str(entry[0])[:40], str(entry[1])[:80]))
    return pairs


def _status_of(trouble: list[tuple[str, str]]) -> OutcomeStatus:
    reasons = " ".join(reason.lower() for _, reason in trouble)
    for words, status in _ENGINE_TROUBLE:
        if any(word in reasons for word in words):
            return status
    return "failed"
