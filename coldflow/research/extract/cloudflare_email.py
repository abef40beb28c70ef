"""Cloudflare's email obfuscation: the address XOR-ed with the first byte, hex encoded, in
`data-cfemail="…"` or in an `/cdn-cgi/l/email-protection#…` link."""

from __future__ import annotations

import re

_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){3,256}")
PROTECTION_PATH = "/cdn-cgi/l/email-protection"


def decode_cfemail(encoded: str) -> str | None:
    encoded = encoded.strip()
    if not _HEX.fullmatch(encoded):
        return None
    key = int(encoded[:2], 16)
    data = bytes(int(encoded[i : i + 2], 16) ^ key for i in range(2, len(encoded), 2))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_protection_href(href: str) -> str | None:
    """The address behind `/cdn-cgi/l/email-protection#<hex>`, if the link carries one."""
    path, hash_mark, fragment = href.partition("#")
    if not hash_mark or not path.endswith(PROTECTION_PATH):
        return None
    return decode_cfemail(fragment)
