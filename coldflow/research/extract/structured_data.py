"""JSON-LD and microdata items, in one JSON-LD-like shape: a dict with "@type" and properties,
nested items as nested dicts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from extruct.utils import parse_html
from extruct.w3cmicrodata import LxmlMicrodataExtractor

from coldflow.research.extract.page import Page

MAX_ITEMS = 1000
_MAX_NESTING = 12
_MAX_JSONLD_CHARS = 1_000_000
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass(frozen=True, slots=True)
class StructuredItem:
    # Short schema.org names: "Person", "Organization", "PostalAddress".
    types: frozenset[str]
    properties: dict[str, Any]
    # "jsonld" or "microdata".
    method: str
    # The types of the nearest item this one is nested in (a Review for its author).
    within: frozenset[str] = frozenset()


def structured_items(page: Page) -> list[StructuredItem]:
    items: list[StructuredItem] = []
    budget = _MAX_JSONLD_CHARS
    for source in page.jsonld_sources:
        if budget <= 0:
            break
        budget -= len(source)
        document = _parse_jsonld(source)
        if document is not None:
            _collect(document, "jsonld", items)
    # Only a gate for the microdata parser (which finds itemscope attributes itself): a plain
    # substring test is several times faster than a case-insensitive regex over the markup.
    if "itemscope" in page.html.lower():
        for document in _microdata(page):
            _collect(document, "microdata", items)
    return items[:MAX_ITEMS]


def of_type(items: list[StructuredItem], *types: str) -> list[StructuredItem]:
    wanted = frozenset(types)
    return [item for item in items if item.types & wanted]


def text_value(value: Any) -> str | None:
    """The first plain text of a property value (string, number, list, or nested item)."""
    if isinstance(value, list):
        for element in value:
            text = text_value(element)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return text_value(value.get("@value") or value.get("name") or value.get("@id"))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = " ".join(str(value).split())
        return text or None
    return None


def text_values(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [text for v in values[:50] if (text := text_value(v))]


def short_type(name: str) -> str:
    return name.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1]


def _parse_jsonld(source: str) -> Any:
    text = source.strip()
    # CMS output wraps JSON-LD in HTML comments or CDATA markers.
    for prefix, suffix in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            text = text[: -len(suffix)] if text.rstrip().endswith(suffix) else text
            text = text.strip()
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _microdata(page: Page) -> list[dict[str, Any]]:
    try:
        document = parse_html(page.html.encode("utf-8"), "utf-8")
        extracted = LxmlMicrodataExtractor().extract_items(document, page.url)
    except (ValueError, TypeError, RecursionError):
        return []
    return [
        converted for item in extracted if isinstance(converted := _from_extruct(item, 0), dict)
    ]


def _from_extruct(value: Any, depth: int) -> Any:
    """extruct's {"type", "properties"} items → JSON-LD shaped dicts."""
    if depth > _MAX_NESTING:
        return None
    if isinstance(value, list):
        return [_from_extruct(v, depth + 1) for v in value[:100]]
    if isinstance(value, dict) and "properties" in value:
        types = value.get("type") or []
        converted: dict[str, Any] = {"@type": types if isinstance(types, list) else [types]}
        for key, property_value in value["properties"].items():
            converted[key] = _from_extruct(property_value, depth + 1)
        return converted
    return value


def _collect(document: Any, method: str, items: list[StructuredItem]) -> None:
    stack: list[tuple[Any, int, frozenset[str]]] = [(document, 0, frozenset())]
    while stack and len(items) < MAX_ITEMS:
        value, depth, within = stack.pop()
        if depth > _MAX_NESTING:
            continue
        if isinstance(value, list):
            stack.extend((element, depth + 1, within) for element in reversed(value[:500]))
            continue
        if not isinstance(value, dict):
            continue
        types = value.get("@type")
        names = types if isinstance(types, list) else [types]
        short = frozenset(short_type(t) for t in names if isinstance(t, str))
        if short:
            items.append(StructuredItem(short, value, method, within))
            within = short
        for child in reversed(list(value.values())[:200]):
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1, within))
