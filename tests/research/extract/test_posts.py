"""Recent posts with dates: JSON-LD articles, article meta tags, blog and news listings."""

from __future__ import annotations

from datetime import date

import pytest

from coldflow.research.extract import extract_page
from coldflow.research.extract.text_dates import find_date, parse_iso_date, without_dates


def _posts(html: str, url: str = "https://www.acme.de/blog/") -> list[tuple]:
    return [(p.title, p.url, p.published, p.method) for p in extract_page(html, url).posts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-12", date(2025, 3, 12)),
        ("Posted on 12 March 2025", date(2025, 3, 12)),
        ("March 12, 2025", date(2025, 3, 12)),
        ("Mar 12th, 2025", date(2025, 3, 12)),
        ("12. März 2025", date(2025, 3, 12)),
        ("12. Mär. 2025", date(2025, 3, 12)),
        ("12.03.2025", date(2025, 3, 12)),
        ("1. Dezember 2024", date(2024, 12, 1)),
        ("31 February 2025", None),
        ("Version 2.0.1", None),
    ],
)
def test_it_reads_dates_in_english_and_german(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


def test_it_reads_iso_timestamps_and_removes_dates_from_text() -> None:
    assert parse_iso_date("2025-03-12T09:00:00+01:00") == date(2025, 3, 12)
    assert parse_iso_date("soon") is None
    assert without_dates("Seed round — 3 October 2024") == "Seed round —"


def test_json_ld_articles_are_posts() -> None:
    html = """<script type="application/ld+json">{"@type": "Blog", "blogPost": [
      {"@type": "BlogPosting", "headline": "Hello world", "datePublished": "2024-11-02T10:00:00Z", "url": "/blog/hello"}]}</script>"""
    assert _posts(html) == [
        ("Hello world", "https://www.acme.de/blog/hello", date(2024, 11, 2), "jsonld")
    ]


def test_a_single_article_page_is_a_post() -> None:
    html = """<meta property="og:type" content="article"><meta property="og:title" content="Wir ziehen um">
      <meta property="article:published_time" content="2024-06-01T08:00:00+02:00"><p>Text</p>"""
    assert _posts(html, "https://www.acme.de/aktuelles/umzug") == [
        ("Wir ziehen um", "https://www.acme.de/aktuelles/umzug", date(2024, 6, 1), "meta")
    ]


def test_listing_entries_pair_each_date_with_its_own_heading() -> None:
    html = """<div class="news">
      <div class="entry"><span class="date">12. März 2025</span><h3><a href="/news/a">Neue Halle eröffnet</a></h3><p>Text</p></div>
      <div class="entry"><span class="date">3. Februar 2025</span><h3><a href="/news/b">Zwei neue Azubis</a></h3><p>Text</p></div>
      <div class="entry"><h3>Tag der offenen Tür</h3><p>Am 5. Januar 2025 war es voll.</p></div>
    </div>
    <aside><a href="/news/old">Archiv 2019</a> <time datetime="2019-01-01">1.1.2019</time></aside>"""
    assert _posts(html, "https://www.acme.de/news/") == [
        ("Neue Halle eröffnet", "https://www.acme.de/news/a", date(2025, 3, 12), "text_date"),
        ("Zwei neue Azubis", "https://www.acme.de/news/b", date(2025, 2, 3), "text_date"),
        ("Tag der offenen Tür", None, date(2025, 1, 5), "text_date"),
    ]


def test_a_lone_date_outside_a_listing_is_no_post() -> None:
    html = "<h1>Impressum</h1><p>Stand: 03.02.2024</p><p><a href='https://www.acme.de'>www.acme.de</a></p>"
    assert _posts(html, "https://www.acme.de/impressum") == []


def test_linked_teasers_with_time_elements_count_on_any_page() -> None:
    html = """<section><h2>Latest news</h2><article><a href="/blog/launch"><h3>We launched v2</h3></a>
      <time datetime="2025-01-15">Jan 15</time></article></section>"""
    assert _posts(html, "https://www.acme.de/") == [
        ("We launched v2", "https://www.acme.de/blog/launch", date(2025, 1, 15), "time_element")
    ]
