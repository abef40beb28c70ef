"""The sites server: every company reached by name through the sandbox DNS, with redirects,
errors, caching validators, compression and slow responses behaving like real servers."""

from __future__ import annotations

import asyncio
import gzip
import http.client
import threading
import time
from collections.abc import Iterator

import pytest

from coldflow.sandbox.runner import RunningWorld
from coldflow.sandbox.sites import SitesServer, host_of
from coldflow.sandbox.world.model import Page, Site


def test_a_company_home_page_is_served_through_the_sandbox_dns(
    sandbox: RunningWorld, fetch
) -> None:
    company = next(c for c in sandbox.world.companies if not c.hostile)
    response = fetch(company.host, "/")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    text = response.body.decode(company.encoding)
    assert company.description.split(" – ")[-1][:30] in text or company.city in text
    assert sandbox.sites.requests[(company.host, "/")] >= 1


def test_the_alias_host_redirects_to_the_canonical_host(sandbox: RunningWorld, fetch) -> None:
    company = sandbox.world.companies[0]
    alias = company.domain if company.host != company.domain else f"www.{company.domain}"
    response = fetch(alias, "/team?x=1")
    assert response.status == 301
    assert response.headers["Location"] == f"http://{company.host}/team?x=1"


def test_an_unknown_path_gets_the_site_404_page(sandbox: RunningWorld, fetch) -> None:
    company = sandbox.world.companies[1]
    response = fetch(company.host, "/no-such-page")
    assert response.status == 404
    assert company.name.split("<")[0].encode() in response.body


def test_an_unknown_host_gets_a_404(sandbox: RunningWorld) -> None:
    port = sandbox.endpoints["http"]["port"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/", headers={"Host": "unknown.example"})
    assert connection.getresponse().status == 404
    connection.close()


def test_robots_txt_disallows_the_team_page_where_the_truth_says_so(
    sandbox: RunningWorld, fetch
) -> None:
    company = next(c for c in sandbox.world.companies if c.paths.team in c.robots_disallow)
    robots = fetch(company.host, "/robots.txt").body.decode()
    assert f"Disallow: {company.paths.team}\n" in robots
    assert f"Sitemap: http://{company.host}/" in robots


def test_the_redirect_chain_takes_three_hops_to_the_home_page(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if "redirect_chain" in c.hostile)
    path, hops = "/", 0
    response = fetch(company.host, path)
    while response.status in (301, 302):
        hops += 1
        path = response.headers["Location"].removeprefix(f"http://{company.host}")
        response = fetch(company.host, path)
    assert (hops, response.status) == (3, 200)


def test_the_redirect_loop_never_ends(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if "redirect_loop" in c.hostile)
    seen, path = [], company.paths.careers
    for _ in range(4):
        response = fetch(company.host, path)
        assert response.status == 302
        seen.append(path)
        path = response.headers["Location"].removeprefix(f"http://{company.host}")
    assert seen[0] == seen[2] and seen[1] == seen[3]


def test_the_server_error_page_answers_500(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if "server_error" in c.hostile)
    assert fetch(company.host, company.paths.blog).status == 500


def test_the_latin1_site_declares_its_charset_in_the_header(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if "latin1_header" in c.hostile)
    response = fetch(company.host, company.paths.about)
    assert response.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")


def test_the_undeclared_site_sends_no_charset(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if "undeclared_encoding" in c.hostile)
    response = fetch(company.host, "/")
    assert response.headers["Content-Type"] == "text/html"


def test_the_huge_page_is_five_megabytes(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if "huge_page" in c.hostile)
    response = fetch(company.host, "/products")
    assert len(response.body) >= 5 * 1024 * 1024


def test_etags_answer_304_to_a_matching_conditional_request(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if c.caching in ("etag", "both"))
    first = fetch(company.host, company.paths.contact)
    etag = first.headers["ETag"]
    again = fetch(company.host, company.paths.contact, {"If-None-Match": etag})
    assert (again.status, again.body) == (304, b"")
    changed = fetch(company.host, company.paths.contact, {"If-None-Match": '"other"'})
    assert changed.status == 200


def test_last_modified_answers_304_when_nothing_changed_since(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if c.caching == "last_modified")
    first = fetch(company.host, company.paths.about)
    assert "ETag" not in first.headers
    since = first.headers["Last-Modified"]
    assert fetch(company.host, company.paths.about, {"If-Modified-Since": since}).status == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert fetch(company.host, company.paths.about, {"If-Modified-Since": old}).status == 200


def test_sites_without_validators_always_send_the_page(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if c.caching == "none")
    response = fetch(company.host, "/", {"If-Modified-Since": "Mon, 01 Jan 2035 00:00:00 GMT"})
    assert response.status == 200 and "ETag" not in response.headers


def test_pages_are_gzipped_when_the_client_asks(sandbox: RunningWorld, fetch) -> None:
    company = next(c for c in sandbox.world.companies if not c.hostile)
    plain = fetch(company.host, company.paths.team)
    zipped = fetch(company.host, company.paths.team, {"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == plain.body


def test_head_and_post_requests(sandbox: RunningWorld, fetch) -> None:
    company = sandbox.world.companies[2]
    head = fetch(company.host, "/robots.txt", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert fetch(company.host, company.paths.contact, method="POST").status == 405


def test_host_headers_are_normalised() -> None:
    assert host_of("Example.COM:8080") == "example.com"
    assert host_of("example.com.") == "example.com"
    assert host_of("[::1]:80") == "::1"


@pytest.fixture
def timing_server() -> Iterator[SitesServer]:
    """A sites server of its own with short delays, so timing tests stay fast."""
    body = b"<html><body>" + b"x" * 6000 + b"</body></html>"
    site = Site(
        "slow.test",
        {
            "/late": Page(200, body, "text/html", delay_seconds=0.4),
            "/drip": Page(200, body, "text/html", drip_seconds=0.6),
        },
    )
    server = SitesServer({"slow.test": site})
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result()
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result()
    loop.call_soon_threadsafe(loop.stop)
    thread.join()
    loop.close()


def test_a_delayed_page_answers_late_and_a_dripping_page_sends_its_body_slowly(
    timing_server: SitesServer,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", timing_server.port, timeout=5)
    started = time.monotonic()
    connection.request("GET", "/late", headers={"Host": "slow.test"})
    response = connection.getresponse()
    assert time.monotonic() - started >= 0.35
    response.read()

    started = time.monotonic()
    connection.request("GET", "/drip", headers={"Host": "slow.test"})
    response = connection.getresponse()
    headers_after = time.monotonic() - started
    body = response.read()
    assert headers_after < 0.3
    assert time.monotonic() - started >= 0.5
    assert body.endswith(b"</body></html>")
    connection.close()
