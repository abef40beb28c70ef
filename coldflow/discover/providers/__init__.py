"""Search providers behind one interface (`SearchProvider`), one module each."""

from coldflow.discover.providers.base import SearchProvider
from coldflow.discover.providers.outcome import OutcomeStatus, SearchOutcome, SearchResult
from coldflow.discover.providers.registry import (
    PROVIDERS,
    ProviderSettingsError,
    provider_from_settings,
)

__all__ = [
    "PROVIDERS",
    "OutcomeStatus",
    "ProviderSettingsError",
    "SearchOutcome",
    "SearchProvider",
    "SearchResult",
    "provider_from_settings",
]
