"""Hostile and broken pages: bounded input, deep nesting, option floods, attribute floods,
multi-megabyte pages. Each must finish (these shapes take minutes without the bounds)."""

from __future__ import annotations

from coldflow.research.extract import extract_page
from coldflow.research.extract.markup_bounds import MAX_DEPTH, MAX_HTML_CHARS, bound_markup

URL = "https://acme.de/"
CARD = '<div class="member"><h3>Anna Schmidt</h3><p>Head of Sales</p><a href="mailto:anna@acme.de">Mail</a></div>'


def test_it_leaves_ordinary_markup_untouched() -> None:
    html = f"<html><body><ul><li>{CARD}</li></ul><table><tr><td>x</td></tr></table></body></html>"
    assert bound_markup(html) == html


def test_it_flattens_nesting_deeper_than_any_real_page() -> None:
    html = "<div>" * 200_000 + CARD + "</div>" * 200_000
    bounded = bound_markup(html)
    assert bounded.count("<div") <= MAX_DEPTH + 1
    extraction = extract_page(html, URL)
    assert [e.address for e in extraction.emails] == ["anna@acme.de"]


def test_it_survives_nested_lists_sections_and_unclosed_containers() -> None:
    for opening in ("<li><ul>", "<section>", "<blockquote>", "<ul><summary>", "<figure>"):
        extraction = extract_page(opening * 30_000 + CARD, URL)
        assert [e.address for e in extraction.emails] == ["anna@acme.de"], opening


def test_it_drops_option_floods() -> None:
    extraction = extract_page("<select>" + "<option>x" * 100_000 + "</select>" + CARD, URL)
    assert [p.name for p in extraction.people] == ["Anna Schmidt"]


def test_it_trims_tags_with_thousands_of_attributes() -> None:
    attributes = " ".join(f"a{i}=1" for i in range(20_000))
    extraction = extract_page(f"<div {attributes}>{CARD}</div>", URL)
    assert [p.title for p in extraction.people] == ["Head of Sales"]


def test_it_extracts_from_the_start_of_a_five_megabyte_page() -> None:
    filler = "<p>" + "Lorem ipsum dolor sit amet. " * 40 + "</p>\n"
    html = CARD + filler * (5_000_000 // len(filler) + 1)
    assert len(html) > 5_000_000
    extraction = extract_page(html, URL)
    assert [e.address for e in extraction.emails] == ["anna@acme.de"]


def test_it_ignores_everything_past_the_input_cap() -> None:
    html = "<p>" + "x " * (MAX_HTML_CHARS // 2) + '</p><a href="mailto:late@acme.de">late</a>'
    assert extract_page(html, URL).emails == []


def test_it_handles_empty_and_garbage_input() -> None:
    for html in (
        "",
        "   ",
        "<",
        "<<<>>>",
        "\x00\x01\x02",
        "</div></div>",
        "<!--",
        "<script>",
        "&#xFFFFFFF;",
    ):
        extraction = extract_page(html, URL)
        assert extraction.emails == []
        assert extraction.people == []
