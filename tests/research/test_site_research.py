"""A site's research depends on its pages, not on the order their fetches happened to finish."""

from __future__ import annotations

from coldflow.research.crawl import CrawledPage, PageKind, SiteCrawl
from coldflow.research.site_research import research_from_crawl, research_to_json

SITE = "http://acme-tools.de"


def _page(path: str, kind: PageKind, body: str) -> CrawledPage:
    html = f"<html><body><main>{body}</main></body></html>"
    return CrawledPage(f"{SITE}{path}", f"{SITE}{path}", kind, 200, html)


PAGES = [
    _page("/", PageKind.HOME, "<p>Write to <a href='mailto:hello@acme-tools.de'>us</a>.</p>"),
    _page(
        "/team",
        PageKind.TEAM,
        "<div class='team'><h3>Jane Doe</h3><p>Head of Sales</p>"
        "<a href='mailto:jane@acme-tools.de'>jane@acme-tools.de</a></div>"
        "<p>General questions: hello@acme-tools.de</p>",
    ),
    _page(
        "/contact",
        PageKind.CONTACT,
        "<p>Sales: <a href='mailto:jane@acme-tools.de'>jane@acme-tools.de</a>; "
        "hello@acme-tools.de</p>",
    ),
]


def test_pages_finishing_in_another_order_give_the_same_research() -> None:
    researched = [
        research_to_json(research_from_crawl(SiteCrawl("acme-tools.de", f"{SITE}/", tuple(pages))))
        for pages in (PAGES, PAGES[::-1], [PAGES[1], PAGES[0], PAGES[2]])
    ]
    assert researched[0]["emails"], researched[0]
    assert researched[1] == researched[0]
    assert researched[2] == researched[0]
    # The home page is read first, so an address it shows is credited to it.
    hello = next(e for e in researched[0]["emails"] if e["address"] == "hello@acme-tools.de")
    assert hello["source_url"] == f"{SITE}/"
