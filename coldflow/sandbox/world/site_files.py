"""robots.txt and sitemaps, including the WordPress-style sitemap index."""

from __future__ import annotations

import random
from datetime import date
from html import escape

from coldflow.sandbox.world.model import Company, Page

_XML = "application/xml; charset=utf-8"


def robots_txt(company: Company, rng: random.Random, sitemap_path: str) -> Page:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in company.robots_disallow] or ["Disallow:"]
    if rng.random() < 0.2:
        # AI crawler blocks are common now; they must not stop a generic crawler.
        lines += ["", "User-agent: GPTBot", "Disallow: /"]
    lines += ["", f"Sitemap: {company.url(sitemap_path)}", ""]
    return Page(200, "\n".join(lines).encode(), "text/plain; charset=utf-8")


def _urlset(entries: list[tuple[str, date]]) -> bytes:
    urls = "".join(
        f"<url><loc>{escape(url)}</loc><lastmod>{lastmod.isoformat()}</lastmod></url>\n"
        for url, lastmod in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    ).encode()


def sitemaps(
    company: Company, pages: list[tuple[str, date]], posts: list[tuple[str, date]]
) -> tuple[str, dict[str, Page]]:
    """(the sitemap path robots.txt names, the sitemap files by path)."""
    if "WordPress" not in company.technologies:
        return "/sitemap.xml", {"/sitemap.xml": Page(200, _urlset(pages + posts), _XML)}
    newest = max(d for _, d in pages + posts)
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<sitemap><loc>{company.url('/page-sitemap.xml')}</loc>"
        f"<lastmod>{newest.isoformat()}</lastmod></sitemap>\n"
        f"<sitemap><loc>{company.url('/post-sitemap.xml')}</loc>"
        f"<lastmod>{newest.isoformat()}</lastmod></sitemap>\n"
        "</sitemapindex>\n"
    ).encode()
    return "/sitemap_index.xml", {
        "/sitemap_index.xml": Page(200, index, _XML),
        "/page-sitemap.xml": Page(200, _urlset(pages), _XML),
        "/post-sitemap.xml": Page(200, _urlset(posts), _XML),
        # Yoast redirects the conventional name to its index.
        "/sitemap.xml": Page(
            301, b"", "text/html", (("Location", company.url("/sitemap_index.xml")),)
        ),
    }
