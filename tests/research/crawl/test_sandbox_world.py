"""Acceptance: the focused crawl over every company of the sandbox world."""

import asyncio
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from coldflow.research.crawl import PageKind, SiteCrawl, crawl_many
from coldflow.research.fetch import FetchSettings
from coldflow.sandbox.runner import RunningWorld, background_world

KINDS = ("about", "team", "contact", "imprint", "careers", "blog")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningWorld]:
    with background_world(tmp_path_factory.mktemp("sandbox-state")) as running:
        yield running


@pytest.fixture(scope="module")
def crawls(sandbox: RunningWorld) -> list[SiteCrawl]:
    endpoints = sandbox.endpoints
    http_port = endpoints["http"]["port"]
    settings = FetchSettings(
        nameserver=endpoints["dns"]["host"],
        nameserver_port=endpoints["dns"]["port"],
        allow_loopback=True,
        port_map={80: http_port, 443: http_port},
        default_scheme="http",
        per_host_delay=0.05,
        timeout=2.0,
    )
    domains = [company.domain for company in sandbox.world.companies]
    return asyncio.run(crawl_many(domains, settings))


def test_every_company_is_crawled_without_an_internal_error(
    sandbox: RunningWorld, crawls: list[SiteCrawl]
) -> None:
    assert len(crawls) == len(sandbox.world.companies)
    for crawl in crawls:
        assert crawl.home_url is not None, crawl.errors
        assert all(e.error != "internal error during crawl" for e in crawl.errors)


def test_each_wanted_page_is_found_where_the_truth_says_or_its_problem_reported(
    sandbox: RunningWorld, crawls: list[SiteCrawl]
) -> None:
    for company, crawl in zip(sandbox.world.companies, crawls, strict=True):
        for kind in KINDS:
            path = getattr(company.paths, kind)
            if path is None:
                continue
            fetched = {
                urlsplit(url).path
                for page in crawl.pages
                if page.kind == PageKind(kind)
                for url in (page.url, page.requested_url)
            }
            problems = [e.error for e in crawl.errors if e.kind == PageKind(kind)]
            assert path in fetched or problems, (company.domain, kind, path, fetched)


def test_pages_disallowed_by_robots_are_never_fetched(
    sandbox: RunningWorld, crawls: list[SiteCrawl]
) -> None:
    disallowing = [c for c in sandbox.world.companies if c.robots_disallow]
    assert disallowing
    for company, crawl in zip(sandbox.world.companies, crawls, strict=True):
        fetched = {urlsplit(url).path for p in crawl.pages for url in (p.url, p.requested_url)}
        assert not fetched & set(company.robots_disallow), company.domain
        for path in company.robots_disallow:
            if path == company.paths.team:
                blocked = [e for e in crawl.errors if e.error == "blocked by robots.txt"]
                assert [urlsplit(e.url).path for e in blocked] == [path], company.domain
