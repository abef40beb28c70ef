"""Render a DOM subtree into the lines a reader sees.

A line ends where a block element (or <br>) ends, like in a browser. Within a line, the text is
also cut into segments wherever an inline element starts or ends, because sites style
`<span class="name">…</span><span class="role">…</span>` as separate lines with CSS we never
see; people extraction splits on those boundaries, email extraction glues them back together.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from selectolax.lexbor import LexborNode

from coldflow.research.extract.vocabulary import words

# Bounds for hostile pages: extraction stays fast however big or flat the tree is.
MAX_RENDERED_NODES = 150_000
MAX_LINES = 20_000
MAX_LINE_CHARS = 20_000

BLOCK_TAGS = words(
    "address article aside blockquote body button caption center dd details dialog dir div dl "
    "dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu "
    "nav ol p pre section summary table tbody td tfoot th thead tr ul legend"
)
# Never rendered: not visible, or not text.
SKIPPED_TAGS = words(
    "script style noscript template svg math iframe object embed canvas audio video head title "
    "input textarea select option"
)
HEADING_TAGS = words("h1 h2 h3 h4 h5 h6")
# Site navigation and boilerplate: a <header> or <footer> inside an <article> is content.
_CHROME_TAGS = words("header footer aside")
_CONTENT_SECTION_TAGS = frozenset(("article",))


@dataclass(slots=True)
class Line:
    # Whitespace collapsed. Inline pieces are glued as in the source ("anna<b>@</b>x.de" stays one
    # word) except where two words would fuse ("<b>Mail</b>anna@x.de" reads "Mail anna@x.de").
    text: str
    # The same text cut at inline element boundaries, empty pieces dropped.
    segments: tuple[str, ...]
    # Nearest block-level element holding the text.
    node: LexborNode
    tag: str
    # The first link that contributes text to the line.
    href: str | None
    # The datetime attribute of a <time> element in the line.
    datetime: str | None
    # Inside site navigation, header, footer or sidebar.
    in_chrome: bool


class _LineBuilder:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.segments: list[str] = []
        self.pieces: list[str] = []
        self.href: str | None = None
        self.datetime: str | None = None
        self.length = 0

    def add_text(self, text: str, href: str | None) -> None:
        if self.length >= MAX_LINE_CHARS:
            return
        self.pieces.append(text)
        self.length += len(text)
        if href is not None and self.href is None and not text.isspace():
            self.href = href

    def cut_segment(self) -> None:
        if self.pieces:
            self.segments.append("".join(self.pieces))
            self.pieces = []

    def end_line(self, block: LexborNode, in_chrome: bool) -> None:
        if self.pieces:
            self.cut_segment()
        elif not self.segments:
            # Most block boundaries close no text: nothing to build, and no href or length to
            # reset either (both come with text).
            self.datetime = None
            return
        if len(self.segments) == 1:
            text = " ".join(self.segments[0].split())
            segments: tuple[str, ...] = (text,)
        else:
            text = " ".join(_join_segments(self.segments).split())
            segments = tuple(s for s in (" ".join(raw.split()) for raw in self.segments) if s)
        if text:
            self.lines.append(
                Line(text, segments, block, block.tag or "", self.href, self.datetime, in_chrome)
            )
        self.segments = []
        self.href = None
        self.datetime = None
        self.length = 0


def render_lines(
    root: LexborNode, max_lines: int = MAX_LINES, max_nodes: int = MAX_RENDERED_NODES
) -> list[Line]:
    builder = _LineBuilder()
    lines = builder.lines
    blocks: list[LexborNode] = [root]
    hrefs: list[str | None] = [None]
    chrome_depth = 0
    content_depth = 0
    visited = 0
    # Explicit stack (pages can nest deeper than Python's recursion limit) of elements to enter
    # and, as (element, tag) pairs, elements to leave.
    stack: list[LexborNode | tuple[LexborNode, str]] = [root]
    while stack and len(lines) < max_lines:
        item = stack.pop()
        if item.__class__ is tuple:
            node, tag = item
            if tag in BLOCK_TAGS and node is not root:
                builder.end_line(blocks[-1], chrome_depth > 0)
                blocks.pop()
            elif builder.pieces:
                builder.cut_segment()
            if tag == "a":
                hrefs.pop()
            elif tag == "nav" or (tag in _CHROME_TAGS and content_depth == 0):
                chrome_depth -= 1
            elif tag in _CONTENT_SECTION_TAGS:
                content_depth -= 1
            continue
        node = item
        visited += 1
        if visited > max_nodes:
            break
        tag = node.tag or ""
        if tag == "-text":
            text = node.text_content
            if text:
                builder.add_text(text, hrefs[-1])
            continue
        if tag in SKIPPED_TAGS or tag.startswith("-") or not tag:
            continue
        if tag == "br":
            builder.end_line(blocks[-1], chrome_depth > 0)
            continue
        if tag in BLOCK_TAGS and node is not root:
            builder.end_line(blocks[-1], chrome_depth > 0)
            blocks.append(node)
        elif node is not root and builder.pieces:
            builder.cut_segment()
        if tag == "a":
            hrefs.append(node.attributes.get("href") or hrefs[-1])
        elif tag == "time" and builder.datetime is None:
            builder.datetime = node.attributes.get("datetime")
        elif tag == "nav" or (tag in _CHROME_TAGS and content_depth == 0):
            chrome_depth += 1
        elif tag in _CONTENT_SECTION_TAGS:
            content_depth += 1
        stack.append((node, tag))
        # Children past the node budget would never be visited: don't list them.
        children = list(islice(node.iter(include_text=True), max_nodes - visited + 1))
        children.reverse()
        stack += children
    builder.end_line(blocks[-1], chrome_depth > 0)
    return builder.lines


def _join_segments(segments: list[str]) -> str:
    joined = segments[0]
    for segment in segments[1:]:
        if joined and segment and joined[-1].isalnum() and segment[0].isalnum():
            joined += " "
        joined += segment
    return joined


def heading_level(line: Line) -> int | None:
    return int(line.tag[1]) if line.tag in HEADING_TAGS else None
