"""What a search provider answered, as plain data.

Every answer is an outcome with a status the user can act on; "no results" only ever means the
provider looked and found nothing. Rate limits, exhausted quotas, rejected keys, blocks, broken
configuration and unreachable services each have their own status and a sentence that says
what to do.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

OutcomeStatus = Literal[
    "ok",
    # Too many requests for now: try again after `retry_after` seconds.
    "rate_limited",
    # The plan's credits or monthly quota are used up: nothing helps until it renews.
    "quota_exhausted",
    # The API key is missing, wrong or has no subscription.
    "auth_failed",
    # The provider refuses this machine (CAPTCHA, bot protection).
    "blocked",
    # Our side is set up wrong: base URL, disabled JSON format, missing package.
    "misconfigured",
    # No answer: connection refused, DNS, timeout, server errors.
    "unavailable",
    # Anything else: an answer we cannot read, an unexpected error.
    "failed",
]

MAX_URL_LENGTH = 2000
MAX_TITLE_LENGTH = 300
MAX_SNIPPET_LENGTH = 1000
# A page of results is a few dozen at most; more is a broken or hostile answer.
MAX_RESULTS_PER_ANSWER = 100


@dataclass(frozen=True, slots=True)
class SearchResult:
    url: str
    title: str
    snippet: str
    # 1-based rank across pages.
    position: int
    # The engine behind the provider that found it ("google" for a SearXNG hit), or the
    # provider's own name.
    engine: str


@dataclass(frozen=True)
class SearchOutcome:
    provider: str
    query: str
    status: OutcomeStatus
    results: tuple[SearchResult, ...] = ()
    # For the user: what happened and what to do; also set on success when worth saying.
    message: str = ""
    # Seconds until a retry can succeed, when the provider said so.
    retry_after: float | None = None
    # HTTP requests made, retries included.
    attempts: int = 0
    page: int = 1

    @property
    def ok(self) -> bool:
        return self.status == "ok"


_TAG = re.compile(r"<[^>]{0,200}>")


def clean_text(text: object, limit: int) -> str:
    """Provider text for display: tags (Brave's <strong>) and entities gone, whitespace and
    control characters collapsed, length bounded."""
    if not isinstance(text, str):
        return ""
    text = html.unescape(_TAG.sub("", text[: limit * 4]))
    text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())[:limit]


def make_result(
    url: object, title: object, snippet: object, position: int, engine: object
) -> SearchResult | None:
    """A result from untrusted fields, or None when the URL is not an http(s) address."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return SearchResult(
        url,
        clean_text(title, MAX_TITLE_LENGTH),
        clean_text(snippet, MAX_SNIPPET_LENGTH),
        position,
        clean_text(engine, 40) or "unknown",
    )
