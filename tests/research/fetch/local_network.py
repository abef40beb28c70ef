"""A small local internet for the fetcher's and the crawler's tests.

- DnsServer: a dnslib server on 127.0.0.1 answering A/AAAA for the names a test registers
  (127.0.0.1 for reachable test sites, private addresses for sites the guard must refuse).
- VirtualHosts: one aiohttp server on 127.0.0.1 serving many sites by Host header, recording
  every request it receives (host, path, start and end time, request headers).
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from types import TracebackType

from aiohttp import web
from dnslib import AAAA, QTYPE, RCODE, RR, A, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

from coldflow.research.fetch import FetchSettings

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Page = Handler | str


class DnsServer:
    def __init__(self) -> None:
        self.records: dict[str, list[str]] = {}
        self.queries: list[str] = []
        # Seconds before each answer, like a resolver across a network; the server answers
        # every question in a thread of its own, so questions overlap.
        self.answer_delay = 0.0
        # Questions being answered now, and the most there were at once.
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        quiet = DNSLogger(logf=lambda _line: None)
        self._server = DNSServer(_MapResolver(self), port=0, address="127.0.0.1", logger=quiet)
        self.port: int = self._server.server.server_address[1]

    def start(self) -> None:
        self._server.start_thread()

    def stop(self) -> None:
        self._server.stop()
        self._server.server.server_close()


class _MapResolver(BaseResolver):
    def __init__(self, dns: DnsServer) -> None:
        self._dns = dns

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        dns = self._dns
        with dns._lock:
            dns.in_flight += 1
            dns.most_in_flight = max(dns.most_in_flight, dns.in_flight)
        try:
            time.sleep(dns.answer_delay)
            return self._answer(request)
        finally:
            with dns._lock:
                dns.in_flight -= 1

    def _answer(self, request: DNSRecord) -> DNSRecord:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        self._dns.queries.append(name)
        addresses = self._dns.records.get(name)
        if addresses is None:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for address in addresses:
            version = ipaddress.ip_address(address).version
            if request.q.qtype == QTYPE.A and version == 4:
                reply.add_answer(RR(name, QTYPE.A, rdata=A(address), ttl=60))
            elif request.q.qtype == QTYPE.AAAA and version == 6:
                reply.add_answer(RR(name, QTYPE.AAAA, rdata=AAAA(address), ttl=60))
        return reply


@dataclass
class Hit:
    host: str
    path: str
    started: float
    headers: dict[str, str]
    finished: float = 0.0


class VirtualHosts:
    """Sites by host name; each site maps a path (with query, if any) to HTML or a handler.

    The server runs its own event loop in a thread, so the times it records are when requests
    arrived, not when a busy client loop got round to handling them.
    """

    def __init__(self) -> None:
        self.sites: dict[str, dict[str, Page]] = {}
        self.hits: list[Hit] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    def add_site(self, host: str, pages: dict[str, Page]) -> None:
        self.sites[host] = pages

    def hits_for(self, host: str, path: str | None = None) -> list[Hit]:
        return [h for h in self.hits if h.host == host and (path is None or h.path == path)]

    async def __aenter__(self) -> VirtualHosts:
        self._thread.start()
        await self._in_server_loop(self._start())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._runner is not None
        await self._in_server_loop(self._runner.cleanup())
        await self._in_server_loop(_cancel_other_tasks())
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join)
        self._loop.close()

    async def _in_server_loop(self, coroutine: Coroutine[object, object, None]) -> None:
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self._loop))

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        host = (request.host or "").split(":")[0].lower()
        hit = Hit(host, request.path_qs, time.monotonic(), dict(request.headers))
        self.hits.append(hit)
        try:
            pages = self.sites.get(host, {})
            page = pages.get(request.path_qs, pages.get(request.path))
            if page is None:
                return web.Response(status=404, text="not found")
            if isinstance(page, str):
                return web.Response(text=page, content_type="text/html")
            return await page(request)
        finally:
            hit.finished = time.monotonic()


async def _cancel_other_tasks() -> None:
    """Handlers still sleeping (slow pages the client gave up on) end with the server."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


def most_at_once(hits: list[Hit]) -> int:
    """The most requests the server was answering at the same time."""
    events = sorted([(h.started, 1) for h in hits] + [(h.finished, -1) for h in hits])
    current = peak = 0
    for _, change in events:
        current += change
        peak = max(peak, current)
    return peak


def sandbox_settings(dns: DnsServer, web_hosts: VirtualHosts, **overrides: object) -> FetchSettings:
    """Sandbox-mode settings pointing at the test DNS and web servers, fast by default."""
    values: dict[str, object] = dict(
        nameserver="127.0.0.1",
        nameserver_port=dns.port,
        allow_loopback=True,
        port_map={80: web_hosts.port},
        default_scheme="http",
        per_host_delay=0.0,
        timeout=2.0,
        retries=0,
        backoff=0.01,
        dns_timeout=2.0,
    )
    values.update(overrides)
    return FetchSettings(**values)  # type: ignore[arg-type]


def html_page(body: str, title: str = "Test page") -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


def spaced_apart(starts: list[float], delay: float) -> bool:
    """Whether requests arrived at least `delay` apart, allowing for a busy test machine.

    A server's timestamp can only be late, never early: a late one shortens the gap before it
    and lengthens the one after (by as much as the event loop was busy, which on a loaded
    2-core machine is a good part of the delay). So no gap may be a burst (under a tenth of the
    delay: requests sent together arrive within a millisecond), and the whole span must hold
    nearly (n - 1) delays, which one late timestamp cannot fake.
    """
    starts = sorted(starts)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    return min(gaps) >= delay / 10 and starts[-1] - starts[0] >= len(gaps) * delay * 0.8
