import asyncio

from aiohttp import web

from coldflow.research.fetch import Fetcher
from tests.research.fetch.local_network import DnsServer, VirtualHosts, html_page, sandbox_settings

ROBOTS = "User-agent: *\nDisallow: /team\nSitemap: http://acme.example/sitemap-pages.xml\n"


def serve(dns: DnsServer, sites: dict[str, dict], urls: list[str], **settings: object):
    for host in sites:
        dns.records[host] = ["127.0.0.1"]

    async def scenario():
        async with VirtualHosts() as hosts:
            for host, pages in sites.items():
                hosts.add_site(host, pages)
            async with Fetcher(sandbox_settings(dns, hosts, **settings)) as fetcher:
                results = [await fetcher.get(url) for url in urls]
                rules = await fetcher.robots(urls[0])
            return hosts, results, rules

    return asyncio.run(scenario())


def test_a_disallowed_page_is_never_requested(dns: DnsServer) -> None:
    site = {"/robots.txt": ROBOTS, "/team": html_page("people"), "/about": html_page("us")}
    hosts, (team, about), _ = serve(
        dns, {"acme.example": site}, ["http://acme.example/team", "http://acme.example/about"]
    )
    assert team.error == "blocked by robots.txt"
    assert about.ok
    assert hosts.hits_for("acme.example", "/team") == []


def test_robots_txt_is_fetched_once_per_host(dns: DnsServer) -> None:
    site = {"/robots.txt": ROBOTS, "/a": "a", "/b": "b", "/c": "c"}
    urls = [f"http://acme.example/{p}" for p in "abc"] * 2
    hosts, results, rules = serve(dns, {"acme.example": site}, urls)
    assert all(r.ok for r in results)
    assert len(hosts.hits_for("acme.example", "/robots.txt")) == 1
    assert rules.sitemaps() == ["http://acme.example/sitemap-pages.xml"]


def test_a_robots_txt_redirected_to_another_origin_serves_that_origin_too(
    dns: DnsServer,
) -> None:
    async def to_www(request: web.Request) -> web.StreamResponse:
        raise web.HTTPMovedPermanently(f"http://www.acme.example{request.path}")

    www_robots = "User-agent: *\nDisallow: /team\n"
    sites = {
        "acme.example": {"/robots.txt": to_www, "/": to_www},
        "www.acme.example": {
            "/robots.txt": www_robots,
            "/": html_page("home"),
            "/team": html_page("people"),
        },
    }
    urls = ["http://acme.example/", "http://www.acme.example/team"]
    hosts, (home, team), _ = serve(dns, sites, urls)
    assert home.ok and home.final_url == "http://www.acme.example/"
    # Read once, through the redirect, and obeyed on the origin it came from.
    assert len(hosts.hits_for("www.acme.example", "/robots.txt")) == 1
    assert team.error == "blocked by robots.txt"
    assert hosts.hits_for("www.acme.example", "/team") == []


def test_a_redirect_into_a_disallowed_page_stops_before_it(dns: DnsServer) -> None:
    async def to_team(request: web.Request) -> web.StreamResponse:
        raise web.HTTPMovedPermanently("http://people.example/team")

    sites = {
        "acme.example": {"/people": to_team},
        "people.example": {"/robots.txt": ROBOTS, "/team": html_page("people")},
    }
    hosts, (result,), _ = serve(dns, sites, ["http://acme.example/people"])
    assert result.error == "blocked by robots.txt"
    assert result.redirects == ("http://acme.example/people",)
    assert hosts.hits_for("people.example", "/team") == []


def test_an_unreachable_robots_txt_means_nothing_is_fetched(dns: DnsServer) -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=503)

    site = {"/robots.txt": broken, "/about": html_page("us")}
    hosts, (result,), _ = serve(dns, {"acme.example": site}, ["http://acme.example/about"])
    assert result.error == "robots.txt unreachable: http 503"
    assert hosts.hits_for("acme.example", "/about") == []


def test_a_missing_robots_txt_allows_everything(dns: DnsServer) -> None:
    site = {"/team": html_page("people")}
    _, (result,), rules = serve(dns, {"acme.example": site}, ["http://acme.example/team"])
    assert result.ok
    assert rules.parser is None


def test_robots_can_be_switched_off(dns: DnsServer) -> None:
    site = {"/robots.txt": ROBOTS, "/team": html_page("people")}
    hosts, (result,), _ = serve(
        dns, {"acme.example": site}, ["http://acme.example/team"], respect_robots=False
    )
    assert result.ok
    assert len(hosts.hits_for("acme.example", "/team")) == 1
