"""The per-line cache keeps short texts only, so hostile long lines cannot grow a worker."""

from __future__ import annotations

from coldflow.research.extract.text_cache import MAX_CACHED_CHARS, short_text_cache


def test_short_texts_are_worked_on_once_and_long_ones_every_time() -> None:
    calls: list[str] = []

    @short_text_cache
    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    short = "Jane Doe, Head of Sales"
    long = "x" * (MAX_CACHED_CHARS + 1)
    results = [shout(short), shout(short), shout(long), shout(long)]

    assert results == [short.upper(), short.upper(), long.upper(), long.upper()]
    assert calls == [short, long, long]


def test_the_size_counts_every_text_argument() -> None:
    calls: list[tuple[str, str]] = []

    @short_text_cache
    def join(first: str, second: str) -> str:
        calls.append((first, second))
        return first + second

    half = "y" * (MAX_CACHED_CHARS // 2 + 1)
    join(half, half)
    join(half, half)
    join("a", "b")
    join("a", "b")

    assert calls == [(half, half), (half, half), ("a", "b")]
