import pytest

from coldflow.discover.providers import PROVIDERS, ProviderSettingsError, provider_from_settings
from coldflow.discover.providers.brave import BraveProvider
from coldflow.discover.providers.duckduckgo import DuckDuckGoProvider
from coldflow.discover.providers.searxng import SearxngProvider
from coldflow.discover.providers.tavily import TavilyProvider
from tests.discover.api_standins import GOOD_KEY, BraveStandIn, search_through


def test_searxng_is_the_default_provider() -> None:
    provider = provider_from_settings(None, {"SEARXNG_URL": "http://127.0.0.1:8888/"})

    assert isinstance(provider, SearxngProvider)
    assert provider.base_url == "http://127.0.0.1:8888"


def test_search_provider_names_the_provider_when_none_is_asked_for() -> None:
    settings = {"SEARCH_PROVIDER": "Tavily", "TAVILY_API_KEY": "k"}

    assert isinstance(provider_from_settings(None, settings), TavilyProvider)


def test_the_keyless_fallback_needs_no_settings() -> None:
    assert isinstance(provider_from_settings("duckduckgo", {}), DuckDuckGoProvider)


def test_every_provider_has_a_name_a_label_and_a_syntax() -> None:
    assert set(PROVIDERS) == {"searxng", "brave", "serper", "tavily", "duckduckgo"}
    for name, provider in PROVIDERS.items():
        assert provider.name == name and provider.label
    assert PROVIDERS["tavily"].syntax.quotes is False
    assert PROVIDERS["searxng"].syntax.site_exclusion is True


@pytest.mark.parametrize(
    ("name", "settings", "sentence"),
    [
        ("brave", {}, "Brave Search needs an API key: set BRAVE_API_KEY."),
        ("serper", {"SERPER_API_KEY": "  "}, "Serper needs an API key: set SERPER_API_KEY."),
        ("searxng", {}, "SearXNG needs the address of your instance: set SEARXNG_URL"),
        ("tavily", {"TAVILY_API_KEY": "k", "TAVILY_API_URL": "ftp://x"}, "TAVILY_API_URL must be"),
        ("searxng", {"SEARXNG_URL": "http://x", "SEARCH_TIMEOUT": "soon"}, "SEARCH_TIMEOUT must"),
        ("searxng", {"SEARXNG_URL": "http://x", "SEARCH_ATTEMPTS": "0"}, "SEARCH_ATTEMPTS between"),
        ("altavista", {}, "'altavista' is not a search provider coldflow offers; choose one of"),
        ("bing", {}, "Bing's Search API is retired"),
        ("google", {}, "closed to new customers"),
    ],
)
def test_settings_that_cannot_work_are_refused_with_the_setting_to_fix(
    name: str, settings: dict, sentence: str
) -> None:
    with pytest.raises(ProviderSettingsError) as refused:
        provider_from_settings(name, settings)

    assert sentence in str(refused.value)


def test_the_api_address_and_key_come_from_the_settings() -> None:
    server = BraveStandIn()

    def from_settings(url: str) -> BraveProvider:
        settings = {"BRAVE_API_KEY": GOOD_KEY, "BRAVE_API_URL": url, "SEARCH_ATTEMPTS": "1"}
        provider = provider_from_settings("brave", settings)
        assert isinstance(provider, BraveProvider)
        return provider

    outcome = search_through(server, from_settings, "Logistik Hamburg")

    assert outcome.status == "ok" and outcome.results
    assert server.requests[0].headers["X-Subscription-Token"] == GOOD_KEY
