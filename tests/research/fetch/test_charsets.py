import asyncio
import codecs

import pytest
from aiohttp import web

from coldflow.research.fetch import Fetcher
from coldflow.research.fetch.decoding import decode_body
from tests.research.fetch.local_network import DnsServer, VirtualHosts, sandbox_settings

GERMAN = "Über uns – Geschäftsführer Jürgen Müßig, „Qualität“ für 5 €"


def test_the_header_charset_wins() -> None:
    decoded = decode_body(GERMAN.encode("cp1252"), "text/html; charset=windows-1252")
    assert (decoded.text, decoded.encoding, decoded.source) == (GERMAN, "cp1252", "header")


def test_iso_8859_1_is_read_as_windows_1252_like_browsers_do() -> None:
    decoded = decode_body(GERMAN.encode("cp1252"), 'text/html; charset="ISO-8859-1"')
    assert decoded.text == GERMAN


def test_a_meta_charset_is_used_without_a_header() -> None:
    html = f'<html><head><meta charset="iso-8859-15"></head><body>{GERMAN}</body></html>'
    decoded = decode_body(html.encode("iso-8859-15", errors="replace"), "text/html")
    assert decoded.source == "meta" and decoded.encoding == "iso8859-15"
    assert "Geschäftsführer Jürgen Müßig" in decoded.text


def test_an_http_equiv_meta_charset_is_used() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        f"</head><body>{GERMAN}</body></html>"
    )
    decoded = decode_body(html.encode("cp1252"), None)
    assert decoded.source == "meta" and GERMAN in decoded.text


def test_an_undeclared_windows_1252_page_is_detected() -> None:
    text = (GERMAN + " Wir liefern Qualität aus Baden-Württemberg. ") * 20
    decoded = decode_body(f"<html><body>{text}</body></html>".encode("cp1252"), "text/html")
    assert decoded.source == "detected"
    assert "Geschäftsführer Jürgen Müßig" in decoded.text


def test_undeclared_utf_8_is_read_as_utf_8() -> None:
    decoded = decode_body(GERMAN.encode(), "text/html")
    assert (decoded.text, decoded.encoding) == (GERMAN, "utf-8")


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_a_byte_order_mark_beats_a_wrong_header(bom: bytes, encoding: str) -> None:
    decoded = decode_body(bom + GERMAN.encode(encoding), "text/html; charset=iso-8859-1")
    assert decoded.text == GERMAN


def test_unknown_and_dangerous_charset_labels_are_ignored() -> None:
    assert decode_body(GERMAN.encode(), "text/html; charset=klingon-8").text == GERMAN
    assert decode_body(b"+ADw-script+AD4-", "text/html; charset=utf-7").text == "+ADw-script+AD4-"
    assert decode_body(b"aGVsbG8=", "text/html; charset=base64").text == "aGVsbG8="


def test_broken_bytes_never_raise() -> None:
    decoded = decode_body(b"\xfa\xfb<p>\x80\x81\x82</p>\xc3", "text/html; charset=utf-8")
    assert "<p>" in decoded.text


def test_the_fetcher_decodes_a_latin_1_page_from_its_header(dns: DnsServer) -> None:
    dns.records["acme.example"] = ["127.0.0.1"]

    async def latin(request: web.Request) -> web.Response:
        return web.Response(
            body=f"<p>{GERMAN}</p>".encode("cp1252"),
            headers={"Content-Type": "text/html; charset=ISO-8859-1"},
        )

    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("acme.example", {"/": latin})
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                result = await fetcher.get("http://acme.example/")
        assert result.ok and GERMAN in result.text
        assert result.encoding == "cp1252"

    asyncio.run(scenario())
