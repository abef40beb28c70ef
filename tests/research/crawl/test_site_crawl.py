import asyncio

from coldflow.research.crawl import PageKind, SiteCrawl, crawl_site
from coldflow.research.fetch import Fetcher
from tests.research.crawl.company_sites import english_company, german_company
from tests.research.fetch.local_network import DnsServer, VirtualHosts, sandbox_settings

NORDWIND = "nordwind-logistik.de"
ACME = "acme-robotics.com"


def crawl(dns: DnsServer, host: str, pages: dict, target: str, **options: object):
    dns.records[host] = ["127.0.0.1"]
    budget = options.pop("budget", 8)

    async def scenario() -> tuple[SiteCrawl, VirtualHosts]:
        async with VirtualHosts() as hosts:
            hosts.add_site(host, pages)
            async with Fetcher(sandbox_settings(dns, hosts, **options)) as fetcher:
                return await crawl_site(fetcher, target, budget=budget), hosts

    return asyncio.run(scenario())


def test_a_german_site_yields_one_page_of_each_kind(dns: DnsServer) -> None:
    result, hosts = crawl(dns, NORDWIND, german_company(NORDWIND), NORDWIND)
    # The home page links an internal team page that robots.txt disallows.
    assert [(e.url, e.error) for e in result.errors] == [
        (f"http://{NORDWIND}/intern/team", "blocked by robots.txt")
    ]
    assert result.home_url == f"http://{NORDWIND}/"
    by_kind = {page.kind: page for page in result.pages}
    assert set(by_kind) == {
        PageKind.HOME,
        PageKind.ABOUT,
        PageKind.TEAM,
        PageKind.CONTACT,
        PageKind.IMPRINT,
        PageKind.CAREERS,
        PageKind.BLOG,
    }
    # The team page hangs below "Über uns", the blog is only in the sitemap.
    assert by_kind[PageKind.TEAM].url == f"http://{NORDWIND}/ueber-uns/team"
    assert "Jana Richter" in by_kind[PageKind.TEAM].text
    assert by_kind[PageKind.BLOG].url == f"http://{NORDWIND}/aktuelles/"
    # Careers arrived through two redirects; the imprint was Latin-1.
    assert by_kind[PageKind.CAREERS].url == f"http://{NORDWIND}/jobs"
    assert by_kind[PageKind.CAREERS].requested_url == f"http://{NORDWIND}/karriere"
    assert "Geschäftsführer: Jürgen Müßig" in by_kind[PageKind.IMPRINT].text
    # robots.txt keeps /intern/ out, and nothing outside the wanted pages was fetched.
    assert hosts.hits_for(NORDWIND, "/intern/team") == []
    assert hosts.hits_for(NORDWIND, "/leistungen") == []
    assert hosts.hits_for(NORDWIND, "/datenschutz") == []


def test_a_team_page_disallowed_by_robots_is_never_requested(dns: DnsServer) -> None:
    result, hosts = crawl(dns, ACME, english_company(ACME), f"http://{ACME}/")
    assert hosts.hits_for(ACME, "/team") == []
    assert [(e.url, e.kind, e.error) for e in result.errors] == [
        (f"http://{ACME}/team", PageKind.TEAM, "blocked by robots.txt")
    ]
    # The other people page still makes it in.
    assert "Grace Hopper" in result.page(PageKind.TEAM).text


def test_the_page_budget_is_never_exceeded(dns: DnsServer) -> None:
    result, hosts = crawl(dns, NORDWIND, german_company(NORDWIND), NORDWIND, budget=3)
    assert [page.kind for page in result.pages] == [PageKind.HOME, PageKind.ABOUT, PageKind.CONTACT]
    pages_requested = [
        hit.path for hit in hosts.hits if hit.path not in ("/robots.txt", "/sitemap.xml")
    ]
    assert len(pages_requested) == 3


def test_a_bare_domain_falls_back_to_http_when_https_fails(dns: DnsServer) -> None:
    dns.records[ACME] = ["127.0.0.1"]

    async def scenario() -> SiteCrawl:
        async with VirtualHosts() as hosts:
            hosts.add_site(ACME, english_company(ACME))
            settings = sandbox_settings(
                dns, hosts, default_scheme="https", port_map={80: hosts.port, 443: hosts.port}
            )
            async with Fetcher(settings) as fetcher:
                return await crawl_site(fetcher, ACME)

    result = asyncio.run(scenario())
    assert result.home_url == f"http://{ACME}/"
    assert PageKind.ABOUT in result.kinds
    assert all(not e.url.startswith("https://") for e in result.errors)


