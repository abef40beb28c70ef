"""The one HTTP fetcher: pooled aiohttp connections behind the SSRF guard, per-host
politeness, robots.txt, bounded redirects, retries, and byte and time limits per page."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from types import SimpleNamespace, TracebackType

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from coldflow.research.fetch.browser_rendering import BrowserRenderer
from coldflow.research.fetch.decoding import decode_body
from coldflow.research.fetch.guarded_resolver import (
    AddressRefused,
    GuardedResolver,
    HostLookupFailed,
    guarded_socket_factory,
)
from coldflow.research.fetch.politeness import HostPoliteness
from coldflow.research.fetch.result import FetchResult
from coldflow.research.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules
from coldflow.research.fetch.settings import FetchSettings

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_TEXTUAL_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "application/json",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
    }
)


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class _Failure:
    error: str
    retryable: bool = False
    status: int | None = None
    headers: dict[str, str] | None = None


class Fetcher:
    """Owns one pooled session; use as `async with Fetcher(settings) as fetcher:`."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._session: aiohttp.ClientSession | None = None
        self._resolver = GuardedResolver(self.settings)
        self._politeness = HostPoliteness(
            concurrency=self.settings.per_host_concurrency,
            delay=self.settings.per_host_delay,
            total=self.settings.total_concurrency,
        )
        self._robots = RobotsCache(self._fetch_robots_file)
        self._renderer: BrowserRenderer | None = None

    async def __aenter__(self) -> Fetcher:
        settings = self.settings
        connector = aiohttp.TCPConnector(
            resolver=self._resolver,
            limit=settings.total_concurrency,
            limit_per_host=0,
            socket_factory=guarded_socket_factory(settings.allow_loopback),
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            # Cookies from one crawled site must never travel to another.
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={
                "User-Agent": settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
                "Accept-Language": "en,de;q=0.8,*;q=0.5",
            },
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=settings.connect_timeout),
            trust_env=False,
            trace_configs=[self._politeness_trace()],
        )
        return self

    def _politeness_trace(self) -> aiohttp.TraceConfig:
        async def headers_sent(
            session: aiohttp.ClientSession,
            context: SimpleNamespace,
            params: aiohttp.TraceRequestHeadersSentParams,
        ) -> None:
            self._politeness.request_sent(params.url.raw_host or "")

        trace = aiohttp.TraceConfig()
        trace.on_request_headers_sent.append(headers_sent)
        return trace

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._renderer is not None:
            await self._renderer.close()
        self._robots.close()
        if self._session is not None:
            await self._session.close()
        await self._resolver.close()

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch one page. Never raises for network or HTTP problems: see FetchResult.error."""
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        return await self._fetch(
            url,
            extra_headers=conditional,
            obey_robots=self.settings.respect_robots,
            max_bytes=self.settings.max_bytes,
        )

    async def robots(self, url: str) -> RobotsRules:
        """The robots.txt rules of the URL's origin (fetched once, then cached)."""
        try:
            parsed = URL(url)
        except (ValueError, TypeError):
            return RobotsRules()
        return await self._robots.rules_for(parsed)

    async def robots_allow(self, url: str) -> bool:
        """False only when a readable robots.txt disallows the URL (an unreachable one is
        reported by get() with its cause)."""
        if not self.settings.respect_robots:
            return True
        rules = await self.robots(url)
        return rules.error is not None or rules.allows(url, self.settings.user_agent)

    async def render(self, url: str) -> FetchResult:
        """Load the page in headless Chromium, every request going through this fetcher."""
        if self._renderer is None:
            self._renderer = BrowserRenderer(self, self.settings)
        return await self._renderer.render(url)

    async def _fetch_robots_file(self, url: str) -> FetchResult:
        return await self._fetch(
            url, extra_headers={}, obey_robots=False, max_bytes=ROBOTS_MAX_BYTES
        )

    async def _fetch(
        self, url: str, *, extra_headers: dict[str, str], obey_robots: bool, max_bytes: int
    ) -> FetchResult:
        started = time.monotonic()
        redirects: list[str] = []

        def failed(error: str, failure: _Failure | None = None) -> FetchResult:
            return FetchResult(
                url=url,
                final_url=str(current) if current is not None else url,
                status=failure.status if failure else None,
                headers=(failure.headers or {}) if failure else {},
                redirects=tuple(redirects),
                elapsed=time.monotonic() - started,
                error=error,
            )

        current: URL | None = None
        try:
            current = _clean(URL(url))
        except (ValueError, TypeError, UnicodeError):
            return failed("invalid url")
        seen = {str(current)}
        for _hop in range(self.settings.max_redirects + 1):
            refusal = await self._admission(current, obey_robots)
            if refusal is not None:
                return failed(refusal)
            outcome = await self._request_with_retries(current, extra_headers, max_bytes)
            if isinstance(outcome, _Failure):
                return failed(outcome.error, outcome)
            if outcome.status not in _REDIRECT_STATUSES:
                return self._result(url, current, outcome, redirects, started)
            location = outcome.headers.get("location")
            if not location:
                return failed("redirect without a Location header")
            try:
                joined = current.join(URL(location))
                if joined.scheme not in ("http", "https"):
                    return failed(f"unsupported scheme: {joined.scheme[:20]}")
                target = _clean(joined)
            except (ValueError, TypeError, UnicodeError):
                return failed("redirect to an invalid url")
            redirects.append(str(current))
            if str(target) in seen:
                current = target
                return failed("redirect loop")
            seen.add(str(target))
            current = target
        return failed(f"too many redirects (over {self.settings.max_redirects})")

    async def _admission(self, url: URL, obey_robots: bool) -> str | None:
        """Why this URL must not be requested, or None. Runs before every hop."""
        if url.scheme not in ("http", "https"):
            return f"unsupported scheme: {url.scheme[:20]}"
        host = url.raw_host
        if not host:
            return "invalid url: no host"
        try:
            await self._resolver.vet(host)
        except (AddressRefused, HostLookupFailed) as problem:
            return str(problem)
        if not obey_robots:
            return None
        rules = await self._robots.rules_for(url)
        if rules.error is not None:
            return rules.error
        if not rules.allows(str(url), self.settings.user_agent):
            return "blocked by robots.txt"
        delay = rules.crawl_delay(self.settings.user_agent)
        if delay is not None:
            self._politeness.raise_delay(host, min(delay, self.settings.max_crawl_delay))
        return None

    async def _request_with_retries(
        self, url: URL, extra_headers: dict[str, str], max_bytes: int
    ) -> _Response | _Failure:
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            outcome = await self._request_once(url, extra_headers, max_bytes)
            if isinstance(outcome, _Failure):
                retry = outcome.retryable
            else:
                retry = outcome.status in _RETRY_STATUSES
            if not retry or attempt == attempts - 1:
                return outcome
            await asyncio.sleep(self._backoff(attempt, outcome))
        raise AssertionError("unreachable: the last attempt always returns")

    def _backoff(self, attempt: int, outcome: _Response | _Failure) -> float:
        wait = self.settings.backoff * 2**attempt
        headers = outcome.headers or {}
        retry_after = headers.get("retry-after", "").strip()
        if retry_after.isdigit():
            wait = max(wait, float(retry_after))
        return min(wait, self.settings.max_backoff)

    async def _request_once(
        self, url: URL, extra_headers: dict[str, str], max_bytes: int
    ) -> _Response | _Failure:
        assert self._session is not None, "use the Fetcher as an async context manager"
        host = url.raw_host or ""
        timeout = self.settings.timeout
        async with self._politeness.slot(host):
            try:
                async with asyncio.timeout(timeout):
                    async with self._session.get(
                        url, headers=extra_headers, allow_redirects=False
                    ) as response:
                        return await _read_response(response, max_bytes)
            except aiohttp.ConnectionTimeoutError:
                return _Failure(
                    f"connect timeout after {_seconds(self.settings.connect_timeout)} s"
                )
            except TimeoutError:
                return _Failure(f"timeout after {_seconds(timeout)} s")
            except aiohttp.ClientConnectorError as error:
                return _connection_failure(host, error)
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
                return _Failure(f"connection lost: {host}", retryable=True)
            except aiohttp.ClientPayloadError:
                return _Failure("broken response body")
            except aiohttp.ClientResponseError as error:
                return _Failure(f"bad response: {str(error.message)[:80]}")
            except aiohttp.InvalidURL:
                return _Failure("invalid url")
            except aiohttp.ClientError as error:
                return _Failure(f"request failed: {type(error).__name__}")

    @staticmethod
    def _result(
        url: str, final: URL, response: _Response, redirects: list[str], started: float
    ) -> FetchResult:
        elapsed = time.monotonic() - started
        if response.status == 304:
            return FetchResult(
                url=url,
                final_url=str(final),
                status=304,
                headers=response.headers,
                redirects=tuple(redirects),
                elapsed=elapsed,
                not_modified=True,
            )
        decoded = decode_body(response.body, response.headers.get("content-type"))
        return FetchResult(
            url=url,
            final_url=str(final),
            status=response.status,
            text=decoded.text,
            headers=response.headers,
            byte_count=len(response.body),
            encoding=decoded.encoding,
            redirects=tuple(redirects),
            elapsed=elapsed,
            error=None if 200 <= response.status < 300 else f"http {response.status}",
        )


