import asyncio

import pytest
from aiohttp import web

from coldflow.research.fetch import Fetcher
from coldflow.research.fetch.browser_rendering import rendering_unavailable
from tests.research.fetch.local_network import DnsServer, VirtualHosts, sandbox_settings

SINGLE_PAGE_APP = """<!doctype html><html><head><title>Acme</title>
<script src="/app.js" defer></script></head><body><div id="app"></div></body></html>"""
APP_JS = """document.getElementById("app").innerHTML =
  "<h1>Unser Team</h1><p>Jana Richter, Geschäftsführerin</p>";"""


async def app_js(request: web.Request) -> web.Response:
    return web.Response(text=APP_JS, content_type="application/javascript")


def test_rendering_says_why_it_is_unavailable(dns: DnsServer) -> None:
    dns.records["acme.example"] = ["127.0.0.1"]

    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("acme.example", {"/": SINGLE_PAGE_APP})
            settings = sandbox_settings(dns, hosts, chromium_path="/nonexistent/chromium")
            async with Fetcher(settings) as fetcher:
                result = await fetcher.render("http://acme.example/")
        assert result.error is not None
        assert result.error.startswith("javascript rendering unavailable: ")
        assert result.error.endswith(("not installed", "no Chromium at /nonexistent/chromium"))

    asyncio.run(scenario())


@pytest.mark.skipif(
    rendering_unavailable("/usr/bin/chromium") is not None,
    reason="needs the playwright package and Debian's Chromium at /usr/bin/chromium",
)
def test_it_renders_a_javascript_only_page_through_the_fetcher(dns: DnsServer) -> None:
    dns.records["acme.example"] = ["127.0.0.1"]

    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("acme.example", {"/": SINGLE_PAGE_APP, "/app.js": app_js})
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                result = await fetcher.render("http://acme.example/")
            assert result.ok, result.error
            assert "Jana Richter, Geschäftsführerin" in result.text
            # The browser's requests went through the fetcher (and so through the guard).
            assert len(hosts.hits_for("acme.example", "/app.js")) == 1

    asyncio.run(scenario())