def test_an_unusable_domain_is_an_error_not_an_exception(dns: DnsServer) -> None:
    for target in ("", "   ", "not a domain", "ftp://acme.example/", "user@acme.example"):
        result, _ = crawl(dns, ACME, english_company(ACME), target)
        assert result.home_url is None
        assert [e.error for e in result.errors] == ["invalid domain"], target


def test_an_unknown_domain_reports_the_dns_error(dns: DnsServer) -> None:
    result, _ = crawl(dns, ACME, english_company(ACME), "no-such-company.example")
    assert result.pages == ()
    assert [e.error for e in result.errors] == ["dns: no such host no-such-company.example"]


def test_a_disallowed_page_that_would_not_have_been_chosen_is_not_reported(dns: DnsServer) -> None:
    pages = {**english_company(ACME), "/robots.txt": "User-agent: *\nDisallow: /leadership\n"}
    result, hosts = crawl(dns, ACME, pages, ACME)
    assert result.errors == ()
    assert result.page(PageKind.TEAM).url == f"http://{ACME}/team"
    assert hosts.hits_for(ACME, "/leadership") == []


def test_a_budget_of_one_fetches_only_the_home_page_even_after_a_scheme_fallback(
    dns: DnsServer,
) -> None:
    dns.records[ACME] = ["127.0.0.1"]

    # Two people pages on the home page, both allowed: candidates for the spare budget.
    pages = {**english_company(ACME), "/robots.txt": ""}

    async def scenario() -> tuple[SiteCrawl, VirtualHosts]:
        async with VirtualHosts() as hosts:
            hosts.add_site(ACME, pages)
            settings = sandbox_settings(
                dns, hosts, default_scheme="https", port_map={80: hosts.port, 443: hosts.port}
            )
            async with Fetcher(settings) as fetcher:
                return await crawl_site(fetcher, ACME, budget=1), hosts

    result, hosts = asyncio.run(scenario())
    assert [page.kind for page in result.pages] == [PageKind.HOME]
    assert {hit.path for hit in hosts.hits} == {"/robots.txt", "/"}


def _urlset(host: str, paths: list[str]) -> str:
    entries = "".join(f"<url><loc>http://{host}{path}</loc></url>" for path in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


def test_sitemaps_of_pages_are_read_first_and_posts_are_skipped(dns: DnsServer) -> None:
    """Each sitemap file is a request a politeness delay apart: of a WordPress-style index,
    the pages' sitemap is read, and the posts' and categories' sitemaps are not."""
    host = "sitemapped.example"
    children = ["post-sitemap.xml", "category-sitemap.xml", "page-sitemap.xml"]
    index = "".join(f"<sitemap><loc>http://{host}/{name}</loc></sitemap>" for name in children)
    pages = {
        "/robots.txt": f"User-agent: *\nSitemap: http://{host}/sitemap_index.xml\n",
        "/sitemap_index.xml": f"<?xml version='1.0'?><sitemapindex>{index}</sitemapindex>",
        "/post-sitemap.xml": _urlset(host, ["/2026/11/news"]),
        "/category-sitemap.xml": _urlset(host, ["/category/all"]),
        "/page-sitemap.xml": _urlset(host, ["/about", "/team", "/contact", "/careers"]),
        "/": "<html><body><h1>Sitemapped</h1><p>Nothing linked here.</p></body></html>",
        "/about": "<html><body><h1>About us</h1></body></html>",
        "/team": "<html><body><h1>Our team</h1></body></html>",
        "/contact": "<html><body><h1>Contact</h1></body></html>",
        "/careers": "<html><body><h1>Careers</h1></body></html>",
    }
    result, hosts = crawl(dns, host, pages, host)
    assert {PageKind.ABOUT, PageKind.TEAM, PageKind.CONTACT, PageKind.CAREERS} <= result.kinds
    assert len(hosts.hits_for(host, "/page-sitemap.xml")) == 1
    assert hosts.hits_for(host, "/post-sitemap.xml") == []
    assert hosts.hits_for(host, "/category-sitemap.xml") == []
