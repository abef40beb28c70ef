"""Recognise, normalise and vet email addresses."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

import tldextract

from coldflow.research.extract.email_rejects import (
    ASSET_NAME,
    MACHINE_LOCAL_PART,
    NO_REPLY_LOCAL_PART,
    PLACEHOLDER_DOMAIN_NAMES,
    PLACEHOLDER_DOMAINS,
    PLACEHOLDER_LOCAL_PARTS,
    TRACKING_DOMAINS,
)

# Conservative on purpose: text around addresses on web pages is full of punctuation that RFC
# 5322 would allow in a local part (quotes, slashes, equals signs from markup and URLs).
EMAIL_PATTERN = re.compile(
    r"(?<![\w.%+\-@])"
    r"([\w%+\-](?:[\w.%+\-]{0,62}[\w%+\-])?)"
    r"@"
    r"((?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.){1,8}(?:xn--[a-z0-9\-]{2,59}|[^\W\d_]{2,24}))"
    r"(?![\w\-@]|\.[^\W_])",
)
# JSON or JavaScript escapes stuck to the front of an address ("\u003eanna@…" in page source).
_ESCAPE_PREFIX = re.compile(r"^(?:u00[0-9a-f]{2})+", re.I)

# The public suffix list snapshot bundled with tldextract: no network access, ever.
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def addresses_in(text: str) -> list[str]:
    """Every acceptable address written plainly in the text, normalised, in order."""
    if "@" not in text:
        return []
    found = []
    for match in EMAIL_PATTERN.finditer(text):
        local, domain = match.group(1), match.group(2)
        address = acceptable_address(f"{local}@{domain}")
        # Text glued on by broken markup ("acme.de.Weiter"): drop labels off the end while the
        # domain has no public suffix.
        while address is None and domain.count(".") > 1 and _split_host(domain.lower()) is None:
            domain = domain.rsplit(".", 1)[0]
            address = acceptable_address(f"{local}@{domain}")
        if address is not None:
            found.append(address)
    return found


def address_from_mailto(href: str) -> list[str]:
    """Addresses of a mailto: link (several may be comma-separated; ?subject etc. ignored)."""
    target = href.strip()[len("mailto:") :].split("?", 1)[0]
    found = []
    for part in unquote(target).split(","):
        address = acceptable_address(part.strip())
        if address is not None:
            found.append(address)
    return found


def acceptable_address(candidate: str) -> str | None:
    """The normalised address, or None when it is malformed or not a real contact address."""
    candidate = candidate.strip().strip(".").lower()
    if candidate.startswith("mailto:"):
        candidate = candidate[len("mailto:") :]
    local, at, domain = candidate.rpartition("@")
    if not at:
        return None
    local = _ESCAPE_PREFIX.sub("", local)
    if not _plausible_syntax(local, domain):
        return None
    if _rejected(local, domain):
        return None
    return f"{local}@{domain}"


def registrable_domain(host: str) -> str | None:
    parts = _split_host(host.lower().rstrip("."))
    return f"{parts[0]}.{parts[1]}" if parts else None


@lru_cache(maxsize=4096)
def _split_host(host: str) -> tuple[str, str] | None:
    result = _SUFFIXES(host)
    if not result.suffix or not result.domain:
        return None
    return result.domain, result.suffix


def _plausible_syntax(local: str, domain: str) -> bool:
    if not (0 < len(local) <= 64 and 3 < len(domain) <= 253):
        return False
    if local[0] == "." or local[-1] == "." or ".." in local or "%" in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or any(not label or len(label) > 63 for label in labels):
        return False
    if any(label[0] == "-" or label[-1] == "-" for label in labels):
        return False
    # Malformed or invented TLDs ("acme.c0m", "acme.comm", "x.local") are not on the list.
    return _split_host(domain) is not None


def _rejected(local: str, domain: str) -> bool:
    address = f"{local}@{domain}"
    if ASSET_NAME.search(address):
        return True
    name, suffix = _split_host(domain) or ("", "")
    registrable = f"{name}.{suffix}"
    if name in PLACEHOLDER_DOMAIN_NAMES or registrable in PLACEHOLDER_DOMAINS:
        return True
    if local in PLACEHOLDER_LOCAL_PARTS:
        return True
    if registrable in TRACKING_DOMAINS or domain in TRACKING_DOMAINS:
        return True
    return bool(NO_REPLY_LOCAL_PART.match(local) or MACHINE_LOCAL_PART.match(local))
