"""Decoding fetched bytes: caller's encoding, BOM, meta charset, detection; latin-1 pages."""

from __future__ import annotations

from coldflow.research.extract import extract_page
from coldflow.research.extract.decoding import MAX_HTML_BYTES, decode_html

PAGE = "<html><head>{meta}</head><body><p>Geschäftsführer: Jürgen Weiß – „Qualität“ für 129 €</p></body></html>"
TEXT = "Geschäftsführer: Jürgen Weiß – „Qualität“ für 129 €"


def test_it_uses_the_encoding_the_caller_names() -> None:
    data = PAGE.format(meta="").encode("cp1252")
    assert TEXT in decode_html(data, "windows-1252")


def test_it_reads_windows_1252_pages_declared_as_iso_8859_1() -> None:
    # Browsers read "iso-8859-1" as windows-1252, and real pages rely on it for „“ and €.
    data = PAGE.format(
        meta='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    ).encode("cp1252")
    assert TEXT in decode_html(data)


def test_it_follows_the_meta_charset() -> None:
    data = PAGE.format(meta='<meta charset="utf-16le">').replace("€", "EUR").encode("utf-16-le")
    assert "Jürgen Weiß" in decode_html(data)


def test_it_detects_undeclared_latin_1() -> None:
    data = (
        PAGE.format(meta="")
        .replace("„", '"')
        .replace("“", '"')
        .replace("€", "EUR")
        .replace("–", "-")
        .encode("latin-1")
    )
    assert "Geschäftsführer: Jürgen Weiß" in decode_html(data)


def test_it_prefers_a_bom_and_survives_a_wrong_declaration() -> None:
    assert "Jürgen" in decode_html(b"\xef\xbb\xbf" + "<p>Jürgen</p>".encode())
    mislabelled = '<meta charset="utf-8"><p>Jürgen Weiß</p>'.encode("cp1252")
    assert "Jürgen Weiß" in decode_html(mislabelled)


def test_it_cuts_oversized_input_before_decoding() -> None:
    assert len(decode_html(b"a" * (MAX_HTML_BYTES + 1000))) == MAX_HTML_BYTES


def test_extract_page_accepts_bytes() -> None:
    data = (
        '<meta charset="iso-8859-1"><p>Kontakt: jürgen.weiß (at) müller-bau (punkt) de</p>'.encode(
            "latin-1"
        )
    )
    assert [e.address for e in extract_page(data, "https://müller-bau.de/").emails] == [
        "jürgen.weiß@müller-bau.de"
    ]
