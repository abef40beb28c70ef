"""Whatever the input, extraction returns a result and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coldflow.research.extract import extract_page, extraction_to_json

_TAGS = [
    "div",
    "p",
    "span",
    "a",
    "table",
    "tr",
    "td",
    "dl",
    "dt",
    "dd",
    "li",
    "ul",
    "h3",
    "script",
    "time",
    "b",
    "br",
    "select",
    "option",
]
_PIECES = st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(
        [
            "Anna Schmidt",
            "Head of Sales",
            "anna [at] acme [dot] de",
            'href="mailto:x@acme.de"',
            '<a href="mailto:%ZZ@@">',
            '<span data-cfemail="5a">x</span>',
            '<script type="application/ld+json">{"@type": "Person", "name": ',
            "12. März 2025",
            "Tel: 030 1234567",
            "var u='a'; document.write(u+'@'+d)",
            "&#64;",
            "<!--",
            "\x00",
        ]
    ),
    st.text(max_size=30),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_PIECES, max_size=60),
    st.sampled_from(["https://acme.de/team", "http://x", "not a url", ""]),
)
def test_any_markup_yields_a_result(pieces: list[str], url: str) -> None:
    extraction = extract_page("".join(pieces), url)
    extraction_to_json("fuzz.html", extraction)


@settings(max_examples=60, deadline=None)
@given(
    st.binary(max_size=2000), st.sampled_from([None, "utf-8", "latin-1", "no-such-codec", "utf-16"])
)
def test_any_bytes_in_any_declared_encoding_yield_a_result(
    data: bytes, encoding: str | None
) -> None:
    extract_page(data, "https://acme.de/", encoding=encoding)
