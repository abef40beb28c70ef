import asyncio

from coldflow.research.crawl import PageKind, SiteCrawl, crawl_site
from coldflow.research.crawl.javascript_pages import looks_javascript_only
from coldflow.research.fetch import Fetcher
from tests.research.crawl.company_sites import javascript_only_company
from tests.research.fetch.local_network import DnsServer, VirtualHosts, html_page, sandbox_settings

HOST = "spa-company.io"


def test_an_empty_shell_with_scripts_is_javascript_only() -> None:
    assert looks_javascript_only(javascript_only_company(HOST)["/"])
    assert looks_javascript_only(
        '<script src="a.js"></script><noscript>Enable JavaScript</noscript>'
    )


def test_a_page_with_content_or_without_scripts_is_not() -> None:
    content = "<p>" + "Wir liefern Qualität seit 1987. " * 10 + "</p>"
    assert not looks_javascript_only(html_page(content + "<script>track()</script>"))
    assert not looks_javascript_only(html_page("<p>Tiny page</p>"))


def crawl_spa(dns: DnsServer, render: bool) -> SiteCrawl:
    dns.records[HOST] = ["127.0.0.1"]

    async def scenario() -> SiteCrawl:
        async with VirtualHosts() as hosts:
            hosts.add_site(HOST, javascript_only_company(HOST))
            settings = sandbox_settings(
                dns, hosts, render_javascript=render, chromium_path="/nonexistent/chromium"
            )
            async with Fetcher(settings) as fetcher:
                return await crawl_site(fetcher, HOST)

    return asyncio.run(scenario())


def test_the_crawl_says_when_rendering_is_wanted_but_unavailable(dns: DnsServer) -> None:
    result = crawl_spa(dns, render=True)
    assert [page.kind for page in result.pages] == [PageKind.HOME]
    assert not result.pages[0].rendered
    assert len(result.errors) == 1
    assert result.errors[0].error.startswith("javascript rendering unavailable: ")


def test_rendering_is_off_by_default(dns: DnsServer) -> None:
    result = crawl_spa(dns, render=False)
    assert result.errors == ()
