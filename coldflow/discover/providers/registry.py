"""The search providers by name, and building one from settings.

Settings read (names as in the settings registry; values as str or already typed):

    SEARCH_PROVIDER   searxng (default), brave, serper, tavily or duckduckgo
    SEARXNG_URL       base address of a SearXNG instance, e.g. http://127.0.0.1:8888
    BRAVE_API_KEY     BRAVE_API_URL    (default https://api.search.brave.com/res/v1/web/search)
    SERPER_API_KEY    SERPER_API_URL   (default https://google.serper.dev/search)
    TAVILY_API_KEY    TAVILY_API_URL   (default https://api.tavily.com/search)
    SEARCH_TIMEOUT    seconds per request attempt (default 15)
    SEARCH_ATTEMPTS   attempts per search, retries included (default 3)

Google's Custom Search JSON API is closed to new customers and Bing's Search API is retired:
neither is offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from coldflow.discover.providers import brave, serper, tavily
from coldflow.discover.providers.base import SearchProvider
from coldflow.discover.providers.brave import BraveProvider
from coldflow.discover.providers.duckduckgo import DuckDuckGoProvider
from coldflow.discover.providers.searxng import SearxngProvider
from coldflow.discover.providers.serper import SerperProvider
from coldflow.discover.providers.tavily import TavilyProvider
from coldflow.discover.providers.transport import RetryPolicy

PROVIDERS: dict[str, type[SearchProvider]] = {
    provider.name: provider
    for provider in (
        SearxngProvider,
        BraveProvider,
        SerperProvider,
        TavilyProvider,
        DuckDuckGoProvider,
    )
}
DEFAULT_PROVIDER = "searxng"
_RETIRED = {
    "google": "Google's Custom Search JSON API is closed to new customers",
    "bing": "Bing's Search API is retired",
}
_KEYED = {
    "brave": ("BRAVE_API_KEY", "BRAVE_API_URL", brave.DEFAULT_URL),
    "serper": ("SERPER_API_KEY", "SERPER_API_URL", serper.DEFAULT_URL),
    "tavily": ("TAVILY_API_KEY", "TAVILY_API_URL", tavily.DEFAULT_URL),
}


class ProviderSettingsError(ValueError):
    """A provider cannot be built from the settings; the message says which one to fix."""


def provider_from_settings(
    name: str | None,
    settings: Mapping[str, Any],
    *,
    session: aiohttp.ClientSession | None = None,
) -> SearchProvider:
    """The named provider (or SEARCH_PROVIDER's, or SearXNG) set up from settings; raises
    ProviderSettingsError with a sentence naming the setting to fix."""
    name = (name or _text(settings, "SEARCH_PROVIDER") or DEFAULT_PROVIDER).strip().lower()
    if name not in PROVIDERS:
        known = ", ".join(PROVIDERS)
        retired = f" ({_RETIRED[name]})" if name in _RETIRED else ""
        raise ProviderSettingsError(
            f"'{name}' is not a search provider coldflow offers{retired}; choose one of {known}."
        )
    policy = _policy(settings)
    if name == "searxng":
        base = _url(settings, "SEARXNG_URL", "")
        if not base:
            raise ProviderSettingsError(
                "SearXNG needs the address of your instance: set SEARXNG_URL "
                "(e.g. http://127.0.0.1:8888)."
            )
        return SearxngProvider(base, session=session, policy=policy)
    if name == "duckduckgo":
        return DuckDuckGoProvider(timeout=policy.timeout)
    key_name, url_name, default_url = _KEYED[name]
    key = _text(settings, key_name)
    if not key:
        label = PROVIDERS[name].label
        raise ProviderSettingsError(f"{label} needs an API key: set {key_name}.")
    url = _url(settings, url_name, default_url)
    provider_class: Any = PROVIDERS[name]
    return provider_class(key, url=url, session=session, policy=policy)


def _text(settings: Mapping[str, Any], name: str) -> str:
    value = settings.get(name)
    return str(value).strip() if value is not None else ""


def _url(settings: Mapping[str, Any], name: str, default: str) -> str:
    value = _text(settings, name) or default
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProviderSettingsError(
            f"{name} must be an http:// or https:// address, not {value!r}."
        )
    return value


def _policy(settings: Mapping[str, Any]) -> RetryPolicy:
    try:
        timeout = float(settings.get("SEARCH_TIMEOUT") or 15)
    except (TypeError, ValueError):
        raise ProviderSettingsError("SEARCH_TIMEOUT must be a number of seconds.") from None
    try:
        attempts = int(settings.get("SEARCH_ATTEMPTS") or 3)
    except (TypeError, ValueError):
        raise ProviderSettingsError("SEARCH_ATTEMPTS must be a whole number.") from None
    if timeout <= 0 or not 1 <= attempts <= 10:
        raise ProviderSettingsError(
            "SEARCH_TIMEOUT must be above 0 and SEARCH_ATTEMPTS between 1 and 10."
        )
    return RetryPolicy(timeout=timeout, attempts=attempts)
