import asyncio

from coldflow.research.crawl import PageKind, SiteCrawl, crawl_site
from coldflow.research.fetch import Fetcher
from tests.research.crawl.company_sites import conditional, nav
from tests.research.fetch.local_network import DnsServer, VirtualHosts, html_page, sandbox_settings

HOST = "nordwind-logistik.de"


def test_a_recrawl_asks_conditionally_and_keeps_unchanged_pages(dns: DnsServer) -> None:
    dns.records[HOST] = ["127.0.0.1"]
    home = html_page(nav(("/team", "Team"), ("/kontakt", "Kontakt")))
    pages = {
        "/": conditional(home, '"home-1"'),
        "/team": conditional(html_page("<p>Jana Richter</p>"), '"team-1"'),
        # Without validators: always sent in full.
        "/kontakt": html_page("<p>Tel. 0421 123456</p>"),
    }

    async def scenario() -> tuple[SiteCrawl, SiteCrawl, VirtualHosts]:
        async with VirtualHosts() as hosts:
            hosts.add_site(HOST, pages)
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                first = await crawl_site(fetcher, HOST)
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                second = await crawl_site(fetcher, HOST, previous=first)
            return first, second, hosts

    first, second, hosts = asyncio.run(scenario())
    assert first.page(PageKind.TEAM).etag == '"team-1"'
    team = second.page(PageKind.TEAM)
    assert team.not_modified and team.status == 304
    assert "Jana Richter" in team.text
    assert second.page(PageKind.HOME).not_modified
    assert not second.page(PageKind.CONTACT).not_modified
    team_requests = hosts.hits_for(HOST, "/team")
    assert "If-None-Match" not in team_requests[0].headers
    assert team_requests[1].headers["If-None-Match"] == '"team-1"'
