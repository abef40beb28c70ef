"""Company websites for the crawl tests, served by tests.research.fetch.local_network."""

from __future__ import annotations

import asyncio
import gzip

from aiohttp import web

from tests.research.fetch.local_network import Page, html_page


def nav(*links: tuple[str, str]) -> str:
    return "<nav>" + "".join(f'<a href="{href}">{text}</a>' for href, text in links) + "</nav>"


def redirect(location: str, status: int = 301):
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": location})

    return handler


def german_company(host: str) -> dict[str, Page]:
    """Team linked only from "Über uns", careers behind a redirect, a Latin-1 imprint, a
    sitemap that names the blog, and a robots.txt that keeps an internal area out."""

    async def imprint(request: web.Request) -> web.Response:
        body = html_page("<h1>Impressum</h1><p>Geschäftsführer: Jürgen Müßig</p>")
        return web.Response(
            body=body.encode("cp1252"), headers={"Content-Type": "text/html; charset=iso-8859-1"}
        )

    home = html_page(
        nav(
            ("/", "Startseite"),
            ("/ueber-uns/", "Über uns"),
            ("/leistungen", "Leistungen"),
            ("/karriere", "Karriere"),
            ("/kontakt", "Kontakt"),
            ("/impressum", "Impressum"),
            ("/datenschutz", "Datenschutz"),
            ("/intern/team", "Team intern"),
        )
        + "<h1>Nordwind Logistik</h1>"
    )
    return {
        "/": home,
        "/robots.txt": f"User-agent: *\nDisallow: /intern/\nSitemap: http://{host}/sitemap.xml\n",
        "/sitemap.xml": (
            f"<urlset><url><loc>http://{host}/</loc></url>"
            f"<url><loc>http://{host}/aktuelles/</loc></url></urlset>"
        ),
        "/ueber-uns/": html_page(nav(("/ueber-uns/team", "Unser Team")) + "<p>Seit 1987.</p>"),
        "/ueber-uns/team": html_page("<h2>Jana Richter</h2><p>Geschäftsführerin</p>"),
        "/karriere": redirect("/karriere/"),
        "/karriere/": redirect("/jobs"),
        "/jobs": html_page("<h1>Offene Stellen</h1><p>Disponent (m/w/d)</p>"),
        "/kontakt": html_page("<p>Tel. +49 421 123456</p>"),
        "/impressum": imprint,
        "/aktuelles/": html_page("<article>Neue Halle in Bremen</article>"),
        "/intern/team": html_page("secret"),
    }


def english_company(host: str) -> dict[str, Page]:
    """A robots.txt that disallows the team page."""
    home = html_page(
        nav(
            ("/about", "About"),
            ("/team", "Our Team"),
            ("/leadership", "Leadership"),
            ("/contact", "Contact us"),
            ("/careers", "Careers"),
            ("/blog/", "Blog"),
            ("/legal/imprint", "Imprint"),
        )
    )
    return {
        "/": home,
        "/robots.txt": "User-agent: *\nDisallow: /team\n",
        "/about": html_page("<p>Robots since 2011.</p>"),
        "/team": html_page("<p>Ada Lovelace, CTO</p>"),
        "/leadership": html_page("<p>Grace Hopper, CEO</p>"),
        "/contact": html_page("<p>hello@acme.example</p>"),
        "/careers": html_page("<p>Open roles</p>"),
        "/blog/": html_page("<p>Posts</p>"),
        "/legal/imprint": html_page("<p>Acme Robotics Ltd</p>"),
    }


def hostile_company(host: str) -> dict[str, Page]:
    """Every page a trap: loops, errors, a slow page, a gzip bomb, a huge page, broken HTML,
    and links into private address space."""

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text="late", content_type="text/html")

    bomb = gzip.compress(b" " * 20_000_000, compresslevel=9)

    async def gzip_bomb(request: web.Request) -> web.Response:
        return web.Response(
            body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
        )

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(40):
            await response.write(b"<div>" + b"A" * 100_000 + b"</div>")
        return response

    async def server_error(request: web.Request) -> web.Response:
        return web.Response(status=500, text="<h1>500</h1>", content_type="text/html")

    home = (
        "<html><head><title>Broken</title><body><div><table><tr><td>"
        '<a href="/about">About us<a href="/team">Team</td></div>'
        '<a href=/contact>Contact</a><a href="/impressum">Impressum'
        '<a href="/careers">Careers</a></b></i><a href="/blog">Blog</a>'
        '<a href="http://10.0.0.5/team">Team</a><a href="http://169.254.169.254/">About</a>'
        f'<a href="http://intranet.{host}/leadership">Leadership</a>'
        '<script>while(true){}</script><a href="javascript:alert(1)">News</a>'
        "<p>\x00\x01 stray bytes &#xD800; &bogus; <<<>>>"
    )
    return {
        "/": home,
        "/about": redirect("/about-us"),
        "/about-us": redirect("/about"),
        "/team": slow,
        "/contact": gzip_bomb,
        "/impressum": server_error,
        "/careers": huge,
    }


def javascript_only_company(host: str) -> dict[str, Page]:
    app = '<html><head><script src="/app.js"></script></head><body><div id="root"></div></body></html>'
    return {"/": app}


def conditional(page: str, etag: str):
    """A page that answers 304 to its own ETag and counts full responses."""

    async def handler(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(text=page, content_type="text/html", headers={"ETag": etag})

    return handler
