from coldflow.discover.providers.brave import BraveProvider
from coldflow.discover.providers.transport import RetryPolicy
from tests.discover.api_standins import GOOD_KEY, BraveStandIn, search_through

FAST = RetryPolicy(timeout=5, attempts=3, backoff=0.01)


def brave(url: str) -> BraveProvider:
    return BraveProvider(GOOD_KEY, url=url, policy=FAST)


def test_it_sends_the_key_and_pages_by_offset() -> None:
    server = BraveStandIn()

    outcome = search_through(server, brave, "Logistik Hamburg", page=3, language="de")

    (request,) = server.requests
    assert request.headers["X-Subscription-Token"] == GOOD_KEY
    assert request.query == {
        "q": "Logistik Hamburg",
        "count": "20",
        "offset": "2",
        "search_lang": "de",
    }
    assert outcome.results[0].position == 41
    assert outcome.results[0].engine == "brave"


def test_the_highlight_tags_brave_puts_into_titles_are_removed() -> None:
    outcome = search_through(BraveStandIn(), brave, "Logistik Hamburg")

    assert "<strong>" not in outcome.results[0].title
    assert outcome.results[0].title == "Nordvex Logistik – Logistik in Hamburg"


def test_a_used_up_quota_is_reported_with_when_it_renews_and_not_retried() -> None:
    server = BraveStandIn(["quota"])

    outcome = search_through(server, brave, "Logistik Hamburg")

    assert outcome.status == "quota_exhausted"
    assert "QUOTA_LIMITED" in outcome.message and "renews in 14 days" in outcome.message
    assert outcome.retry_after == 1209600
    assert len(server.requests) == 1


def test_a_key_without_a_subscription_is_an_auth_failure() -> None:
    outcome = search_through(BraveStandIn(["no_subscription"]), brave, "Logistik Hamburg")

    assert outcome.status == "auth_failed"
    assert "no subscription" in outcome.message


def test_a_missing_key_is_an_auth_failure_too() -> None:
    outcome = search_through(
        BraveStandIn(), lambda url: BraveProvider("", url=url, policy=FAST), "Logistik Hamburg"
    )

    assert outcome.status == "auth_failed"
    assert "BRAVE_API_KEY" in outcome.message


def test_an_answer_without_web_results_is_ok_and_says_it_found_nothing() -> None:
    outcome = search_through(BraveStandIn(), brave, "Zahnarzt Flensburg")

    assert outcome.status == "ok"
    assert outcome.results == ()
    assert "found nothing" in outcome.message


def test_pages_past_the_tenth_are_not_requested() -> None:
    server = BraveStandIn()

    outcome = search_through(server, brave, "Logistik Hamburg", page=11)

    assert outcome.status == "ok" and outcome.results == ()
    assert "10 pages" in outcome.message
    assert server.requests == []
