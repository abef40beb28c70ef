"""`coldflow discover` with a search provider that fails: the outcome in words, a non-zero exit,
never a silent "0 results"."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.discover.api_standins import GOOD_KEY, BraveStandIn, SearxngStandIn, StandIn


@contextmanager
def serving(stand_in: StandIn) -> Iterator[StandIn]:
    """The stand-in on its own event loop in a thread, for a `coldflow` subprocess to call."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(stand_in.__aenter__(), loop).result(10)
    try:
        yield stand_in
    finally:
        asyncio.run_coroutine_threadsafe(stand_in.__aexit__(None, None, None), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture
def installed(instance):
    done = instance.run("init")
    assert done.returncode == 0, done.stderr
    return instance


def discover(instance, provider: str, **env: str):
    return instance.run(
        "discover", "--text", "logistics companies in Hamburg", "--provider", provider, **env
    )


CASES = {
    "wrong key": (
        "brave",
        [],
        {"BRAVE_API_KEY": "wrong-key"},
        "auth_failed",
        "Brave Search rejected the API key",
    ),
    "quota used up": (
        "brave",
        ["quota"] * 40,
        {"BRAVE_API_KEY": GOOD_KEY},
        "quota_exhausted",
        "Brave Search's quota for this plan is used up",
    ),
    "no subscription": (
        "brave",
        ["no_subscription"] * 40,
        {"BRAVE_API_KEY": GOOD_KEY},
        "auth_failed",
        "found no subscription for this API key",
    ),
    "searxng json format off": (
        "searxng",
        ["json_disabled"] * 40,
        {},
        "misconfigured",
        "json",
    ),
}


@pytest.mark.parametrize(
    ("provider", "script", "env", "status", "words"), CASES.values(), ids=CASES.keys()
)
def test_a_failing_provider_is_reported_in_words_with_a_non_zero_exit(
    installed, provider: str, script: list[str], env: dict[str, str], status: str, words: str
) -> None:
    stand_in = (
        BraveStandIn(script=list(script))
        if provider == "brave"
        else SearxngStandIn(script=list(script))
    )
    with serving(stand_in):
        url_setting = "BRAVE_API_URL" if provider == "brave" else "SEARXNG_URL"
        result = discover(installed, provider, **{url_setting: stand_in.url, **env})

    assert stand_in.requests, "the provider was never asked"
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"! {status}: " in result.stdout
    assert words in result.stdout
    assert result.stderr.startswith(f"coldflow: error: search provider {provider}: ")
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_working_provider_with_the_same_setup_exits_zero(installed) -> None:
    with serving(BraveStandIn()) as stand_in:
        result = discover(installed, "brave", BRAVE_API_URL=stand_in.url, BRAVE_API_KEY=GOOD_KEY)

    assert result.returncode == 0, result.stderr
    assert "nordvex-logistik.de" in result.stdout
    assert "! " not in result.stdout
