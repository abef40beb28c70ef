"""The search engine answers like SearXNG's JSON API, ranks the right companies first, mixes in
noise, and fails on demand."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest

from coldflow.sandbox.runner import RunningWorld
from coldflow.sandbox.search import parse_query, tokens
from coldflow.sandbox.world.industries import BY_KEY


def get(sandbox: RunningWorld, **params: str) -> tuple[int, bytes]:
    url = f"{sandbox.endpoints['search']['url']}/search?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def control(sandbox: RunningWorld, body: dict) -> dict:
    request = urllib.request.Request(
        f"{sandbox.endpoints['search']['url']}/_control",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def busiest_group(sandbox: RunningWorld) -> tuple[str, str]:
    groups = Counter((c.industry, c.city) for c in sandbox.world.companies)
    return groups.most_common(1)[0][0]


@pytest.mark.parametrize("language", ["en", "de"])
def test_an_industry_and_location_query_puts_the_matching_companies_first(
    sandbox: RunningWorld, language: str
) -> None:
    industry, city = busiest_group(sandbox)
    label = BY_KEY[industry].label_en if language == "en" else BY_KEY[industry].label_de
    status, body = get(sandbox, q=f"{label} companies in {city}", format="json")
    assert status == 200
    answer = json.loads(body)
    matching = {
        c.url("/") for c in sandbox.world.companies if (c.industry, c.city) == (industry, city)
    }
    urls = [r["url"] for r in answer["results"]]
    assert set(urls[: len(matching)]) == matching
    noise_urls = {n.url for n in sandbox.world.noise}
    assert any(url in noise_urls for url in urls), "noise results are missing"
    assert answer["number_of_results"] >= len(urls)


def test_results_have_the_searxng_shape(sandbox: RunningWorld) -> None:
    company = sandbox.world.companies[0]
    answer = json.loads(get(sandbox, q=company.city, format="json")[1])
    assert set(answer) >= {
        "query",
        "number_of_results",
        "results",
        "answers",
        "suggestions",
        "unresponsive_engines",
    }
    result = answer["results"][0]
    assert set(result) >= {"url", "title", "content", "engine", "engines", "score", "category"}
    assert result["engine"] in result["engines"]
    scores = [r["score"] for r in answer["results"]]
    assert scores == sorted(scores, reverse=True)


def test_results_page_through_with_pageno(sandbox: RunningWorld) -> None:
    first = json.loads(get(sandbox, q="GmbH Hamburg Berlin", format="json")[1])["results"]
    second = json.loads(get(sandbox, q="GmbH Hamburg Berlin", format="json", pageno="2")[1])
    assert len(first) == 10
    assert not {r["url"] for r in first} & {r["url"] for r in second["results"]}


def test_the_language_parameter_keeps_results_in_that_language(sandbox: RunningWorld) -> None:
    german = {c.url("/") for c in sandbox.world.companies if c.language == "de"}
    english = {c.url("/") for c in sandbox.world.companies if c.language == "en"}
    answer = json.loads(get(sandbox, q="software", format="json", language="de-DE")[1])
    urls = {r["url"] for r in answer["results"]}
    assert urls & german and not urls & english


def test_formats_other_than_json_are_forbidden(sandbox: RunningWorld) -> None:
    assert get(sandbox, q="logistics")[0] == 403
    assert get(sandbox, q="logistics", format="html")[0] == 403
    assert get(sandbox, q="logistics", format="rss")[0] == 403


def test_an_empty_query_is_a_bad_request(sandbox: RunningWorld) -> None:
    assert get(sandbox, q=" ", format="json")[0] == 400


def test_post_works_like_get(sandbox: RunningWorld) -> None:
    data = urllib.parse.urlencode({"q": "Hamburg", "format": "json"}).encode()
    url = f"{sandbox.endpoints['search']['url']}/search"
    with urllib.request.urlopen(url, data=data, timeout=5) as response:
        posted = json.load(response)
    assert posted["results"] == json.loads(get(sandbox, q="Hamburg", format="json")[1])["results"]


def test_the_control_endpoint_makes_the_next_requests_fail(sandbox: RunningWorld) -> None:
    control(sandbox, {"fail_next": 2, "status": 429})
    try:
        assert get(sandbox, q="Hamburg", format="json")[0] == 429
        assert get(sandbox, q="Hamburg", format="json")[0] == 429
        assert get(sandbox, q="Hamburg", format="json")[0] == 200
        control(sandbox, {"fail_next": 5, "status": 503})
        assert get(sandbox, q="Hamburg", format="json")[0] == 503
    finally:
        state = control(sandbox, {"reset": True})
    assert state["fail_next"] == 0
    assert get(sandbox, q="Hamburg", format="json")[0] == 200


def test_a_query_parameter_fails_one_request(sandbox: RunningWorld) -> None:
    assert get(sandbox, q="Hamburg", format="json", _fail="403")[0] == 403
    assert get(sandbox, q="Hamburg", format="json")[0] == 200


def test_the_control_endpoint_records_the_queries(sandbox: RunningWorld) -> None:
    get(sandbox, q="a very particular query", format="json")
    url = f"{sandbox.endpoints['search']['url']}/_control"
    with urllib.request.urlopen(url, timeout=5) as response:
        queries = [q["q"] for q in json.load(response)["queries"]]
    assert "a very particular query" in queries


def test_site_and_exclusion_operators_filter_results(sandbox: RunningWorld) -> None:
    answer = json.loads(get(sandbox, q="Hamburg site:linkedin.com", format="json")[1])
    assert answer["results"]
    assert all("linkedin.com" in r["url"] for r in answer["results"])
    plain = json.loads(get(sandbox, q="Hamburg", format="json")[1])["number_of_results"]
    fewer = json.loads(get(sandbox, q="Hamburg -linkedin", format="json")[1])
    assert fewer["number_of_results"] < plain


def test_tokens_fold_accents_and_plurals() -> None:
    assert tokens("München Logistics") == ["munchen", "logistic"]
    assert parse_query('"dental clinics" in Köln -jobs site:example.de') == parse_query(
        "dental clinic Koln -job site:example.de"
    )
