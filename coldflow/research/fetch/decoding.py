"""Turn a page's bytes into text: the charset from the Content-Type header, a byte order mark,
the page's own <meta> declaration, or, when none is given, charset-normalizer's guess."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Browsers read these labels as their supersets; so do we, or curly quotes and euro signs
# on "ISO-8859-1" pages would come out as control characters.
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# Where the HTML spec looks for a <meta> charset.
_PRESCAN_BYTES = 1024 * 4
_SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    # "header", "bom", "meta", "detected" or "default": how the encoding was chosen.
    source: str


def decode_body(body: bytes, content_type: str | None) -> DecodedText:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return DecodedText(body[len(bom) :].decode(encoding, errors="replace"), encoding, "bom")
    declared = _codec(_first_group(_HEADER_CHARSET, content_type or ""))
    if declared is not None:
        return DecodedText(body.decode(declared, errors="replace"), declared, "header")
    meta = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    declared = _codec(meta.group(1).decode("ascii", errors="ignore") if meta else None)
    # A page cannot be UTF-16 if its declaration was readable as ASCII.
    if declared is not None and not declared.startswith("utf-16"):
        return DecodedText(body.decode(declared, errors="replace"), declared, "meta")
    try:
        return DecodedText(body.decode("utf-8"), "utf-8", "default")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(body[:_SNIFF_BYTES]).best()
    detected = _codec(guess.encoding if guess is not None else None)
    if detected is not None:
        return DecodedText(body.decode(detected, errors="replace"), detected, "detected")
    return DecodedText(body.decode("cp1252", errors="replace"), "cp1252", "default")


def _first_group(pattern: re.Pattern[str], value: str) -> str | None:
    match = pattern.search(value)
    return match.group(1) if match else None


def _codec(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None for an unknown label."""
    if not label:
        return None
    label = label.strip().lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Declared "utf-7" and friends are an old XSS trick and never a real web page's encoding.
    if info.name in ("utf-7", "rot-13") or not _is_text_codec(info):
        return None
    return _WHATWG_ALIASES.get(info.name, info.name)


def _is_text_codec(info: codecs.CodecInfo) -> bool:
    return getattr(info, "_is_text_encoding", True)
