"""A cache for pure functions of short pieces of page text.

Pages of one site repeat most of their lines (navigation, footer, address, the same people on
team and contact pages), so each short line is worked on once per process. Only short texts
are kept, and only so many: an extraction worker lives long and reads hostile pages, whose
lines may be 20,000 characters each, and no page may make it hold more than a few megabytes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import ParamSpec, TypeVar

# Texts longer than this are rarely repeated and are worked on without the cache.
MAX_CACHED_CHARS = 300
ENTRIES = 16384

P = ParamSpec("P")
R = TypeVar("R")


def short_text_cache(function: Callable[P, R]) -> Callable[P, R]:
    """`function` with its results kept for calls whose text arguments are short. Its results
    are shared between callers, so they must be immutable (tuples, frozen objects)."""
    cached = lru_cache(maxsize=ENTRIES)(function)

    @wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        size = sum(len(arg) for arg in args if isinstance(arg, str))
        return cached(*args, **kwargs) if size <= MAX_CACHED_CHARS else function(*args, **kwargs)

    return call
