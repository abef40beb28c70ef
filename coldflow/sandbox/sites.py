"""One HTTP server for every sandbox website, dispatching on the Host header.

The application reaches it through the sandbox DNS (every sandbox host is 127.0.0.1) and maps
port 80 (and 443) to this server's port in sandbox mode. It speaks plain HTTP only, which is why
every sandbox URL is http:// (see SITE_SCHEME).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from aiohttp import web
from aiohttp.compression_utils import ZLibCompressor
from aiohttp.web_response import CONTENT_CODINGS, ContentCoding

from coldflow.sandbox.world.model import Page, Site, site_url

_UNKNOWN_HOST = Page(
    404,
    b"<!DOCTYPE html><html><body><h1>404 Not Found</h1><p>No such site.</p></body></html>",
    "text/html; charset=utf-8",
)
_DRIP_PIECES = 6
_COMPRESSIBLE = ("text/", "application/xml", "application/json")


def host_of(header: str) -> str:
    """ "Example.COM:8080" → "example.com"; "[::1]:80" → "::1"."""
    host = header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0].rstrip(".") if ":" in host else host.rstrip(".")


class SitesServer:
    def __init__(self, sites: Mapping[str, Site]) -> None:
        self.sites = sites
        # (host, path) → requests served; tests check politeness and robots.txt with it.
        self.requests: Counter[tuple[str, str]] = Counter()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._etags: dict[int, str] = {}
        # Every page is compressed once per coding, not once per request: benchmarks crawl the
        # sandbox, and the server must not be what they measure.
        self._compressed: dict[tuple[int, ContentCoding], bytes] = {}

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # Slow pages must not hold up shutdown.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _etag(self, page: Page) -> str:
        key = id(page)
        if key not in self._etags:
            self._etags[key] = f'"{hashlib.sha1(page.body).hexdigest()[:20]}"'
        return self._etags[key]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        host = host_of(request.host or "")
        self.requests[(host, request.path)] += 1
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, headers={"Allow": "GET, HEAD"})
        site = self.sites.get(host)
        if site is None:
            return self._respond(request, _UNKNOWN_HOST, {})
        if site.redirect_to:
            location = site_url(site.redirect_to, request.path_qs)
            return web.Response(status=301, headers={"Location": location})
        page = site.pages.get(request.path) or site.not_found or _UNKNOWN_HOST
        if page.delay_seconds:
            await asyncio.sleep(page.delay_seconds)
        headers = dict(page.headers)
        if page.status == 200:
            validators = self._validators(site, page)
            if _not_modified(request, validators, site.last_modified):
                return web.Response(status=304, headers=validators)
            headers.update(validators)
        if page.drip_seconds and request.method == "GET":
            return await self._drip(request, page, headers)
        return self._respond(request, page, headers)

    def _validators(self, site: Site, page: Page) -> dict[str, str]:
        validators = {}
        if site.caching in ("etag", "both"):
            validators["ETag"] = self._etag(page)
        if site.caching in ("last_modified", "both") and site.last_modified:
            validators["Last-Modified"] = format_datetime(site.last_modified, usegmt=True)
        return validators

    def _respond(self, request: web.Request, page: Page, headers: dict[str, str]) -> web.Response:
        headers["Content-Type"] = page.content_type
        body = page.body
        if page.content_type.startswith(_COMPRESSIBLE) and len(body) > 512:
            coding = _content_coding(request)
            if coding is not None:
                body = self._compress(page, coding)
                headers["Content-Encoding"] = coding.value
        return web.Response(status=page.status, body=body, headers=headers)

    def _compress(self, page: Page, coding: ContentCoding) -> bytes:
        """The bytes aiohttp's enable_compression() would send, computed once."""
        key = (id(page), coding)
        if key not in self._compressed:
            compressor = ZLibCompressor(encoding=coding.value)
            self._compressed[key] = compressor.compress_sync(page.body) + compressor.flush()
        return self._compressed[key]

    async def _drip(
        self, request: web.Request, page: Page, headers: dict[str, str]
    ) -> web.StreamResponse:
        headers["Content-Type"] = page.content_type
        response = web.StreamResponse(status=page.status, headers=headers)
        response.content_length = len(page.body)
        await response.prepare(request)
        size = -(-len(page.body) // _DRIP_PIECES)
        try:
            for start in range(0, len(page.body), size):
                await response.write(page.body[start : start + size])
                await asyncio.sleep(page.drip_seconds / _DRIP_PIECES)
            await response.write_eof()
        except ConnectionError:
            # The client gave up on the slow body, which is what the page is for.
            pass
        return response


def _content_coding(request: web.Request) -> ContentCoding | None:
    """The coding aiohttp's enable_compression() picks for the request's Accept-Encoding."""
    accept_encoding = request.headers.get("Accept-Encoding", "").lower()
    for value, coding in CONTENT_CODINGS.items():
        if value in accept_encoding:
            return None if coding is ContentCoding.identity else coding
    return None


def _not_modified(
    request: web.Request, validators: dict[str, str], last_modified: datetime | None
) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        etag = validators.get("ETag")
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag is not None and (etag in tags or "*" in tags)
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since and "Last-Modified" in validators and last_modified:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return last_modified <= since
    return False
