"""Rendering JavaScript-only pages in Debian's Chromium: a sandbox company's team page turned
into a single-page app is found only when rendered, and the page still cannot reach what the
SSRF guard refuses, nor run for ever."""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import urlsplit

import pytest
from aiohttp import web

from coldflow.research.crawl import crawl_site
from coldflow.research.extract import extract_page
from coldflow.research.fetch import Fetcher
from coldflow.research.fetch.browser_rendering import rendering_unavailable
from coldflow.research.site_research import research_from_crawl
from tests.research.fetch.local_network import DnsServer, VirtualHosts, sandbox_settings

pytestmark = pytest.mark.skipif(
    rendering_unavailable("/usr/bin/chromium") is not None,
    reason="needs the playwright package and Debian's Chromium at /usr/bin/chromium "
    "(apt-get install chromium)",
)

HOST = "spa-team.example"
SHELL = (
    "<!doctype html><html><head><title>Team</title>"
    '<script src="/static/app.js" defer></script></head>'
    '<body><div id="root">Loading…</div></body></html>'
)
# The team arrives as data after the page has loaded: nothing in the HTML or the script names
# anyone, so no static reading can find them.
APP_JS = """
fetch("/api/team.json").then(function (r) { return r.json(); }).then(function (data) {
  document.getElementById("root").innerHTML = data.html;
});
"""


def respond(text: str, content_type: str):
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=text, content_type=content_type)

    return handler


def sandbox_team(world):
    """A sandbox company's team page (its body) and a person published on it in plain sight."""
    for company in world.companies:
        site = world.sites[company.host]
        page = site.pages.get(company.paths.team)
        people = [
            p
            for p in company.people
            if p.published_on
            and urlsplit(p.published_on).path == company.paths.team
            and p.disguise in ("mailto", "plain")
        ]
        if page is None or not people or company.hostile or company.encoding != "utf-8":
            continue
        html = page.body.decode("utf-8")
        body = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
        if body and people[0].address in html:
            return body.group(1), people[0]
    raise AssertionError("no sandbox company publishes an address on its team page")


def test_a_sandbox_team_page_made_javascript_only_is_read_only_when_rendered(
    dns: DnsServer, world
) -> None:
    team_html, person = sandbox_team(world)
    dns.records[HOST] = ["127.0.0.1"]

    async def scenario():
        async with VirtualHosts() as hosts:
            hosts.add_site(
                HOST,
                {
                    "/": SHELL,
                    "/static/app.js": respond(APP_JS, "application/javascript"),
                    "/api/team.json": respond(json.dumps({"html": team_html}), "application/json"),
                },
            )
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                static = await fetcher.get(f"http://{HOST}/")
            settings = sandbox_settings(dns, hosts, render_javascript=True, timeout=5.0)
            async with Fetcher(settings) as fetcher:
                crawl = await crawl_site(fetcher, HOST, budget=1)
            return static, crawl

    static, crawl = asyncio.run(scenario())

    assert static.ok
    static_emails = {e.address for e in extract_page(static.text.encode(), static.url).emails}
    assert person.address not in static_emails
    assert crawl.pages[0].rendered, crawl.errors
    research = research_from_crawl(crawl)
    assert person.address in {e.address for e in research.emails}
    assert person.name.full in {p.name for p in research.people}


GUARDED_PAGE = """<!doctype html><html><head><title>Probe</title></head><body>
<ul id="out"></ul>
<script>
function note(name, outcome) {
  var li = document.createElement("li"); li.id = name; li.textContent = name + ": " + outcome;
  document.getElementById("out").appendChild(li);
}
[["private", "http://10.0.0.1/admin"],
 ["metadata", "http://169.254.169.254/latest/meta-data/"],
 ["intranet", "http://intranet.%(host)s/"],
 ["same-site", "/data.txt"]].forEach(function (probe) {
  fetch(probe[1]).then(function (r) { return r.text(); })
    .then(function (t) { note(probe[0], "answered " + t); },
          function () { note(probe[0], "blocked"); });
});
var socket = new WebSocket("ws://127.0.0.1:%(listener)d/");
socket.onopen = function () { note("socket", "open"); };
socket.onclose = function () { note("socket", "closed"); };
</script></body></html>"""


def test_requests_from_the_rendered_page_go_through_the_guard(dns: DnsServer) -> None:
    dns.records[HOST] = ["127.0.0.1"]
    dns.records[f"intranet.{HOST}"] = ["10.0.0.1"]

    async def scenario():
        connections = []

        async def accept(reader, writer):
            connections.append(writer.get_extra_info("peername"))
            writer.close()

        listener = await asyncio.start_server(accept, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        async with VirtualHosts() as hosts:
            page = GUARDED_PAGE % {"host": HOST, "listener": port}
            hosts.add_site(HOST, {"/": page, "/data.txt": respond("hello", "text/plain")})
            async with Fetcher(sandbox_settings(dns, hosts, timeout=5.0)) as fetcher:
                result = await fetcher.render(f"http://{HOST}/")
        listener.close()
        return result, connections

    result, connections = asyncio.run(scenario())

    assert result.ok, result.error
    for probe in ("private", "metadata", "intranet"):
        assert f"{probe}: blocked" in result.text
    assert "same-site: answered hello" in result.text
    assert "socket: closed" in result.text
    assert connections == []


def test_a_page_whose_script_never_yields_is_abandoned_in_bounded_time(dns: DnsServer) -> None:
    dns.records[HOST] = ["127.0.0.1"]
    spinning = "<html><body><script>setTimeout(function(){for(;;){}}, 10);</script></body></html>"

    async def scenario():
        async with VirtualHosts() as hosts:
            hosts.add_site(HOST, {"/": spinning, "/ok": SHELL})
            async with Fetcher(sandbox_settings(dns, hosts, timeout=1.0)) as fetcher:
                loop = asyncio.get_running_loop()
                started = loop.time()
                stuck = await fetcher.render(f"http://{HOST}/")
                took = loop.time() - started
                after = await fetcher.render(f"http://{HOST}/ok")
            return stuck, took, after

    stuck, took, after = asyncio.run(scenario())

    assert stuck.error is not None and "javascript rendering" in stuck.error
    assert took < 15
    # The next page gets a working browser.
    assert after.ok, after.error
