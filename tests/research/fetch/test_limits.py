import asyncio
import gzip
import socket
import time

from aiohttp import web

from coldflow.research.fetch import Fetcher, FetchResult
from tests.research.fetch.local_network import DnsServer, VirtualHosts, html_page, sandbox_settings

MEGABYTE = 1_000_000


def fetch(
    dns: DnsServer, pages: dict, path: str, **settings: object
) -> tuple[FetchResult, VirtualHosts]:
    dns.records["acme.example"] = ["127.0.0.1"]

    async def scenario() -> tuple[FetchResult, VirtualHosts]:
        async with VirtualHosts() as hosts:
            hosts.add_site("acme.example", pages)
            async with Fetcher(sandbox_settings(dns, hosts, **settings)) as fetcher:
                return await fetcher.get(f"http://acme.example{path}"), hosts

    return asyncio.run(scenario())


def test_a_gzip_bomb_stops_at_the_byte_limit_on_decoded_bytes(dns: DnsServer) -> None:
    # 30 MB of zeros compress to about 30 kB on the wire.
    bomb = gzip.compress(b"\0" * (30 * MEGABYTE), compresslevel=9)

    async def handler(request: web.Request) -> web.Response:
        return web.Response(
            body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
        )

    started = time.monotonic()
    result, _ = fetch(dns, {"/bomb": handler}, "/bomb", max_bytes=MEGABYTE)
    assert len(bomb) < MEGABYTE
    assert result.error == "too large: over 1 MB"
    assert result.text == ""
    assert time.monotonic() - started < 3


def test_a_compressed_page_under_the_limit_is_decoded(dns: DnsServer) -> None:
    page = html_page("<p>" + "Hallo Welt " * 1000 + "</p>").encode()

    async def handler(request: web.Request) -> web.Response:
        return web.Response(
            body=gzip.compress(page),
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        )

    result, _ = fetch(dns, {"/page": handler}, "/page", max_bytes=MEGABYTE)
    assert result.ok
    assert result.byte_count == len(page)
    assert result.text.count("Hallo Welt") == 1000


def test_a_multi_megabyte_page_is_refused_at_the_limit(dns: DnsServer) -> None:
    async def streamed(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(50):
            await response.write(b"<p>" + b"x" * 100_000 + b"</p>")
        return response

    result, _ = fetch(dns, {"/huge": streamed}, "/huge", max_bytes=2 * MEGABYTE)
    assert result.error == "too large: over 2 MB"
    assert result.status == 200


def test_a_slow_page_times_out(dns: DnsServer) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="late")

    started = time.monotonic()
    result, _ = fetch(dns, {"/slow": slow}, "/slow", timeout=0.3)
    assert result.error == "timeout after 0.3 s"
    assert time.monotonic() - started < 2


def test_a_page_that_trickles_bytes_times_out(dns: DnsServer) -> None:
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(100):
            await response.write(b"<p>")
            await asyncio.sleep(0.05)
        return response

    result, _ = fetch(dns, {"/drip": trickle}, "/drip", timeout=0.4)
    assert result.error == "timeout after 0.4 s"


def test_error_statuses_are_reported_with_their_body(dns: DnsServer) -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500, text="<h1>Internal error</h1>", content_type="text/html")

    missing, _ = fetch(dns, {}, "/nothing-here")
    failed, _ = fetch(dns, {"/boom": broken}, "/boom")
    assert (missing.status, missing.error) == (404, "http 404")
    assert (failed.status, failed.error) == (500, "http 500")
    assert "Internal error" in failed.text


def test_a_file_that_is_not_a_page_is_not_downloaded(dns: DnsServer) -> None:
    async def image(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG" + b"\0" * 1000, content_type="image/png")

    result, _ = fetch(dns, {"/logo.png": image}, "/logo.png")
    assert result.error == "not a web page: image/png"
    assert result.byte_count == 0


def test_it_retries_a_busy_server_with_backoff(dns: DnsServer) -> None:
    answers = iter([503, 503, 200])

    async def flaky(request: web.Request) -> web.Response:
        status = next(answers)
        return web.Response(status=status, text="<p>fine</p>", content_type="text/html")

    result, hosts = fetch(dns, {"/flaky": flaky}, "/flaky", retries=2, backoff=0.1)
    assert result.ok and "fine" in result.text
    attempts = sorted(h.started for h in hosts.hits_for("acme.example", "/flaky"))
    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 0.1 * 0.8
    assert attempts[2] - attempts[1] >= 0.2 * 0.8


def test_it_gives_up_after_the_last_retry(dns: DnsServer) -> None:
    async def busy(request: web.Request) -> web.Response:
        return web.Response(status=503, headers={"Retry-After": "0"})

    result, hosts = fetch(dns, {"/busy": busy}, "/busy", retries=1, backoff=0.01)
    assert result.error == "http 503"
    assert len(hosts.hits_for("acme.example", "/busy")) == 2


def test_a_closed_port_is_a_connection_failure(dns: DnsServer) -> None:
    dns.records["closed.example"] = ["127.0.0.1"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    async def scenario() -> FetchResult:
        async with VirtualHosts() as hosts:
            settings = sandbox_settings(dns, hosts, port_map={80: closed_port}, retries=1)
            async with Fetcher(settings) as fetcher:
                return await fetcher.get("http://closed.example/")

    result = asyncio.run(scenario())
    assert result.status is None
    assert result.error == "robots.txt unreachable: connection failed: closed.example"
