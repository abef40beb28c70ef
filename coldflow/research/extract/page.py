"""One parsed page: the tree, its head metadata, its inline scripts and its rendered lines."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from coldflow.research.extract.email_address import registrable_domain
from coldflow.research.extract.email_reveal import RevealedEmails, reveal_emails
from coldflow.research.extract.link_resolution import href_resolver
from coldflow.research.extract.markup_bounds import ParsedHtml, parse_html
from coldflow.research.extract.text_lines import Line, render_lines

MAX_LINKS = 5000
MAX_INLINE_SCRIPT_CHARS = 1_000_000
_CONTENT_FREE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    # Absolute URL (resolved against the page URL).
    url: str
    text: str


@dataclass
class Page:
    url: str
    host: str
    # "acme.co.uk" for "www.acme.co.uk"; None for hosts without a public suffix.
    domain: str | None
    # The markup actually parsed (bounded), for fingerprints that read raw source.
    html: str
    tree: LexborHTMLParser
    language: str | None
    title: str | None
    # Lower-cased meta name/property → contents, in page order.
    metas: dict[str, list[str]]
    script_srcs: list[str]
    inline_scripts: list[str]
    link_hrefs: list[str]
    jsonld_sources: list[str]
    links: list[Link]
    lines: list[Line]
    revealed: RevealedEmails

    def meta(self, *names: str) -> str | None:
        for name in names:
            for content in self.metas.get(name, ()):
                if content.strip():
                    return content.strip()
        return None

    def absolute(self, href: str) -> str:
        return urljoin(self.url, href.strip())


def parse_page(html: str, url: str, parsed: ParsedHtml | None = None) -> Page:
    """`parsed`, when it was parsed from this very `html` (by the crawl, looking for links), is
    used instead of parsing again; its tree is changed here (scripts and styles removed)."""
    if parsed is None or parsed.source is not html:
        parsed = parse_html(html)
    html, tree = parsed.html, parsed.tree
    host = (urlsplit(url).hostname or "").lower()
    metas = _metas(tree)
    inline_scripts, jsonld_sources = _scripts(tree)
    script_srcs = [s for n in tree.css("script[src]") if (s := n.attributes.get("src"))]
    link_hrefs = [h for n in tree.css("link[href]") if (h := n.attributes.get("href"))]
    revealed = reveal_emails(tree)
    links = _links(tree, url)
    for node in tree.css(",".join(_CONTENT_FREE_TAGS)):
        node.decompose()
    root = tree.body or tree.root
    return Page(
        url=url,
        host=host,
        domain=registrable_domain(host) if host else None,
        html=html,
        tree=tree,
        language=_language(tree, metas),
        title=_title(tree),
        metas=metas,
        script_srcs=script_srcs,
        inline_scripts=inline_scripts,
        link_hrefs=link_hrefs,
        jsonld_sources=jsonld_sources,
        links=links,
        lines=render_lines(root) if root is not None else [],
        revealed=revealed,
    )


def _metas(tree: LexborHTMLParser) -> dict[str, list[str]]:
    metas: dict[str, list[str]] = {}
    for node in tree.css("meta[content]")[:500]:
        attributes = node.attributes
        key = attributes.get("property") or attributes.get("name") or attributes.get("http-equiv")
        if key:
            metas.setdefault(key.strip().lower(), []).append(attributes.get("content") or "")
    return metas


def _scripts(tree: LexborHTMLParser) -> tuple[list[str], list[str]]:
    inline: list[str] = []
    jsonld: list[str] = []
    budget = MAX_INLINE_SCRIPT_CHARS
    for node in tree.css("script"):
        if budget <= 0:
            break
        kind = (node.attributes.get("type") or "").strip().lower()
        source = node.text(deep=True)[:budget]
        budget -= len(source)
        if kind == "application/ld+json":
            jsonld.append(source)
        elif not node.attributes.get("src") and source.strip():
            inline.append(source)
    return inline, jsonld


def _links(tree: LexborHTMLParser, base: str) -> list[Link]:
    links = []
    resolve = href_resolver(base)
    for node in tree.css("a[href]")[:MAX_LINKS]:
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith("javascript:"):
            continue
        url = resolve(href)
        if url is not None:
            links.append(Link(href, url, " ".join(node.text(deep=True).split())[:300]))
    return links


def _language(tree: LexborHTMLParser, metas: dict[str, list[str]]) -> str | None:
    html_node = tree.css_first("html")
    declared = html_node.attributes.get("lang") if html_node is not None else None
    declared = declared or next(iter(metas.get("content-language", [])), None)
    declared = (declared or "").strip().lower().replace("_", "-")
    return declared[:20] or None


def _title(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("title")
    text = " ".join(node.text().split()) if node is not None else ""
    return text[:300] or None
