"""A cache for pure functions of short pieces of page text.

Pages of one site repeat most of their lines (navigation, footer, address, the same people on
team and contact pages), so each short line is worked on once per process. Only short texts
are kept, and only so many: an extraction worker lives long and reads hostile pages, whose
lines may be 20,000 characters each, and no page may make it hold more than a few megabytes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Concatenate, ParamSpec, TypeVar

# Texts longer than this are rarely repeated and are worked on without the cache.
MAX_CACHED_CHARS = 300
ENTRIES = 16384

P = ParamSpec("P")
R = TypeVar("R")


def short_text_cache(
    function: Callable[Concatenate[str, P], R],
) -> Callable[Concatenate[str, P], R]:
    """`function` with its results kept for calls whose text (the first argument) is short.
    Any other arguments must be small (flags, a short origin, pieces of the text). Results are
    shared between callers, so they must be immutable (tuples, frozen objects).

    The check is one len(): these functions run over a million times on the 1000-company
    sandbox, mostly answered from the cache, and summing the sizes of every argument had made
    extraction 3-8% slower."""
    cached = lru_cache(maxsize=ENTRIES)(function)

    @wraps(function)
    def call(text: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if len(text) <= MAX_CACHED_CHARS:
            return cached(text, *args, **kwargs)
        return function(text, *args, **kwargs)

    return call
