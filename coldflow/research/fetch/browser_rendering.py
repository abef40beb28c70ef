"""Optional rendering of JavaScript-only pages in headless Chromium (Playwright).

Chromium never touches the network itself: every request the page makes is intercepted and
answered through the Fetcher, so the SSRF guard (with its sandbox exception), robots.txt,
politeness and the byte and time limits apply to rendered pages exactly as to fetched ones.
What interception cannot answer is shut: WebSockets are closed unopened, Chromium's own DNS
maps every name to nowhere, everything else is sent to a proxy that does not exist (so an IP
literal cannot be reached either, loopback included), and WebRTC may not send UDP around it.

Bounds: at most 40 requests and 3× the page byte limit per page, the rendered document within
the byte limit, and the whole render (load, settling, reading the DOM) within the fetch
timeout plus a few seconds; a page that spins its JavaScript forever is abandoned.

Debian's Chromium is used (`apt-get install chromium`, /usr/bin/chromium): `playwright install`
downloads browser builds, which this project never does.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coldflow.research.fetch.result import FetchResult
from coldflow.research.fetch.settings import FetchSettings

if TYPE_CHECKING:
    from coldflow.research.fetch.fetcher import Fetcher

# Images, fonts, styles and media change nothing in the text we extract.
_LOADED_RESOURCE_TYPES = frozenset({"document", "script", "xhr", "fetch"})
# A hostile page could otherwise make the browser request thousands of URLs.
_MAX_REQUESTS_PER_PAGE = 40
# The pages' requests together, in multiples of the byte limit for one page.
_PAGE_BYTE_BUDGET = 3
_SETTLE_SECONDS = 2.0
# Reading the DOM and closing the page, past load and settling.
_GRACE_SECONDS = 3.0
# Nothing listens here: what escapes interception goes nowhere.
_DEAD_PROXY = "http://127.0.0.1:1"
_CHROMIUM_ARGS = [
    # Unresolvable hosts: a request that somehow escapes interception goes nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    # And IP literals, which the resolver rules do not touch, go to a proxy that is not there.
    f"--proxy-server={_DEAD_PROXY}",
    "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=DnsOverHttps,NetworkPrediction",
]


def rendering_unavailable(chromium_path: str) -> str | None:
    """Why rendering cannot run on this machine, or None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return "javascript rendering unavailable: the playwright package is not installed"
    if not Path(chromium_path).is_file():
        return f"javascript rendering unavailable: no Chromium at {chromium_path}"
    return None


class BrowserRenderer:
    """One headless Chromium, started on first use, with a fresh context per page."""

    def __init__(self, fetcher: Fetcher, settings: FetchSettings) -> None:
        self._fetcher = fetcher
        self._settings = settings
        self._start_lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self._unavailable: str | None = None

    async def render(self, url: str) -> FetchResult:
        started = time.monotonic()
        deadline = self._settings.timeout + _SETTLE_SECONDS + _GRACE_SECONDS
        try:
            return await asyncio.wait_for(self._render(url, started), deadline)
        except TimeoutError:
            # The page kept the browser busy (a script that never yields): start afresh.
            await self.close()
            return FetchResult(
                url=url,
                final_url=url,
                status=None,
                elapsed=time.monotonic() - started,
                error=f"javascript rendering timed out after {deadline:.0f} s",
            )

    async def _render(self, url: str, started: float) -> FetchResult:
        def failed(error: str) -> FetchResult:
            return FetchResult(
                url=url, final_url=url, status=None, elapsed=time.monotonic() - started, error=error
            )

        browser = await self._started_browser()
        if browser is None:
            return failed(self._unavailable or "javascript rendering unavailable")
        from playwright.async_api import Error as PlaywrightError

        context = await browser.new_context(
            user_agent=self._settings.user_agent, service_workers="block"
        )
        try:
            page = await context.new_page()
            document = _DocumentRecorder()
            await page.route("**/*", self._route_handler(document))
            await page.route_web_socket("**/*", _refuse_web_socket)
            try:
                await page.goto(url, wait_until="load", timeout=self._settings.timeout * 1000)
            except PlaywrightError:
                if document.result is None or not document.result.ok:
                    return failed(
                        document.error or "javascript rendering failed: page did not load"
                    )
            # Pages that poll forever never go idle; what has rendered so far counts.
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("networkidle", timeout=_SETTLE_SECONDS * 1000)
            html = await page.content()
        except PlaywrightError as error:
            return failed(f"javascript rendering failed: {str(error).splitlines()[0][:80]}")
        finally:
            await context.close()
        if len(html.encode("utf-8", errors="replace")) > self._settings.max_bytes:
            return failed("too large: rendered page over the byte limit")
        fetched = document.result
        return FetchResult(
            url=url,
            final_url=fetched.final_url if fetched else url,
            status=fetched.status if fetched else None,
            text=html,
            headers=fetched.headers if fetched else {},
            byte_count=len(html.encode("utf-8", errors="replace")),
            encoding="utf-8",
            redirects=fetched.redirects if fetched else (),
            elapsed=time.monotonic() - started,
        )

    def _route_handler(self, document: _DocumentRecorder) -> Any:
        from playwright.async_api import Error as PlaywrightError

        async def handle(route: Any) -> None:
            request = route.request
            document.requests += 1
            try:
                if (
                    request.method != "GET"
                    or request.resource_type not in _LOADED_RESOURCE_TYPES
                    or document.requests > _MAX_REQUESTS_PER_PAGE
                ):
                    await route.abort()
                    return
                result = await self._fetcher.get(request.url)
                if request.resource_type == "document" and document.result is None:
                    document.result = result
                    document.error = result.error
                document.bytes += result.byte_count
                if result.status is None:
                    # Refused by the guard or robots.txt, or not reachable.
                    await route.abort()
                    return
                if document.bytes > _PAGE_BYTE_BUDGET * self._settings.max_bytes:
                    await route.abort()
                    return
                mime = result.content_type or "text/html"
                await route.fulfill(
                    status=result.status, content_type=f"{mime}; charset=utf-8", body=result.text
                )
            except PlaywrightError:
                # The page was closed while this request was in flight.
                return

        return handle

    async def _started_browser(self) -> Any:
        async with self._start_lock:
            if self._browser is not None or self._unavailable is not None:
                return self._browser
            self._unavailable = rendering_unavailable(self._settings.chromium_path)
            if self._unavailable is not None:
                return None
            from playwright.async_api import Error as PlaywrightError
            from playwright.async_api import async_playwright

            try:
                self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(
                    executable_path=self._settings.chromium_path,
                    headless=True,
                    args=_CHROMIUM_ARGS,
                )
            except PlaywrightError as error:
                first_line = str(error).splitlines()[0][:80] if str(error) else "unknown error"
                self._unavailable = f"javascript rendering unavailable: {first_line}"
                await self.close()
            return self._browser

    async def close(self) -> None:
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        if browser is not None:
            with contextlib.suppress(Exception):
                await browser.close()
        if playwright is not None:
            with contextlib.suppress(Exception):
                await playwright.stop()


async def _refuse_web_socket(socket: Any) -> None:
    """Close a page's WebSocket without ever connecting it."""
    await socket.close()


@dataclass(slots=True)
class _DocumentRecorder:
    """What the fetcher answered for the page's own document, and how many requests it made."""

    result: FetchResult | None = None
    error: str | None = None
    requests: int = 0
    # Bytes of every answer given to the page.
    bytes: int = 0
