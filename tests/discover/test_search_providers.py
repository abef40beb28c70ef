"""What every API provider must do, each against its own local stand-in: results in order,
and every kind of failure reported as what it is, never as zero results."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from coldflow.discover.providers import SearchOutcome, SearchProvider
from coldflow.discover.providers.brave import BraveProvider
from coldflow.discover.providers.searxng import SearxngProvider
from coldflow.discover.providers.serper import SerperProvider
from coldflow.discover.providers.tavily import TavilyProvider
from coldflow.discover.providers.transport import RetryPolicy
from tests.discover.api_standins import (
    GOOD_KEY,
    BraveStandIn,
    SearxngStandIn,
    SerperStandIn,
    StandIn,
    TavilyStandIn,
    search_corpus,
)
from tests.foundation.ports import free_port

FAST = RetryPolicy(timeout=5, attempts=3, backoff=0.01, max_wait=5)


@dataclass(frozen=True)
class Api:
    name: str
    standin: type[StandIn]
    make: Callable[[str, str, RetryPolicy], SearchProvider]
    key_setting: str

    def __str__(self) -> str:
        return self.name


APIS = [
    Api("searxng", SearxngStandIn, lambda url, key, policy: SearxngProvider(url, policy=policy), "SEARXNG_URL"),
    Api("brave", BraveStandIn, lambda url, key, policy: BraveProvider(key, url=url, policy=policy), "BRAVE_API_KEY"),
    Api("serper", SerperStandIn, lambda url, key, policy: SerperProvider(key, url=url, policy=policy), "SERPER_API_KEY"),
    Api("tavily", TavilyStandIn, lambda url, key, policy: TavilyProvider(key, url=url, policy=policy), "TAVILY_API_KEY"),
]  # fmt: skip
KEYED = [api for api in APIS if api.name != "searxng"]


def run_search(
    api: Api,
    *,
    script: tuple[str, ...] = (),
    key: str = GOOD_KEY,
    policy: RetryPolicy = FAST,
    query: str = "Logistik Hamburg",
) -> tuple[SearchOutcome, StandIn]:
    async def go() -> tuple[SearchOutcome, StandIn]:
        async with (
            api.standin(list(script)) as server,
            api.make(server.url, key, policy) as provider,
        ):
            return await provider.search(query), server

    return asyncio.run(go())


@pytest.mark.parametrize("api", APIS, ids=str)
def test_it_returns_the_results_in_order_as_clean_text(api: Api) -> None:
    outcome, server = run_search(api)

    assert outcome.status == "ok"
    assert outcome.provider == api.name
    assert [r.url for r in outcome.results] == [d.url for d in search_corpus("Logistik Hamburg")]
    first = outcome.results[0]
    assert first.title == "Nordvex Logistik – Logistik in Hamburg"
    assert first.snippet == "Spedition und Lagerlogistik aus Hamburg & Bremen."
    assert [r.position for r in outcome.results] == list(range(1, len(outcome.results) + 1))
    assert outcome.attempts == 1 and len(server.requests) == 1


@pytest.mark.parametrize("api", KEYED, ids=str)
def test_a_wrong_key_is_an_auth_failure_that_names_the_setting_and_is_not_retried(
    api: Api,
) -> None:
    outcome, server = run_search(api, key="wrong-key")

    assert outcome.status == "auth_failed"
    assert api.key_setting in outcome.message
    assert outcome.results == ()
    assert len(server.requests) == 1


@pytest.mark.parametrize("api", APIS, ids=str)
def test_it_waits_as_long_as_the_api_asks_after_a_rate_limit_and_then_succeeds(api: Api) -> None:
    outcome, server = run_search(api, script=("rate_limited",))

    assert outcome.status == "ok" and outcome.results
    assert outcome.attempts == 2
    first, second = server.requests
    assert second.at - first.at >= 0.95


@pytest.mark.parametrize("api", APIS, ids=str)
def test_a_rate_limit_longer_than_it_may_wait_is_reported_with_the_time_to_retry(
    api: Api,
) -> None:
    impatient = RetryPolicy(timeout=5, attempts=3, backoff=0.01, max_wait=0.5)

    outcome, server = run_search(api, script=("rate_limited",), policy=impatient)

    assert outcome.status == "rate_limited"
    assert outcome.retry_after == 1
    assert outcome.message
    assert len(server.requests) == 1


@pytest.mark.parametrize("api", APIS, ids=str)
def test_server_errors_are_retried_and_then_reported_as_unavailable(api: Api) -> None:
    outcome, server = run_search(api, script=("server_error",) * 3)

    assert outcome.status == "unavailable"
    assert "503" in outcome.message
    assert outcome.attempts == 3 and len(server.requests) == 3


@pytest.mark.parametrize("api", APIS, ids=str)
def test_a_passing_server_error_is_retried_away(api: Api) -> None:
    outcome, server = run_search(api, script=("server_error",))

    assert outcome.status == "ok" and outcome.results
    assert len(server.requests) == 2


@pytest.mark.parametrize("api", APIS, ids=str)
def test_a_malformed_answer_is_a_failure_and_not_zero_results(api: Api) -> None:
    outcome, _ = run_search(api, script=("malformed",))

    assert outcome.status == "failed"
    assert "not JSON" in outcome.message


@pytest.mark.parametrize("api", APIS, ids=str)
def test_an_api_that_does_not_answer_in_time_is_unavailable(api: Api) -> None:
    hurried = RetryPolicy(timeout=0.2, attempts=2, backoff=0.01)

    started = time.monotonic()
    outcome, server = run_search(api, script=("slow", "slow"), policy=hurried)

    assert outcome.status == "unavailable"
    assert "0.2 s" in outcome.message
    assert len(server.requests) == 2
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("api", APIS, ids=str)
def test_an_api_nobody_listens_for_is_unavailable(api: Api) -> None:
    url = f"http://127.0.0.1:{free_port()}{api.standin.path}"

    async def go() -> SearchOutcome:
        async with api.make(url, GOOD_KEY, RetryPolicy(attempts=2, backoff=0.01)) as provider:
            return await provider.search("Logistik Hamburg")

    outcome = asyncio.run(go())

    assert outcome.status == "unavailable"
    assert "could not connect" in outcome.message
    assert outcome.attempts == 2


@pytest.mark.parametrize("api", APIS, ids=str)
def test_an_answer_larger_than_the_limit_is_refused(api: Api) -> None:
    tiny = RetryPolicy(timeout=5, attempts=3, backoff=0.01, max_bytes=200)

    outcome, server = run_search(api, policy=tiny)

    assert outcome.status == "failed"
    assert "larger than" in outcome.message
    assert len(server.requests) == 1
