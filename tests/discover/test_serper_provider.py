from coldflow.discover.providers.serper import SerperProvider
from coldflow.discover.providers.transport import RetryPolicy
from tests.discover.api_standins import GOOD_KEY, SerperStandIn, search_through

FAST = RetryPolicy(timeout=5, attempts=3, backoff=0.01)


def serper(url: str) -> SerperProvider:
    return SerperProvider(GOOD_KEY, url=url, policy=FAST)


def test_it_posts_the_query_with_the_key_page_and_language() -> None:
    server = SerperStandIn()

    outcome = search_through(server, serper, "Logistik Hamburg", page=2, language="de")

    (request,) = server.requests
    assert request.method == "POST"
    assert request.headers["X-API-KEY"] == GOOD_KEY
    assert request.body == {"q": "Logistik Hamburg", "page": 2, "num": 10, "hl": "de"}
    assert outcome.results[0].position == 11
    assert outcome.results[0].engine == "google"


def test_used_up_credits_are_an_exhausted_quota_not_a_bad_request() -> None:
    server = SerperStandIn(["no_credits"])

    outcome = search_through(server, serper, "Logistik Hamburg")

    assert outcome.status == "quota_exhausted"
    assert "Not enough credits" in outcome.message
    assert len(server.requests) == 1


def test_a_rejected_key_quotes_what_serper_said() -> None:
    outcome = search_through(
        SerperStandIn(), lambda url: SerperProvider("nope", url=url, policy=FAST), "Logistik"
    )

    assert outcome.status == "auth_failed"
    assert "HTTP 403: Unauthorized." in outcome.message


def test_a_search_without_hits_is_ok_and_says_nothing_was_found() -> None:
    outcome = search_through(SerperStandIn(), serper, "Zahnarzt Flensburg")

    assert outcome.status == "ok"
    assert outcome.results == ()
