"""All email addresses on a page, each with the strongest way it was found."""

from __future__ import annotations

from html import unescape

from selectolax.lexbor import LexborNode

from coldflow.research.extract.email_address import (
    acceptable_address,
    address_from_mailto,
    addresses_in,
)
from coldflow.research.extract.email_disguises import undisguise
from coldflow.research.extract.facts import EmailFact
from coldflow.research.extract.node_links import MAX_WALKED_NODES, anchors_in
from coldflow.research.extract.page import Page
from coldflow.research.extract.structured_data import StructuredItem, text_values
from coldflow.research.extract.text_cache import short_text_cache
from coldflow.research.extract.text_lines import render_lines

MAX_EMAILS = 200
CONFIDENCE = {
    "mailto": 0.95,
    "cfemail": 0.95,
    "joomla_cloak": 0.95,
    "jsonld": 0.95,
    "microdata": 0.9,
    "plain_text": 0.9,
    "html_entities": 0.9,
    "obfuscated_text": 0.85,
    "css_reversed": 0.85,
    "js_concat": 0.8,
    "script_text": 0.6,
}


def find_emails(page: Page, items: list[StructuredItem]) -> list[EmailFact]:
    methods: dict[str, str] = dict(page.revealed.methods)

    def add(address: str, method: str) -> None:
        # A decoded disguise keeps its method: Cloudflare links turn into mailto: links and
        # decoded addresses into text once revealed.
        if address in page.revealed.methods:
            return
        current = methods.get(address)
        if current is None or CONFIDENCE[method] > CONFIDENCE[current]:
            methods[address] = method

    for link in page.links:
        if link.href[:7].lower() == "mailto:":
            for address in address_from_mailto(link.href):
                add(address, "mailto")
    source: _Source | None = None
    for line in page.lines:
        for address, disguised in emails_in_text(line.text):
            if disguised:
                add(address, "obfuscated_text")
                continue
            source = source or _Source(page.html)
            add(address, source.method_for(address))
    for item in items:
        for value in text_values(item.properties.get("email")):
            address = acceptable_address(value)
            if address is not None:
                add(address, item.method)
    for address in page.revealed.script_literals:
        # Whole addresses in scripts are mostly third-party configuration; the site's own
        # domain is the exception worth keeping.
        if page.domain and address.endswith("@" + page.domain):
            add(address, "script_text")
    return [
        EmailFact(address, method, CONFIDENCE[method], page.url)
        for address, method in list(methods.items())[:MAX_EMAILS]
    ]


class _Source:
    """How an address visible in the text is written in the page source."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.lower = html.lower()
        self.unescaped: str | None = None

    def method_for(self, address: str) -> str:
        if address in self.lower:
            return "plain_text"
        if self.unescaped is None:
            self.unescaped = unescape(self.html).lower()
        # Written with character references ("anna&#64;acme.de"), or split by markup such as
        # hidden decoy text.
        return "html_entities" if address in self.unescaped else "obfuscated_text"


def emails_in_text(text: str) -> list[tuple[str, bool]]:
    """(address, was disguised) for each address in the text."""
    return list(_emails_in_text(text))


# Pages of one site repeat most of their lines (navigation, footer, contact box).
@short_text_cache
def _emails_in_text(text: str) -> tuple[tuple[str, bool], ...]:
    plain = addresses_in(text)
    found = [(address, False) for address in plain]
    undisguised = undisguise(text)
    if undisguised != text:
        found.extend((a, True) for a in addresses_in(undisguised) if a not in plain)
    return tuple(found)


def emails_in_node(node: LexborNode) -> list[str]:
    """Addresses inside one element (a team card, a table row), in order."""
    found: list[str] = []
    for anchor in anchors_in(node):
        href = anchor.attributes.get("href") or ""
        if href[:7].lower() == "mailto:":
            found.extend(a for a in address_from_mailto(href) if a not in found)
    for line in render_lines(node, max_lines=60, max_nodes=MAX_WALKED_NODES):
        found.extend(a for a, _ in emails_in_text(line.text) if a not in found)
    return found
