from coldflow.discover.providers.tavily import TavilyProvider
from coldflow.discover.providers.transport import RetryPolicy
from tests.discover.api_standins import GOOD_KEY, TavilyStandIn, search_through

FAST = RetryPolicy(timeout=5, attempts=3, backoff=0.01)


def tavily(url: str) -> TavilyProvider:
    return TavilyProvider(GOOD_KEY, url=url, policy=FAST)


def test_site_exclusions_move_from_the_query_into_exclude_domains() -> None:
    server = TavilyStandIn()

    outcome = search_through(server, tavily, "Logistik Hamburg -site:linkedin.com -site:yelp.com")

    (request,) = server.requests
    assert request.headers["Authorization"] == f"Bearer {GOOD_KEY}"
    assert request.body["query"] == "Logistik Hamburg"
    assert request.body["exclude_domains"] == ["linkedin.com", "yelp.com"]
    urls = [r.url for r in outcome.results]
    assert "https://www.nordvex-logistik.de/" in urls
    assert not any("linkedin" in u or "yelp" in u for u in urls)


def test_the_plans_used_up_credits_are_an_exhausted_quota() -> None:
    server = TavilyStandIn(["quota"])

    outcome = search_through(server, tavily, "Logistik Hamburg")

    assert outcome.status == "quota_exhausted"
    assert "HTTP 432" in outcome.message and "usage limit" in outcome.message
    assert len(server.requests) == 1


def test_the_pay_as_you_go_limit_is_an_exhausted_quota_too() -> None:
    outcome = search_through(TavilyStandIn(["paygo_limit"]), tavily, "Logistik Hamburg")

    assert outcome.status == "quota_exhausted"
    assert "pay-as-you-go" in outcome.message


def test_there_is_no_second_page_to_ask_for() -> None:
    server = TavilyStandIn()

    outcome = search_through(server, tavily, "Logistik Hamburg", page=2)

    assert outcome.status == "ok" and outcome.results == ()
    assert "one page" in outcome.message
    assert server.requests == []
