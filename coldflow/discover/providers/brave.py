"""Brave Search API (web search).

`GET https://api.search.brave.com/res/v1/web/search?q=…&count=20&offset=…` with the key in
`X-Subscription-Token`. Results are under `web.results` (url, title, description with <strong>
highlights). Errors are JSON, `{"type": "ErrorResponse", "error": {"code", "detail", "status"}}`
(the API reference shows the same object in an `errors` list; both are read):

- 422 SUBSCRIPTION_TOKEN_INVALID: a wrong key (not 401); 422 VALIDATION for a bad request or a
  missing key header; 404 SUBSCRIPTION_NOT_FOUND: a key without a plan.
- 429 RATE_LIMITED: too many requests per second, retried; 429 QUOTA_LIMITED: the plan's
  monthly quota is used up, not retried.

Every answer carries per-window limits as comma-separated lists, shortest window first:
`X-RateLimit-Limit: 1, 15000`, `X-RateLimit-Remaining: 0, 9000`, `X-RateLimit-Reset: 1, 1419704`
(seconds until each window resets).
"""

from __future__ import annotations

from typing import ClassVar

from coldflow.discover.providers.keyed_api import KeyedApiProvider, Outcomes
from coldflow.discover.providers.outcome import (
    MAX_RESULTS_PER_ANSWER,
    SearchOutcome,
    SearchResult,
    make_result,
)
from coldflow.discover.providers.transport import Exchange, HttpAnswer, retry_after_seconds
from coldflow.discover.queries import QuerySyntax

DEFAULT_URL = "https://api.search.brave.com/res/v1/web/search"
PAGE_SIZE = 20
# Brave's offset parameter stops at 9.
LAST_PAGE = 10


class BraveProvider(KeyedApiProvider):
    name: ClassVar[str] = "brave"
    label: ClassVar[str] = "Brave Search"
    syntax: ClassVar[QuerySyntax] = QuerySyntax(max_words=50)
    default_url: ClassVar[str] = DEFAULT_URL

    async def search(
        self, query: str, *, page: int = 1, language: str | None = None
    ) -> SearchOutcome:
        if page > LAST_PAGE:
            return SearchOutcome(
                self.name, query, "ok", message=f"Brave Search serves {LAST_PAGE} pages at most.",
                page=page,
            )  # fmt: skip
        params = {"q": query, "count": str(PAGE_SIZE), "offset": str(page - 1)}
        if language:
            params["search_lang"] = language
        exchange = await self._http.request(
            "GET",
            self.url,
            params=params,
            headers={"X-Subscription-Token": self._api_key},
            retry_rule=_retry_rule,
        )
        return self._outcome(exchange, query, page)

    def _outcome(self, exchange: Exchange, query: str, page: int) -> SearchOutcome:
        outcome = Outcomes(self.name, self.label, query, exchange, page)
        answer = exchange.answer
        if answer is None:
            return outcome.no_answer()
        status = answer.status
        code, detail = _error_of(answer)
        said = f"HTTP {status}" + (f", {code}" if code else "")
        if code in ("SUBSCRIPTION_TOKEN_INVALID", "SUBSCRIPTION_TOKEN_MISSING"):
            return outcome(
                "auth_failed", f"Brave Search rejected the API key ({said}): check BRAVE_API_KEY."
            )
        if status == 422 and "subscription-token" in detail.lower():
            return outcome(
                "auth_failed", f"Brave Search got no API key ({said}): set BRAVE_API_KEY."
            )
        if status == 404 and code == "SUBSCRIPTION_NOT_FOUND":
            return outcome(
                "auth_failed",
                f"Brave Search found no subscription for this API key ({said}): subscribe the "
                "key to a Search plan in the Brave Search API dashboard.",
            )
        if status == 429 and _quota_used_up(answer, code):
            renews = _reset_of_longest_window(answer)
            when = f" It renews in {_duration(renews)}." if renews else ""
            return outcome(
                "quota_exhausted",
                f"Brave Search's quota for this plan is used up ({said}).{when} Raise the plan "
                "or its limit in the Brave Search API dashboard.",
                retry_after=renews,
            )
        failure = outcome.standard_failure(
            answer, said, key_setting="BRAVE_API_KEY", url_setting="BRAVE_API_URL", url=self.url,
            rate_advice="search less at once or upgrade the plan.", rate_wait=_wait_of(answer),
            detail=detail,
        )  # fmt: skip
        if failure is not None:
            return failure
        return self._results(answer, outcome, page)

    def _results(self, answer: HttpAnswer, outcome: Outcomes, page: int) -> SearchOutcome:
        data = outcome.json_object(answer)
        if isinstance(data, SearchOutcome):
            return data
        web = data.get("web")
        if web is None and data.get("type") == "search":
            return outcome("ok", "Brave Search found nothing for this query.")
        if not isinstance(web, dict) or not isinstance(web.get("results"), list):
            return outcome("failed", "Brave Search answered JSON without web results.")
        results: list[SearchResult] = []
        for item in web["results"][:MAX_RESULTS_PER_ANSWER]:
            if not isinstance(item, dict):
                continue
            position = (page - 1) * PAGE_SIZE + len(results) + 1
            result = make_result(
                item.get("url"), item.get("title"), item.get("description"), position, "brave"
            )
            if result is not None:
                results.append(result)
        return outcome("ok", "", results=tuple(results))


def _error_of(answer: HttpAnswer) -> tuple[str, str]:
    """(code, detail) from an ErrorResponse; ("", excerpt) when the body is something else."""
    if answer.status == 200:
        return "", ""
    try:
        data = answer.json()
    except ValueError:
        return "", answer.excerpt()
    error = data.get("error") if isinstance(data, dict) else None
    if error is None and isinstance(data, dict) and isinstance(data.get("errors"), list):
        error = next(iter(data["errors"]), None)
    if not isinstance(error, dict):
        return "", answer.excerpt()
    code = str(error.get("code") or "")[:60]
    detail = str(error.get("detail") or "")[:200]
    meta = error.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("errors"), list):
        detail += " " + " ".join(str(e)[:200] for e in meta["errors"][:3])
    return code, detail.strip()


def _windows(answer: HttpAnswer, header: str) -> list[float]:
    values = []
    for part in answer.headers.get(header, "").split(","):
        try:
            values.append(float(part.strip()))
        except ValueError:
            continue
    return values


def _quota_used_up(answer: HttpAnswer, code: str) -> bool:
    if code == "QUOTA_LIMITED":
        return True
    remaining = _windows(answer, "x-ratelimit-remaining")
    # The per-second window empties all the time; only a longer one running dry is a quota.
    return len(remaining) > 1 and min(remaining[1:]) <= 0


def _reset_of_longest_window(answer: HttpAnswer) -> float | None:
    resets = _windows(answer, "x-ratelimit-reset")
    return resets[-1] if len(resets) > 1 else retry_after_seconds(answer.headers.get("retry-after"))


def _wait_of(answer: HttpAnswer) -> float | None:
    asked = retry_after_seconds(answer.headers.get("retry-after"))
    if asked is not None:
        return asked
    resets = _windows(answer, "x-ratelimit-reset")
    return resets[0] if resets else None


def _retry_rule(answer: HttpAnswer) -> float | None:
    if answer.status == 429:
        code, _ = _error_of(answer)
        return None if _quota_used_up(answer, code) else (_wait_of(answer) or 0.0)
    if answer.status >= 500:
        return retry_after_seconds(answer.headers.get("retry-after")) or 0.0
    return None


def _duration(seconds: float) -> str:
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.0f} hours"
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"
