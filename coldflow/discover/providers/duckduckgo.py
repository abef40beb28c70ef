"""DuckDuckGo through the `ddgs` package: no key needed, and fragile.

DuckDuckGo has no search API; `ddgs` reads its result pages, so it breaks when the pages
change and gets blocked or rate-limited when used much. It is a fallback for trying coldflow
out, not a provider to rely on. Its failures are reported like any other provider's; it needs
direct internet access.

`ddgs` is synchronous; each search runs in a worker thread with its own time limit.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from coldflow.discover.providers.base import ClosingProvider
from coldflow.discover.providers.outcome import (
    MAX_RESULTS_PER_ANSWER,
    OutcomeStatus,
    SearchOutcome,
    SearchResult,
    make_result,
)
from coldflow.discover.queries import QuerySyntax

PAGE_SIZE = 20
_REGIONS = {"de": "de-de", "en": "us-en", "fr": "fr-fr", "nl": "nl-nl", "es": "es-es"}
_BLOCKED_WORDS = ("403", "blocked", "captcha", "forbidden", "anomaly")
_NETWORK_WORDS = ("dns", "connect", "resolve", "network", "unreachable", "refused")


class DuckDuckGoProvider(ClosingProvider):
    name: ClassVar[str] = "duckduckgo"
    label: ClassVar[str] = "DuckDuckGo (ddgs)"
    syntax: ClassVar[QuerySyntax] = QuerySyntax()

    def __init__(self, *, timeout: float = 15.0):
        self.timeout = timeout

    async def aclose(self) -> None:
        """Nothing to close: every search makes its own short-lived client."""

    async def search(
        self, query: str, *, page: int = 1, language: str | None = None
    ) -> SearchOutcome:
        def outcome(status: OutcomeStatus, message: str, **extra: Any) -> SearchOutcome:
            return SearchOutcome(
                self.name, query, status, message=message, attempts=1, page=page, **extra
            )

        try:
            from ddgs import DDGS
            from ddgs.exceptions import DDGSException, RatelimitException, TimeoutException
        except ImportError:
            return outcome(
                "misconfigured",
                "DuckDuckGo needs the ddgs package: pip install 'ddgs>=9,<10'.",
            )

        def run() -> list[dict[str, Any]]:
            client = DDGS(timeout=max(1, round(self.timeout)))
            return client.text(
                query,
                region=_REGIONS.get(language or "", "wt-wt"),
                max_results=PAGE_SIZE,
                page=page,
                backend="duckduckgo",
            )

        try:
            # The thread keeps its own time limit; this one only bounds our wait for it.
            items = await asyncio.wait_for(asyncio.to_thread(run), self.timeout + 5)
        except RatelimitException as error:
            return outcome(
                "rate_limited",
                f"DuckDuckGo is rate-limiting this machine ({_short(error)}): wait a while, "
                "or use a provider with an API.",
            )
        except (TimeoutException, TimeoutError):
            return outcome("unavailable", f"DuckDuckGo did not answer within {self.timeout:g} s.")
        except DDGSException as error:
            return _failure(str(error), outcome)
        except Exception as error:  # noqa: BLE001 - a scraper breaks in ways no list foresees
            return outcome("failed", f"DuckDuckGo search failed: {_short(error)}.")
        results = _results(items, page)
        return outcome("ok", "", results=results) if results else _nothing(outcome)


def _nothing(outcome: Any) -> SearchOutcome:
    # ddgs turns DuckDuckGo's "go away" pages (HTTP 202/403) into an empty result, so an empty
    # answer cannot be told apart from a block; for a company search it is most likely one.
    return outcome(
        "blocked",
        "DuckDuckGo returned no results, which usually means it is turning this machine away "
        "(ddgs cannot tell a block from an empty page): try again later or use another provider.",
    )


def _failure(text: str, outcome: Any) -> SearchOutcome:
    lowered = text.lower()
    if text.strip() == "No results found.":
        return _nothing(outcome)
    if any(word in lowered for word in _BLOCKED_WORDS):
        return outcome(
            "blocked",
            f"DuckDuckGo blocked the search ({_short(text)}): it has no API and turns away "
            "automated use; use another provider.",
        )
    if any(word in lowered for word in _NETWORK_WORDS):
        return outcome(
            "unavailable",
            f"DuckDuckGo could not be reached ({_short(text)}): ddgs needs direct internet access.",
        )
    return outcome("failed", f"DuckDuckGo search failed: {_short(text)}.")


def _results(items: Any, page: int) -> tuple[SearchResult, ...]:
    if not isinstance(items, list):
        return ()
    results: list[SearchResult] = []
    for item in items[:MAX_RESULTS_PER_ANSWER]:
        if not isinstance(item, dict):
            continue
        position = (page - 1) * PAGE_SIZE + len(results) + 1
        result = make_result(
            item.get("href"), item.get("title"), item.get("body"), position, "duckduckgo"
        )
        if result is not None:
            results.append(result)
    return tuple(results)


def _short(error: object) -> str:
    text = " ".join(str(error).split())
    return text[:200] + ("…" if len(text) > 200 else "")
