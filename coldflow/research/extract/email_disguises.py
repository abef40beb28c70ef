"""Undo the ways people write addresses so that harvesters miss them:
"anna [at] acme [dot] de", "anna(ät)acme(punkt)de", "anna at acme dot co dot uk", "anna @ acme.de",
and in brackets the French, Spanish, Italian and Dutch words: "anna [arobase] acme [point] fr".

Only the spellings are rewritten; a rewritten address must still pass the normal address checks.
"""

from __future__ import annotations

import re

# "[at]", "(at)", "{at}", "<at>", "(ät)", "[@]", "(AT)" with optional spaces inside and around.
_AT_WORDS = r"(?:at|ät|@|arobase|arroba|chiocciola)"
_BRACKETED_AT = re.compile(rf"\s*[\[({{<]\s*{_AT_WORDS}\s*[\])}}>]\s*", re.I)
_BRACKETED_DOT = re.compile(
    r"\s*[\[({<]\s*(?:dot|punkt|pkt|period|point|punto|punt|\.)\s*[\])}>]\s*", re.I
)
_SPACED_AT = re.compile(r"(?<=[\w.\-])\s+@\s*(?=[^\W_])|(?<=[\w.\-])\s*@\s+(?=[^\W_])")
_SPACED_DOT = re.compile(r"(?<=[^\W_])\s+\.\s+(?=[^\W_])")
# Spelled out without brackets, words only: "anna at acme dot com". A bare " at " needs at least
# one bare " dot " after it, or ordinary prose ("meet us at acme.com") would turn into addresses.
_SPELLED_OUT = re.compile(
    r"(?<![\w.\-])([\w.+\-]{1,64}(?:\s+(?:dot|punkt)\s+[\w+\-]{1,64}){0,4})\s+(?:at|ät)\s+"
    r"((?:[^\W_][\w\-]{0,62}\s+(?:dot|punkt)\s+){1,6}[^\W\d_]{2,24})(?![\w\-])",
    re.I,
)
_SPELLED_DOT = re.compile(r"\s+(?:dot|punkt)\s+", re.I)
_HINTS = re.compile(rf"[\[({{<]\s*{_AT_WORDS}|\s@|@\s|\s(?:at|ät)\s", re.I)


def undisguise(text: str) -> str:
    """The text with disguised addresses written plainly; text without disguises is unchanged."""
    if not _HINTS.search(text):
        return text
    text = _SPELLED_OUT.sub(_spell_out, text)
    text = _BRACKETED_AT.sub("@", text)
    text = _BRACKETED_DOT.sub(".", text)
    text = _SPACED_AT.sub("@", text)
    return _SPACED_DOT.sub(".", text)


def _spell_out(match: re.Match[str]) -> str:
    return f"{_SPELLED_DOT.sub('.', match.group(1))}@{_SPELLED_DOT.sub('.', match.group(2))}"
