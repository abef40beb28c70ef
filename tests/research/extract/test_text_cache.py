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


def test_the_other_arguments_are_part_of_the_key() -> None:
    calls: list[tuple[str, bool]] = []

    @short_text_cache
    def shout(text: str, *, loud: bool = False) -> str:
        calls.append((text, loud))
        return text.upper() if loud else text

    assert [shout("hi"), shout("hi", loud=True), shout("hi"), shout("hi", loud=True)] == [
        "hi",
        "HI",
        "hi",
        "HI",
    ]
    assert calls == [("hi", False), ("hi", True)]
