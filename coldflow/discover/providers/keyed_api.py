"""What the keyed search APIs (Brave, Serper, Tavily) have in common: an API key, an owned HTTP
client, and the HTTP failures they all answer the same way. Each provider reads its own quirks
first (Brave's quota headers, Tavily's 432/433) and leaves the rest to `standard_failure`."""

from __future__ import annotations

from typing import Any, ClassVar

import aiohttp

from coldflow.discover.providers.base import ClosingProvider
from coldflow.discover.providers.outcome import OutcomeStatus, SearchOutcome
from coldflow.discover.providers.transport import (
    DEFAULT_POLICY,
    Exchange,
    HttpAnswer,
    HttpClient,
    RetryPolicy,
    retry_after_seconds,
)


class KeyedApiProvider(ClosingProvider):
    default_url: ClassVar[str]

    def __init__(
        self,
        api_key: str,
        *,
        url: str | None = None,
        session: aiohttp.ClientSession | None = None,
        policy: RetryPolicy = DEFAULT_POLICY,
    ):
        self.url = url or self.default_url
        self._api_key = api_key
        self._http = HttpClient(session, policy)

    async def aclose(self) -> None:
        await self._http.aclose()


class Outcomes:
    """Makes the outcomes of one search: each carries the provider, query, page and attempts."""

    def __init__(self, provider: str, label: str, query: str, exchange: Exchange, page: int):
        self.provider, self.label, self.query = provider, label, query
        self.exchange, self.page = exchange, page

    def __call__(self, status: OutcomeStatus, message: str, **extra: Any) -> SearchOutcome:
        return SearchOutcome(
            self.provider, self.query, status, message=message,
            attempts=self.exchange.attempts, page=self.page, **extra,
        )  # fmt: skip

    def no_answer(self) -> SearchOutcome:
        return self(self.exchange.missing_status, self.exchange.missing(self.label))

    def standard_failure(
        self,
        answer: HttpAnswer,
        said: str,
        *,
        key_setting: str,
        url_setting: str,
        url: str,
        rate_advice: str,
        rate_wait: float | None = None,
        detail: str = "",
    ) -> SearchOutcome | None:
        """The outcome of a failed answer every keyed API gives alike; None for a 200."""
        label, status = self.label, answer.status
        if status in (401, 403):
            return self(
                "auth_failed", f"{label} rejected the API key ({said}): check {key_setting}."
            )
        if status == 404:
            return self(
                "misconfigured", f"{label} has nothing at {url} ({said}): check {url_setting}."
            )
        if status == 429:
            if rate_wait is None:
                rate_wait = retry_after_seconds(answer.headers.get("retry-after"))
            return self(
                "rate_limited",
                f"{label}'s rate limit was hit ({said}) on all {self.exchange.attempts} attempts: "
                f"{rate_advice}",
                retry_after=rate_wait,
            )
        if status >= 500:
            return self(
                "unavailable", f"{label} failed ({said}) after {self.exchange.attempts} attempts."
            )
        if status != 200:
            ending = f": {detail}" if detail else "."
            return self("failed", f"{label} did not accept the request ({said}){ending}")
        return None

    def json_object(self, answer: HttpAnswer) -> dict | SearchOutcome:
        """The answer's JSON object, or the outcome saying why there is none."""
        try:
            data = answer.json()
        except ValueError:
            return self(
                "failed",
                f"{self.label} answered something that is not JSON: {answer.excerpt(80)!r}",
            )
        if not isinstance(data, dict):
            return self("failed", f"{self.label} answered JSON of an unexpected shape.")
        return data
