from coldflow.discover.providers.searxng import SearxngProvider
from coldflow.discover.providers.transport import RetryPolicy
from tests.discover.api_standins import SearxngStandIn, search_through

FAST = RetryPolicy(timeout=5, attempts=3, backoff=0.01)


def searxng(url: str) -> SearxngProvider:
    return SearxngProvider(url, policy=FAST)


def test_it_asks_for_json_with_the_page_and_language() -> None:
    server = SearxngStandIn()

    outcome = search_through(server, searxng, "Logistik Hamburg", page=2, language="de")

    (request,) = server.requests
    assert request.path == "/search"
    assert request.query == {
        "q": "Logistik Hamburg",
        "format": "json",
        "pageno": "2",
        "language": "de",
    }
    assert outcome.page == 2
    assert outcome.results[0].position == 11
    assert outcome.results[0].engine == "google"


def test_a_disabled_json_format_is_a_misconfiguration_that_says_how_to_enable_it() -> None:
    server = SearxngStandIn(["json_disabled"])

    outcome = search_through(server, searxng, "Logistik Hamburg")

    assert outcome.status == "misconfigured"
    assert "HTTP 403" in outcome.message
    assert "formats: [html, json]" in outcome.message and "settings.yml" in outcome.message
    assert len(server.requests) == 1


def test_engines_that_answered_with_captchas_are_a_block_not_zero_results() -> None:
    outcome = search_through(SearxngStandIn(["engines_blocked"]), searxng, "Logistik Hamburg")

    assert outcome.status == "blocked"
    assert "google (CAPTCHA)" in outcome.message and "duckduckgo (timeout)" in outcome.message


def test_results_despite_a_silent_engine_are_ok_and_say_so() -> None:
    outcome = search_through(SearxngStandIn(["one_engine_down"]), searxng, "Logistik Hamburg")

    assert outcome.status == "ok" and outcome.results
    assert "1 of its engines did not answer" in outcome.message


def test_a_search_without_hits_is_ok_and_says_it_found_nothing() -> None:
    outcome = search_through(SearxngStandIn(), searxng, "Zahnarzt Flensburg")

    assert outcome.status == "ok"
    assert outcome.results == ()
    assert "found nothing" in outcome.message


def test_a_base_address_without_a_search_page_is_a_misconfiguration() -> None:
    outcome = search_through(
        SearxngStandIn(), lambda url: searxng(url + "/not-searxng"), "Logistik Hamburg"
    )

    assert outcome.status == "misconfigured"
    assert "SEARXNG_URL" in outcome.message and "HTTP 404" in outcome.message


def test_hostile_results_are_cleaned_bounded_or_dropped() -> None:
    outcome = search_through(SearxngStandIn(["hostile"]), searxng, "Logistik Hamburg")

    assert outcome.status == "ok"
    # The first 100 entries are read: 4 unusable ones, the evil one and 95 others.
    assert len(outcome.results) == 96
    evil = outcome.results[0]
    assert evil.url == "https://evil.example.com/"
    assert evil.title.startswith("alert(1)Evil A") and len(evil.title) == 300
    assert evil.snippet == "" and evil.engine == "unknown"
    assert all(r.url.startswith("https://") for r in outcome.results)


def test_json_nested_beyond_reason_is_a_failure() -> None:
    outcome = search_through(SearxngStandIn(["deeply_nested"]), searxng, "Logistik Hamburg")

    assert outcome.status == "failed"


def test_credentials_in_the_address_are_used_but_never_shown() -> None:
    server = SearxngStandIn(["json_disabled"])

    outcome = search_through(
        server, lambda url: searxng(url.replace("http://", "http://me:s3cret@")), "Logistik"
    )

    assert server.requests[0].headers["Authorization"] == "Basic bWU6czNjcmV0"
    assert "s3cret" not in outcome.message and "127.0.0.1" in outcome.message
