import time

from coldflow.research.fetch.sitemaps import parse_sitemap

URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://acme.example/</loc></url>
  <url><loc> https://acme.example/ueber-uns/team </loc><lastmod>2026-01-01</lastmod></url>
  <url><loc>https://acme.example/search?q=a&amp;page=2</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><loc>https://acme.example/</loc></url>
</urlset>"""


def test_it_reads_page_urls_from_a_urlset() -> None:
    sitemap = parse_sitemap(URLSET)
    assert not sitemap.is_index
    assert sitemap.urls == (
        "https://acme.example/",
        "https://acme.example/ueber-uns/team",
        "https://acme.example/search?q=a&page=2",
    )


def test_it_recognises_a_sitemap_index() -> None:
    index = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://acme.example/sitemap-pages.xml</loc></sitemap>
      <sitemap><loc>https://acme.example/sitemap-posts.xml</loc></sitemap></sitemapindex>"""
    sitemap = parse_sitemap(index)
    assert sitemap.is_index
    assert sitemap.urls[1] == "https://acme.example/sitemap-posts.xml"


def test_it_stops_at_the_url_limit() -> None:
    many = "".join(f"<url><loc>https://acme.example/p{n}</loc></url>" for n in range(100))
    assert len(parse_sitemap(many, limit=10).urls) == 10


def test_entity_bombs_and_unclosed_tags_stay_cheap() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<urlset><url><loc>&lol2;</loc></url>" + "<loc>" * 200_000 + "</urlset>"
    )
    started = time.monotonic()
    sitemap = parse_sitemap(bomb)
    assert sitemap.urls == ()
    assert time.monotonic() - started < 1
