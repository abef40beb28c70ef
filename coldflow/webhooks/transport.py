"""POSTing one delivery to a receiver, through the research fetcher's SSRF guard.

The receiver's host is resolved and vetted by the same GuardedResolver the crawler uses (no
private, link-local or reserved addresses; loopback only when allowed), and the socket factory
re-checks the address at connect time. Redirects are not followed: a receiver that moved says
so with its new URL in the delivery log.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from coldflow.errors import UserError
from coldflow.research.fetch.guarded_resolver import (
    AddressRefused,
    GuardedResolver,
    HostLookupFailed,
    guarded_socket_factory,
)
from coldflow.research.fetch.settings import FetchSettings
from coldflow.webhooks.settings import WebhookSettings

USER_AGENT = "coldflow-webhooks/0.1"


@dataclass(frozen=True)
class AttemptResult:
    status: int | None
    latency_ms: int
    excerpt: str = ""
    # Why there was no usable answer, in words; empty when the receiver answered.
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _guard_settings(settings: WebhookSettings) -> FetchSettings:
    return FetchSettings(
        nameserver=settings.nameserver,
        nameserver_port=settings.nameserver_port,
        allow_loopback=settings.allow_loopback,
        dns_timeout=min(settings.timeout, 5.0),
    )


def validate_url(url: str, settings: WebhookSettings) -> str:
    """The URL if a delivery could be POSTed to it; UserError naming what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"webhook URL must be http(s)://host/…, got {url[:200]!r}")
    if parts.username or parts.password:
        raise UserError("webhook URL must not carry a user name or password")

    async def vet() -> None:
        resolver = GuardedResolver(_guard_settings(settings))
        try:
            await resolver.vet(parts.hostname or "")
        finally:
            await resolver.close()

    try:
        asyncio.run(vet())
    except AddressRefused as refused:
        hint = (
            ""
            if settings.allow_loopback
            else " (a receiver on this machine needs WEBHOOK_ALLOW_LOOPBACK=true)"
        )
        raise UserError(f"webhook URL {parts.hostname}: {refused}{hint}") from None
    except HostLookupFailed as failed:
        raise UserError(f"webhook URL {parts.hostname}: {failed}") from None
    return url.strip()


def post(
    url: str, body: bytes, headers: dict[str, str], settings: WebhookSettings
) -> AttemptResult:
    return asyncio.run(_post(url, body, headers, settings))


async def _post(
    url: str, body: bytes, headers: dict[str, str], settings: WebhookSettings
) -> AttemptResult:
    guard = _guard_settings(settings)
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(guard),
        socket_factory=guarded_socket_factory(guard.allow_loopback),
        force_close=True,
    )
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    host = urlsplit(url).hostname or url
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False
    ) as session:
        try:
            async with asyncio.timeout(settings.timeout):
                async with session.post(
                    url,
                    data=body,
                    headers={
                        **headers,
                        "Content-Type": "application/json",
                        "User-Agent": USER_AGENT,
                    },
                    allow_redirects=False,
                ) as response:
                    raw = await response.content.read(settings.excerpt_bytes)
                    excerpt = raw.decode("utf-8", "replace")
                    error = ""
                    if 300 <= response.status < 400:
                        location = response.headers.get("Location", "")[:200]
                        error = f"redirect to {location or '?'} not followed; update the URL"
                    return AttemptResult(response.status, elapsed(), excerpt, error)
        except TimeoutError:
            return AttemptResult(None, elapsed(), error=f"timeout after {settings.timeout:g} s")
        except aiohttp.ClientConnectorError as failure:
            cause = failure.os_error
            if isinstance(cause, AddressRefused | HostLookupFailed):
                return AttemptResult(None, elapsed(), error=str(cause))
            if "refused:" in str(cause):
                return AttemptResult(None, elapsed(), error=f"refused: address of {host}")
            return AttemptResult(None, elapsed(), error=f"connection failed: {host} ({cause})")
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            return AttemptResult(None, elapsed(), error=f"connection lost: {host}")
        except aiohttp.InvalidURL:
            return AttemptResult(None, elapsed(), error="invalid url")
        except aiohttp.ClientError as failure:
            return AttemptResult(None, elapsed(), error=f"request failed: {type(failure).__name__}")
