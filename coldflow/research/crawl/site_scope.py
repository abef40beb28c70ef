"""Which URLs belong to the site being crawled: the same registrable domain (public-suffix
aware, from tldextract's bundled list, never fetched), so jobs.acme.de belongs to acme.de."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

_EXTRACT = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)


@lru_cache(maxsize=4096)
def site_key(host: str) -> str:
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return _EXTRACT(host).top_domain_under_public_suffix or host
    return host


def same_site(url: str, site: str) -> bool:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host is not None and site_key(host) == site
