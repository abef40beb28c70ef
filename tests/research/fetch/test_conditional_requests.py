import asyncio

from aiohttp import web

from coldflow.research.fetch import Fetcher, FetchResult
from tests.research.fetch.local_network import DnsServer, VirtualHosts, html_page, sandbox_settings

ETAG = '"v42"'
LAST_MODIFIED = "Tue, 03 Nov 2026 10:00:00 GMT"


async def cached_page(request: web.Request) -> web.Response:
    validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
    if request.headers.get("If-None-Match") == ETAG:
        return web.Response(status=304, headers=validators)
    if request.headers.get("If-Modified-Since") == LAST_MODIFIED:
        return web.Response(status=304, headers=validators)
    return web.Response(text=html_page("team"), content_type="text/html", headers=validators)


def fetch_twice(dns: DnsServer, **validators: str) -> tuple[FetchResult, FetchResult, VirtualHosts]:
    dns.records["acme.example"] = ["127.0.0.1"]

    async def scenario() -> tuple[FetchResult, FetchResult, VirtualHosts]:
        async with VirtualHosts() as hosts:
            hosts.add_site("acme.example", {"/team": cached_page})
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                first = await fetcher.get("http://acme.example/team")
                again = await fetcher.get("http://acme.example/team", **validators)
            return first, again, hosts

    return asyncio.run(scenario())


def test_a_matching_etag_gets_not_modified(dns: DnsServer) -> None:
    first, again, hosts = fetch_twice(dns, etag=ETAG)
    assert first.ok and first.etag == ETAG and first.last_modified == LAST_MODIFIED
    assert again.ok and again.not_modified and again.status == 304 and again.text == ""
    assert hosts.hits_for("acme.example", "/team")[1].headers["If-None-Match"] == ETAG


def test_a_matching_last_modified_gets_not_modified(dns: DnsServer) -> None:
    _, again, _ = fetch_twice(dns, last_modified=LAST_MODIFIED)
    assert again.not_modified


def test_a_stale_etag_gets_the_full_page(dns: DnsServer) -> None:
    _, again, _ = fetch_twice(dns, etag='"v41"')
    assert again.ok and not again.not_modified and "team" in again.text
