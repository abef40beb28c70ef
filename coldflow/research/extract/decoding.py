"""Turn fetched bytes into text: the caller's encoding, a BOM, the page's own meta charset,
then charset-normalizer's guess."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Pages are cut here before decoding: everything we extract sits well within the first
# megabytes, and the cap keeps hostile multi-megabyte pages cheap.
MAX_HTML_BYTES = 2_000_000

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I
)
# WHATWG: these labels mean windows-1252 in browsers, and real "latin-1" pages use its
# extra characters (curly quotes, euro sign).
_BROWSER_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_html(data: bytes, encoding: str | None = None) -> str:
    data = data[:MAX_HTML_BYTES]
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    for label in (encoding, _declared_charset(data)):
        codec = _codec_name(label)
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            # A wrong declaration is common (latin-1 bytes under a utf-8 meta tag): keep looking.
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    codec = _codec_name(best.encoding if best else None) or "cp1252"
    return data.decode(codec, errors="replace")


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data, 0, 4096)
    return match.group(1).decode("ascii") if match else None


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _BROWSER_ALIASES.get(name, name)
