"""Cleaning text that came from the web before it goes into an email.

Scraped text is hostile: it may carry newlines that forge extra paragraphs, links and addresses
an attacker wants mailed out, markup, or a long instruction meant for a language model. What
reaches a draft is one line, bounded, with no links, addresses or tags.
"""

from __future__ import annotations

import re
import unicodedata

_TAG = re.compile(r"<[^>]{0,200}>")
_LINK = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S*")
_ADDRESS = re.compile(r"\S+@\S+\.\S+")
_SPACE = re.compile(r"\s+")
# Quote marks are ours to place around a quoted title.
_QUOTES = str.maketrans({c: "'" for c in '"“”„«»‹›'})


def one_line(value: object, limit: int = 120) -> str:
    """A value as a single clean line: no control characters or tags, whitespace collapsed,
    cut at a word boundary when longer than `limit`."""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    text = _SPACE.sub(" ", _TAG.sub(" ", text)).strip()
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def quotable(value: object, limit: int = 90) -> str | None:
    """Text fit to quote (a post title, a job title), or None when it is not: it carries a
    link or an email address, or nothing is left after cleaning."""
    text = one_line(value, 10_000)
    if _LINK.search(text) or _ADDRESS.search(text) or "@" in text:
        return None
    text = text.translate(_QUOTES).strip(" '")
    if not any(c.isalnum() for c in text):
        return None
    return shorten(text, limit)


# Legal forms at the end of a company name: "Acme GmbH & Co. KG" reads as "Acme" in a sentence.
_LEGAL_FORM = re.compile(
    r"(?:[\s,]+(?:gmbh\s*&\s*co\.?\s*kg|ug\s*\(haftungsbeschränkt\)|gmbh|ag|kg|ohg|ug|e\.\s?k\.|"
    r"se|ltd\.?|limited|llp|plc|inc\.?|corp\.?|corporation|llc|dac|co\.?|sarl|s\.?a\.?|"
    r"b\.?v\.?|oy|ab|a/s|s\.?r\.?l\.?))+$",
    re.IGNORECASE,
)


def short_company_name(name: str) -> str:
    """A company's name as people say it: without its legal form (kept when nothing is left)."""
    short = _LEGAL_FORM.sub("", name).strip(" ,")
    return short if any(c.isalnum() for c in short) else name
