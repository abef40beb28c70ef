"""Make hostile markup cheap to parse.

lexbor's tree builder is quadratic in a few shapes that only hostile or broken pages contain:
thousands of nested open containers, floods of <option> in a <select>, and tags with thousands
of attributes (a 20,000-deep <div> page takes minutes). These passes remove exactly those
shapes, and leave ordinary pages untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from coldflow.research.extract.vocabulary import words

# Everything we extract sits within the first megabytes of a page.
MAX_HTML_CHARS = 2_000_000
# Real pages nest a few dozen containers deep; lexbor stays fast well beyond this.
MAX_DEPTH = 400
MAX_ATTRIBUTES = 64

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]{0,40})[^<>]*>")
_FORM_LIST_TAG = re.compile(r"</?(?:select|option|optgroup|datalist)\b[^<>]*>", re.I)
# A tag long enough to hold more attributes than we keep.
_LONG_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]{0,40})(\s[^<>]{2000,})>")
_ATTRIBUTE = re.compile(r"""([^\s=/<>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s<>"']+))?""")

# Block containers: nesting them is what makes the tree builder slow (it searches the stack of
# open elements for each one). Inline elements, void elements and those the parser closes at
# the next sibling (p, li, td…) are left alone, so links and text inside deep pages survive.
_CONTAINER_TAGS = words(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form header hgroup listing main menu nav ol pre section summary ul xmp "
    "table optgroup"
)
# The _TAG matches whose name is a container, found by the regex engine rather than by testing
# every tag's name in Python (group 1: "/" for a closing tag). Tag matches hold no "<" but their
# first, so skipping the other tags changes no match; ASCII-only case folding, like str.lower()
# on the ASCII names _TAG accepts.
_CONTAINER_TAG = re.compile(
    rf"<(/?)(?:{'|'.join(sorted(_CONTAINER_TAGS))})(?![a-zA-Z0-9:-])[^<>]*>", re.I | re.A
)


@dataclass(frozen=True, slots=True)
class ParsedHtml:
    """A page's markup parsed once, for the crawl's link finding and for extraction alike."""

    # The text it was parsed from, to tell whether a tree belongs to a given page text.
    source: str
    # The markup actually parsed (bound_markup's output).
    html: str
    tree: LexborHTMLParser


def parse_html(html: str) -> ParsedHtml:
    bounded = bound_markup(html)
    return ParsedHtml(html, bounded, LexborHTMLParser(bounded))


def bound_markup(html: str) -> str:
    html = html[:MAX_HTML_CHARS]
    if _FORM_LIST_TAG.search(html):
        # Form option lists carry nothing we extract, and <option> floods are quadratic.
        html = _FORM_LIST_TAG.sub(" ", html)
    if _LONG_TAG.search(html):
        html = _LONG_TAG.sub(_trim_attributes, html)
    if _max_depth(html) > MAX_DEPTH:
        html = _flatten_deep_nesting(html)
    return html


def _trim_attributes(match: re.Match[str]) -> str:
    attributes = _ATTRIBUTE.findall(match.group(2))
    if len(attributes) <= MAX_ATTRIBUTES:
        return match.group(0)
    kept = " ".join(
        f"{name}={value}" if value else name for name, value in attributes[:MAX_ATTRIBUTES]
    )
    return f"<{match.group(1)} {kept}>"


def _max_depth(html: str) -> int:
    depth = peak = 0
    for closing in _CONTAINER_TAG.findall(html):
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            peak = max(peak, depth)
    return peak


def _flatten_deep_nesting(html: str) -> str:
    depth = 0
    dropped = 0

    def keep_or_drop(match: re.Match[str]) -> str:
        nonlocal depth, dropped
        if match.group(2).lower() not in _CONTAINER_TAGS:
            return match.group(0)
        if match.group(1):
            if dropped:
                dropped -= 1
                return " "
            depth = max(0, depth - 1)
            return match.group(0)
        if depth >= MAX_DEPTH:
            dropped += 1
            return " "
        depth += 1
        return match.group(0)

    return _TAG.sub(keep_or_drop, html)
