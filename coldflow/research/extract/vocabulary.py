"""Word lists written as whitespace-separated text, so long vocabularies stay readable."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())
