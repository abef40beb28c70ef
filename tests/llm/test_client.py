"""The LLM client against the local OpenAI-compatible stand-in: logging, cache, retries,
Retry-After, timeouts, malformed answers, wrong keys and the budget."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection

from coldflow.config.loader import load_settings
from coldflow.llm.client import (
    MAX_RETRY_WAIT,
    LlmAuthError,
    LlmBudgetExhausted,
    LlmClient,
    LlmNotConfigured,
    LlmRequestRefused,
    LlmSettings,
    LlmUnavailable,
)
from coldflow.llm.models import LlmCall
from coldflow.sandbox.llm_server import LlmStandIn

pytestmark = pytest.mark.django_db

QUESTION = [{"role": "user", "content": "Name one colour."}]


@pytest.fixture
def llm():
    with LlmStandIn(api_key="sk-test", slow_seconds=2.0, retry_after=1) as server:
        yield server


@pytest.fixture
def settings(llm) -> LlmSettings:
    return LlmSettings(base_url=llm.base_url, model="standin-1", api_key="sk-test", timeout=5)


class Waits:
    """Records the waits between attempts instead of sleeping through them."""

    def __init__(self):
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def calls() -> list[tuple[str, str]]:
    return [(c.status, c.error) for c in LlmCall.objects.order_by("id")]


def test_an_answer_is_logged_with_tokens_cost_and_latency(llm, settings):
    priced = replace(settings, price_input_per_1k=0.5, price_output_per_1k=2.0)
    answer = LlmClient(priced).chat(QUESTION, purpose="test")
    assert answer.text == "Noted: Name one colour." and not answer.cached
    (call,) = LlmCall.objects.all()
    assert (call.status, call.purpose, call.model) == ("ok", "test", "standin-1")
    assert call.prompt_tokens > 0 and call.completion_tokens > 0
    expected = (Decimal("0.5") * call.prompt_tokens + 2 * call.completion_tokens) / 1000
    assert call.cost_usd == expected.quantize(Decimal("0.000001")) == answer.cost_usd
    assert call.latency_ms >= 0 and call.response_text == answer.text
    assert llm.requests[0].authorization == "Bearer sk-test"
    assert llm.requests[0].body["model"] == "standin-1"
    assert llm.requests[0].body["messages"] == QUESTION


def test_the_same_input_is_answered_from_the_cache_without_an_http_call(llm, settings):
    client = LlmClient(settings)
    first = client.chat(QUESTION, purpose="test")
    second = client.chat(QUESTION, purpose="test")
    assert len(llm.requests) == 1
    assert second.cached and second.text == first.text and second.call_id == first.call_id
    other = client.chat([{"role": "user", "content": "Name two colours."}], purpose="test")
    assert not other.cached and len(llm.requests) == 2


def test_a_rejected_answer_is_no_longer_served_from_the_cache(llm, settings):
    client = LlmClient(settings)
    first = client.chat(QUESTION, purpose="test")
    client.reject(first, "cited a fact it was not given")
    again = client.chat(QUESTION, purpose="test")
    assert not again.cached and len(llm.requests) == 2
    assert calls() == [("rejected", "cited a fact it was not given"), ("ok", "")]


def test_a_429_is_retried_after_the_wait_its_retry_after_asks_for(llm, settings):
    llm.script("429")
    waits = Waits()
    answer = LlmClient(settings, sleep=waits).chat(QUESTION, purpose="test")
    assert answer.text.startswith("Noted")
    assert waits.seconds == [1.0]
    assert [status for status, _ in calls()] == ["failed", "ok"]
    assert "rate-limited (429)" in calls()[0][1]


def test_a_429_really_waits_out_retry_after(llm, settings):
    llm.script("429")
    started = time.monotonic()
    LlmClient(settings).chat(QUESTION, purpose="test")
    assert time.monotonic() - started >= 1.0
    assert len(llm.requests) == 2


def test_a_wait_longer_than_sensible_fails_at_once(llm, settings):
    llm.retry_after = int(MAX_RETRY_WAIT) + 600
    llm.script("429")
    waits = Waits()
    with pytest.raises(LlmUnavailable, match=r"asked to wait \d+ s"):
        LlmClient(settings, sleep=waits).chat(QUESTION, purpose="test")
    assert waits.seconds == [] and len(llm.requests) == 1


def test_server_errors_are_retried_with_backoff_within_the_attempts(llm, settings):
    llm.script("500", "503")
    waits = Waits()
    answer = LlmClient(settings, sleep=waits).chat(QUESTION, purpose="test")
    assert answer.text.startswith("Noted") and len(llm.requests) == 3
    assert len(waits.seconds) == 2 and 0 < waits.seconds[0] < waits.seconds[1] <= 8
    assert [status for status, _ in calls()] == ["failed", "failed", "ok"]


def test_too_many_server_errors_give_a_plain_error_naming_the_last_failure(llm, settings):
    llm.script("500", "500", "500", "500")
    with pytest.raises(LlmUnavailable) as caught:
        LlmClient(settings, sleep=Waits()).chat(QUESTION, purpose="test")
    assert "failed 3 time(s)" in str(caught.value) and "server error (500)" in str(caught.value)
    assert len(llm.requests) == 3 and LlmCall.objects.filter(status="failed").count() == 3


def test_a_timeout_is_logged_and_retried(llm, settings):
    llm.script("timeout")
    quick = replace(settings, timeout=0.5)
    answer = LlmClient(quick, sleep=Waits()).chat(QUESTION, purpose="test")
    assert answer.text.startswith("Noted")
    assert calls()[0] == ("failed", "no answer within 0.5 s")
    assert LlmCall.objects.get(status="failed").latency_ms >= 500


def test_malformed_json_is_a_failed_attempt_and_retried(llm, settings):
    llm.script("malformed")
    answer = LlmClient(settings, sleep=Waits()).chat(QUESTION, purpose="test")
    assert answer.text.startswith("Noted")
    assert calls()[0][0] == "failed" and calls()[0][1].startswith("malformed answer")


def test_a_wrong_key_is_a_plain_error_and_not_retried(llm, settings):
    client = LlmClient(replace(settings, api_key="sk-wrong"), sleep=Waits())
    with pytest.raises(LlmAuthError, match=r"refused the API key \(401\): check LLM_API_KEY"):
        client.chat(QUESTION, purpose="test")
    assert len(llm.requests) == 1


def test_an_unknown_route_or_model_is_refused_without_retries(llm, settings):
    client = LlmClient(replace(settings, base_url=llm.base_url + "/nope"), sleep=Waits())
    with pytest.raises(LlmRequestRefused, match=r"\(404\)"):
        client.chat(QUESTION, purpose="test")
    assert len(llm.requests) == 1


def test_a_spent_budget_stops_calls_before_any_http_request(llm, settings):
    LlmCall.objects.create(
        purpose="earlier", model="m", input_hash="x" * 64, status="ok", cost_usd=Decimal("2.5")
    )
    client = LlmClient(replace(settings, budget_usd=2.5))
    with pytest.raises(LlmBudgetExhausted, match=r"\$2\.50 for this month is spent"):
        client.chat(QUESTION, purpose="test")
    assert llm.requests == []
    assert LlmClient(replace(settings, budget_usd=0)).chat(QUESTION, purpose="test").text


def test_the_budget_counts_the_costs_of_the_calls_it_makes(llm, settings):
    # Each answer costs about $0.01 at these prices; the budget allows a few.
    priced = replace(settings, price_input_per_1k=0.5, price_output_per_1k=0.5, budget_usd=0.05)
    client = LlmClient(priced)
    with pytest.raises(LlmBudgetExhausted):
        for n in range(100):
            client.chat([{"role": "user", "content": f"Question {n} " + "x" * 80}], purpose="t")
    made = len(llm.requests)
    assert 2 <= made < 100
    spent = sum(c.cost_usd for c in LlmCall.objects.all())
    assert spent >= Decimal("0.05") and spent - LlmCall.objects.last().cost_usd < Decimal("0.05")


def test_cached_answers_cost_nothing_more(llm, settings):
    priced = replace(settings, price_input_per_1k=1.0, price_output_per_1k=1.0)
    client = LlmClient(priced)
    client.chat(QUESTION, purpose="test")
    client.chat(QUESTION, purpose="test")
    assert LlmCall.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrency_is_bounded_per_endpoint(llm, settings):
    llm.slow_seconds = 0.3
    llm.script(*["timeout"] * 6)  # slow answers, well within the timeout
    client = LlmClient(replace(settings, concurrency=2, timeout=10))
    errors: list[Exception] = []

    def ask(n: int) -> None:
        try:
            client.chat([{"role": "user", "content": f"q{n}"}], purpose="test")
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own; PostgreSQL must see it go

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert llm.max_in_flight == 2 and len(llm.requests) == 6


def test_no_base_url_means_no_llm():
    with pytest.raises(LlmNotConfigured, match="set LLM_BASE_URL"):
        LlmClient(LlmSettings())


def test_settings_come_from_the_registry():
    config = load_settings(
        {
            "LLM_BASE_URL": "http://127.0.0.1:11434/v1",
            "LLM_MODEL": "llama3.2",
            "LLM_BUDGET_USD": "3",
            "LLM_PRICE_INPUT_PER_1K": "0.001",
        }
    )
    settings = LlmSettings.from_config(config)
    assert settings.configured and settings.model == "llama3.2"
    assert settings.budget_usd == 3.0 and settings.price_input_per_1k == 0.001
    assert settings.timeout == 60.0 and settings.attempts == 3 and settings.concurrency == 4


def test_the_completer_serves_seams_that_want_only_text(llm, settings):
    complete = LlmClient(settings).completer("query_expansion")
    assert complete("Write queries.") == "Noted: Write queries."
    assert LlmCall.objects.get().purpose == "query_expansion"
    assert json.loads(llm.requests[0].raw)["messages"][0]["content"] == "Write queries."
