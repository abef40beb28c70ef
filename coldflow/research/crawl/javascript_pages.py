"""Recognising pages that show nothing until JavaScript runs (single-page apps)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

# Fewer visible characters than this, with scripts present, means the content comes from JS.
_MIN_VISIBLE_TEXT = 200


def looks_javascript_only(html: str) -> bool:
    tree = LexborHTMLParser(html)
    if tree.css_first("script") is None:
        return False
    body = tree.body
    if body is None:
        return True
    body.strip_tags(["script", "style", "noscript", "template", "svg"])
    return len(body.text(separator=" ", strip=True)) < _MIN_VISIBLE_TEXT
