"""Decode disguised addresses in the DOM itself, before the page is rendered to text.

Each decoded address replaces its disguise in the tree (a Cloudflare span becomes the plain
address, an address-writing script becomes the address it writes), so that everything reading
the text later, such as the people extractor looking for the address on a team card, sees
what a visitor sees.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from coldflow.research.extract.cloudflare_email import decode_cfemail, decode_protection_href
from coldflow.research.extract.email_address import acceptable_address, addresses_in
from coldflow.research.extract.script_emails import MAX_SCRIPT_CHARS, emails_in_script

MAX_DISGUISED_NODES = 500
# Scripts read per page, in characters: address-writing scripts are tiny.
MAX_SCRIPT_BUDGET = 4 * MAX_SCRIPT_CHARS
_DATA_SCRIPT_TYPES = ("application/ld+json", "application/json", "text/template", "text/html")
_BIDI_OVERRIDE_RULE = re.compile(
    r"\.([\w-]{1,60})\s*\{[^{}]{0,400}?unicode-bidi\s*:\s*bidi-override", re.I
)
# A script reading an attribute and transforming it: `e.getAttribute('data-r').split('')
# .reverse().join('')`, `e.dataset.mail.replace('#', '@')`.
_CALL_CHAIN = r"((?:\s*\.\s*\w+\((?:[^()'\"]|'[^']*'|\"[^\"]*\"){0,80}\)){0,8})"
_ATTRIBUTE_READ = re.compile(r"getAttribute\(\s*(['\"])([\w:-]{1,40})\1\s*\)" + _CALL_CHAIN)
_DATASET_READ = re.compile(r"\.dataset\.(\w{1,40})" + _CALL_CHAIN)
# Several attributes of one element joined into an address:
# `el.dataset.name + '@' + el.dataset.domain + '.' + el.dataset.tld`.
_READ_TERM = (
    r"[\w$]+(?:\.[\w$]+)*\.(?:getAttribute\(\s*['\"][\w:-]{1,40}['\"]\s*\)|dataset\.\w{1,40})"
)
_TERM = rf"(?:{_READ_TERM}|'[^'\n]{{0,40}}'|\"[^\"\n]{{0,40}}\")"
_JOINED_READS = re.compile(rf"{_TERM}(?:\s*\+\s*{_TERM}){{1,10}}")
_ANY_READ = re.compile(_READ_TERM)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass
class RevealedEmails:
    # Address → method ("cfemail", "joomla_cloak", "js_concat", "css_reversed").
    methods: dict[str, str] = field(default_factory=dict)
    # Addresses written whole inside scripts: often configuration of third-party tools.
    script_literals: list[str] = field(default_factory=list)


def reveal_emails(tree: LexborHTMLParser) -> RevealedEmails:
    revealed = RevealedEmails()
    _reveal_cloudflare(tree, revealed)
    _reveal_joomla(tree, revealed)
    _reveal_scripts(tree, revealed)
    _reveal_reversed_text(tree, revealed)
    _remove_decoys(tree)
    return revealed


def _replace_with_text(node: LexborNode, text: str) -> None:
    node.insert_before(f" {text} ")
    node.decompose()


def _reveal_cloudflare(tree: LexborHTMLParser, revealed: RevealedEmails) -> None:
    for node in tree.css("[data-cfemail]")[:MAX_DISGUISED_NODES]:
        address = acceptable_address(
            decode_cfemail(node.attributes.get("data-cfemail") or "") or ""
        )
        if address is None:
            continue
        revealed.methods.setdefault(address, "cfemail")
        _replace_with_text(node, address)
    for node in tree.css('a[href*="email-protection#"]')[:MAX_DISGUISED_NODES]:
        address = acceptable_address(
            decode_protection_href(node.attributes.get("href") or "") or ""
        )
        if address is None:
            continue
        revealed.methods.setdefault(address, "cfemail")
        node.attrs["href"] = f"mailto:{address}"


def _reveal_joomla(tree: LexborHTMLParser, revealed: RevealedEmails) -> None:
    """Joomla's email cloaking: <joomla-hidden-mail first="…" last="…"> holds the local part
    and the domain, each in base64, and a script writes the link."""
    for node in tree.css("joomla-hidden-mail")[:MAX_DISGUISED_NODES]:
        local, domain = (_base64_text(node.attributes.get(key)) for key in ("first", "last"))
        address = acceptable_address(f"{local}@{domain}") if local and domain else None
        if address is None:
            continue
        revealed.methods.setdefault(address, "joomla_cloak")
        _replace_with_text(node, address)


def _base64_text(value: str | None) -> str | None:
    if not value or len(value) > 400:
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _reveal_scripts(tree: LexborHTMLParser, revealed: RevealedEmails) -> None:
    budget = MAX_SCRIPT_BUDGET
    for node in tree.css("script"):
        if budget <= 0:
            break
        if (node.attributes.get("type") or "").strip().lower() in _DATA_SCRIPT_TYPES:
            continue
        source = node.text(deep=True)
        budget -= len(source)
        found = emails_in_script(source)
        for address in found.assembled:
            revealed.methods.setdefault(address, "js_concat")
        for address in found.literal:
            if address not in revealed.script_literals:
                revealed.script_literals.append(address)
        if found.assembled:
            # What document.write would have put there.
            node.insert_before(f" {' '.join(found.assembled)} ")
    _reveal_attribute_scripts(tree, revealed)
    for node in tree.css("[onclick]")[:MAX_DISGUISED_NODES]:
        found = emails_in_script(node.attributes.get("onclick") or "")
        for address in found.assembled + found.literal:
            revealed.methods.setdefault(address, "js_concat")
            if node.tag == "a":
                node.attrs["href"] = f"mailto:{address}"


def _reveal_attribute_scripts(tree: LexborHTMLParser, revealed: RevealedEmails) -> None:
    """Addresses kept in attributes and decoded by a script into the element."""
    reads: set[tuple[str, str]] = set()
    for node in tree.css("script")[:200]:
        source = node.text(deep=True)[:MAX_SCRIPT_CHARS]
        if "getAttribute" in source or "dataset" in source:
            reads.update((m.group(2), m.group(3)) for m in _ATTRIBUTE_READ.finditer(source))
            reads.update(
                (_data_attribute(m.group(1)), m.group(2)) for m in _DATASET_READ.finditer(source)
            )
    _reveal_joined_attributes(tree, revealed)
    for attribute, chain in sorted(reads)[:20]:
        for node in tree.css(f"[{_css_identifier(attribute)}]")[:MAX_DISGUISED_NODES]:
            value = node.attributes.get(attribute) or ""
            # Fold the same transformation over the attribute's value: still nothing runs.
            found = emails_in_script(json.dumps(value) + chain)
            addresses = found.assembled + found.literal
            for address in addresses:
                revealed.methods.setdefault(address, "js_concat")
            if addresses:
                node.insert_child(f" {' '.join(addresses)} ")


def _reveal_joined_attributes(tree: LexborHTMLParser, revealed: RevealedEmails) -> None:
    """Scripts that join several attributes of one element into its address: each element
    holding all of them gets the expression folded over its own values."""
    expressions: dict[str, list[str]] = {}
    for node in tree.css("script")[:200]:
        source = node.text(deep=True)[:MAX_SCRIPT_CHARS]
        if "getAttribute" not in source and "dataset" not in source:
            continue
        for match in _JOINED_READS.finditer(source):
            attributes = [_attribute_of(read) for read in _ANY_READ.findall(match.group())]
            if len(set(attributes)) > 1:
                expressions.setdefault(match.group(), attributes)
    for expression, attributes in list(expressions.items())[:20]:
        selector = "".join(f"[{_css_identifier(a)}]" for a in dict.fromkeys(attributes))
        for node in tree.css(selector)[:MAX_DISGUISED_NODES]:
            values = node.attributes

            def value_of(read: re.Match[str], values: dict[str, str | None] = values) -> str:
                return json.dumps(values.get(_attribute_of(read.group())) or "")

            found = emails_in_script(_ANY_READ.sub(value_of, expression))
            for address in found.assembled:
                revealed.methods.setdefault(address, "js_concat")
            if found.assembled:
                node.insert_child(f" {' '.join(found.assembled)} ")


def _attribute_of(read: str) -> str:
    """The attribute a `getAttribute('x')` or `.dataset.x` read names."""
    if "getAttribute" in read:
        return read.split("(", 1)[1].strip(" )'\"")
    return _data_attribute(read.rsplit(".", 1)[1])


def _data_attribute(dataset_key: str) -> str:
    return "data-" + re.sub(r"(?=[A-Z])", "-", dataset_key).lower()


def _reveal_reversed_text(tree: LexborHTMLParser, revealed: RevealedEmails) -> None:
    """Text stored backwards and displayed forwards with `unicode-bidi: bidi-override`."""
    classes = set()
    for style in tree.css("style"):
        classes.update(_BIDI_OVERRIDE_RULE.findall(style.text(deep=True)[:MAX_SCRIPT_CHARS]))
    candidates = [
        n for n in tree.css("[style]") if "bidi-override" in (n.attributes.get("style") or "")
    ]
    for name in list(classes)[:50]:
        candidates.extend(tree.css(f".{_css_identifier(name)}"))
    for node in candidates[:MAX_DISGUISED_NODES]:
        backwards = node.text(deep=True)[:200]
        addresses = addresses_in(backwards[::-1])
        if not addresses:
            continue
        for address in addresses:
            revealed.methods.setdefault(address, "css_reversed")
        _replace_with_text(node, backwards[::-1])


def _remove_decoys(tree: LexborHTMLParser) -> None:
    """Remove hidden text planted inside an address ("anna<span style=display:none>xyz</span>@…").

    Hidden elements that stand apart from surrounding text are kept: a hidden address that a
    "show email" button reveals is still the address.
    """
    for node in tree.css("[style]")[:5000]:
        if not _HIDDEN_STYLE.search(node.attributes.get("style") or ""):
            continue
        if _touches_text(node.prev, at_end=True) or _touches_text(node.next, at_end=False):
            node.decompose()


def _touches_text(sibling: LexborNode | None, *, at_end: bool) -> bool:
    if sibling is None or sibling.tag != "-text":
        return False
    text = sibling.text_content or ""
    if not text:
        return False
    edge = text[-1] if at_end else text[0]
    return not edge.isspace()


def _css_identifier(name: str) -> str:
    return re.sub(r"([^\w-])", r"\\\1", name)
