"""HTTP for the API providers: one connection-pooling session, a timeout per attempt, bounded
retries with exponential backoff that honour Retry-After, and a bound on the answer's size.
Network failures come back as data (`Exchange.error`), never as exceptions."""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from coldflow.discover.providers.outcome import OutcomeStatus

USER_AGENT = "coldflow (self-hosted outreach; discover)"
# A wait longer than a year is a broken header, not advice.
_LONGEST_SENSIBLE_WAIT = 365 * 24 * 3600.0


@dataclass(frozen=True)
class RetryPolicy:
    # Seconds for one attempt, connection to last byte.
    timeout: float = 15.0
    attempts: int = 3
    # First wait between attempts; doubles each time.
    backoff: float = 0.5
    # A provider asking to wait longer than this is not waited for: the outcome says when to
    # try again instead (the job can be rescheduled, a worker should not sleep for minutes).
    max_wait: float = 30.0
    max_bytes: int = 4 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.timeout <= 0:
            raise ValueError("a retry policy needs at least one attempt and a positive timeout")


DEFAULT_POLICY = RetryPolicy()


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    # Lower-case names.
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body as JSON; raises ValueError when it is not."""
        try:
            return json.loads(self.body.decode("utf-8-sig"))
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None

    def excerpt(self, limit: int = 200) -> str:
        """The start of the body as one line, for messages."""
        text = self.body[: limit * 4].decode("utf-8", "replace")
        text = "".join(c if c.isprintable() else " " for c in text)
        return " ".join(text.split())[:limit]


@dataclass(frozen=True)
class Exchange:
    # The last answer, if any arrived.
    answer: HttpAnswer | None
    # Why there is no answer: "could not connect to 127.0.0.1:9 (Connection refused)".
    error: str | None
    attempts: int
    # The server did answer, with something unusable (too large): not a reachability problem.
    answered: bool = False

    @property
    def missing_status(self) -> OutcomeStatus:
        """The outcome status when `answer` is None."""
        return "failed" if self.answered else "unavailable"

    def missing(self, who: str) -> str:
        """Why `answer` is None, as a sentence about `who`."""
        if self.answered:
            return f"{who} answered, but {self.error}."
        return f"{who} could not be reached: {self.error}."


# Given an answer, the seconds the provider asks to wait before a retry (0: no preference),
# or None when the answer must not be retried.
RetryRule = Callable[[HttpAnswer], float | None]


def retry_busy_and_broken(answer: HttpAnswer) -> float | None:
    """Retry 429 and 5xx, waiting at least as long as Retry-After says."""
    if answer.status == 429 or answer.status >= 500:
        return retry_after_seconds(answer.headers.get("retry-after")) or 0.0
    return None


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), _LONGEST_SENSIBLE_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - datetime.now(UTC)).total_seconds()), _LONGEST_SENSIBLE_WAIT)


class _TooLarge(Exception):
    pass


class HttpClient:
    """Requests on a session that was passed in (and stays open) or one of its own (closed by
    `aclose`)."""

    def __init__(
        self, session: aiohttp.ClientSession | None = None, policy: RetryPolicy = DEFAULT_POLICY
    ):
        self.policy = policy
        self._session = session
        self._owns_session = session is None

    async def aclose(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        retry_rule: RetryRule = retry_busy_and_broken,
    ) -> Exchange:
        policy = self.policy
        answer: HttpAnswer | None = None
        error: str | None = None
        for attempt in range(1, policy.attempts + 1):
            backoff = policy.backoff * 2 ** (attempt - 1)
            try:
                answer = await self._once(method, url, params, json_body, headers)
            except _TooLarge:
                limit = policy.max_bytes / (1024 * 1024)
                error = f"the answer was larger than {limit:g} MB"
                return Exchange(None, error, attempt, answered=True)
            except TimeoutError:
                answer, error, wait = None, f"no answer within {policy.timeout:g} s", backoff
            except aiohttp.ClientConnectorError as failure:
                reason = failure.os_error.strerror or str(failure.os_error)
                answer, wait = None, backoff
                error = f"could not connect to {failure.host}:{failure.port} ({reason})"
            except (aiohttp.ClientError, ValueError) as failure:
                answer, error, wait = None, f"{type(failure).__name__}: {failure}", backoff
            else:
                asked = retry_rule(answer)
                if asked is None:
                    return Exchange(answer, None, attempt)
                error, wait = None, max(asked, backoff)
                if wait > policy.max_wait:
                    return Exchange(answer, None, attempt)
            if attempt < policy.attempts:
                # Jitter keeps workers that failed together from retrying together.
                await asyncio.sleep(wait + random.uniform(0, policy.backoff / 4))
        return Exchange(answer, error, policy.attempts)

    async def _once(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
    ) -> HttpAnswer:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        policy = self.policy
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        async with self._session.request(
            method,
            url,
            params=params,
            json=json_body,
            headers=all_headers,
            timeout=aiohttp.ClientTimeout(total=policy.timeout),
            allow_redirects=True,
            max_redirects=3,
        ) as response:
            declared = response.content_length
            if declared is not None and declared > policy.max_bytes:
                raise _TooLarge
            body = bytearray()
            async for chunk in response.content.iter_chunked(65536):
                body += chunk
                if len(body) > policy.max_bytes:
                    raise _TooLarge
            names = {name.lower() for name in response.headers}
            found = {name: ", ".join(response.headers.getall(name)) for name in names}
            return HttpAnswer(response.status, found, bytes(body))