async def _read_response(response: aiohttp.ClientResponse, max_bytes: int) -> _Response | _Failure:
    headers = _flatten(response.headers)
    status = response.status
    if status in _REDIRECT_STATUSES or status == 304:
        return _Response(status, headers, b"")
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if not _is_textual(content_type):
        return _Failure(f"not a web page: {content_type[:60]}", status=status, headers=headers)
    too_large = _Failure(f"too large: over {_size(max_bytes)}", status=status, headers=headers)
    # The declared length is the compressed size: over the limit, the page surely is too.
    if response.content_length is not None and response.content_length > max_bytes:
        return too_large
    chunks: list[bytes] = []
    received = 0
    # aiohttp hands over decompressed chunks, so a gzip bomb is stopped at max_bytes of output.
    async for chunk in response.content.iter_any():
        received += len(chunk)
        if received > max_bytes:
            return too_large
        chunks.append(chunk)
    return _Response(status, headers, b"".join(chunks))


def _connection_failure(host: str, error: aiohttp.ClientConnectorError) -> _Failure:
    cause = error.os_error
    if isinstance(cause, AddressRefused | HostLookupFailed):
        return _Failure(str(cause))
    if "refused:" in str(cause):
        # Several addresses failed at once; the socket factory's refusal is among them.
        return _Failure(f"refused: address of {host}")
    if isinstance(error, aiohttp.ClientSSLError):
        return _Failure(f"tls error: {host}")
    return _Failure(f"connection failed: {host}", retryable=True)


def _flatten(headers: CIMultiDictProxy[str]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        flat[key] = f"{flat[key]}, {value}" if key in flat else value
    return flat


def _is_textual(content_type: str) -> bool:
    return (
        not content_type
        or content_type.startswith("text/")
        or content_type in _TEXTUAL_TYPES
        or content_type.endswith(("+xml", "+json"))
    )


def _clean(url: URL) -> URL:
    """Drop what must never be sent: the fragment, and credentials embedded in the URL."""
    if not url.is_absolute():
        raise ValueError("relative url")
    return url.with_fragment(None).with_user(None)


def _seconds(value: float) -> str:
    return f"{value:g}"


def _size(byte_count: int) -> str:
    if byte_count >= 1_000_000:
        return f"{byte_count / 1_000_000:g} MB"
    if byte_count >= 1_000:
        return f"{byte_count / 1_000:g} kB"
    return f"{byte_count} bytes"
