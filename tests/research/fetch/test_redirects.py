import asyncio

from aiohttp import web

from coldflow.research.fetch import Fetcher, FetchResult
from tests.research.fetch.local_network import DnsServer, VirtualHosts, html_page, sandbox_settings


def redirect(location: str, status: int = 302):
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": location} if location else {})

    return handler


def fetch(
    dns: DnsServer, pages: dict, url: str, **settings: object
) -> tuple[FetchResult, VirtualHosts]:
    dns.records["acme.example"] = ["127.0.0.1"]
    dns.records["www.acme.example"] = ["127.0.0.1"]

    async def scenario() -> tuple[FetchResult, VirtualHosts]:
        async with VirtualHosts() as hosts:
            hosts.add_site("acme.example", pages)
            hosts.add_site("www.acme.example", pages)
            async with Fetcher(sandbox_settings(dns, hosts, **settings)) as fetcher:
                return await fetcher.get(url), hosts

    return asyncio.run(scenario())


def test_it_follows_a_redirect_chain_within_the_limit(dns: DnsServer) -> None:
    pages = {
        "/": redirect("http://www.acme.example/", 301),
        "/start": redirect("/en/home#top", 308),
        "/en/home": html_page("welcome"),
    }
    pages_www = {**pages, "/": redirect("/start", 302)}
    dns.records["acme.example"] = ["127.0.0.1"]
    dns.records["www.acme.example"] = ["127.0.0.1"]

    async def scenario() -> FetchResult:
        async with VirtualHosts() as hosts:
            hosts.add_site("acme.example", pages)
            hosts.add_site("www.acme.example", pages_www)
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                return await fetcher.get("http://acme.example/")

    result = asyncio.run(scenario())
    assert result.ok and "welcome" in result.text
    assert result.final_url == "http://www.acme.example/en/home"
    assert result.redirects == (
        "http://acme.example/",
        "http://www.acme.example/",
        "http://www.acme.example/start",
    )


def test_it_detects_a_redirect_loop(dns: DnsServer) -> None:
    pages = {"/a": redirect("/b"), "/b": redirect("/c"), "/c": redirect("/a")}
    result, hosts = fetch(dns, pages, "http://acme.example/a")
    assert result.error == "redirect loop"
    assert [h.path for h in hosts.hits_for("acme.example")] == ["/robots.txt", "/a", "/b", "/c"]


def test_it_stops_after_the_maximum_number_of_redirects(dns: DnsServer) -> None:
    pages = {f"/r{n}": redirect(f"/r{n + 1}") for n in range(20)}
    result, hosts = fetch(dns, pages, "http://acme.example/r0", max_redirects=3)
    assert result.error == "too many redirects (over 3)"
    assert len(result.redirects) == 4
    assert hosts.hits_for("acme.example", "/r4") == []


def test_a_redirect_without_location_is_an_error(dns: DnsServer) -> None:
    result, _ = fetch(dns, {"/x": redirect("")}, "http://acme.example/x")
    assert result.error == "redirect without a Location header"


def test_it_refuses_a_redirect_to_another_scheme(dns: DnsServer) -> None:
    result, _ = fetch(dns, {"/x": redirect("file:///etc/passwd")}, "http://acme.example/x")
    assert result.error == "unsupported scheme: file"
