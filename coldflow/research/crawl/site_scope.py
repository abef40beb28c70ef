"""Which URLs belong to the site being crawled: the same registrable domain, so jobs.acme.de
belongs to acme.de. Discover's public-suffix rules decide (one definition of a company's
domain); hosts without a registrable domain (IP addresses, bare names) stand for themselves."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from coldflow.discover.domains import registrable_domain


@lru_cache(maxsize=4096)
def site_key(host: str) -> str:
    host = host.lower().rstrip(".")
    return registrable_domain(host) or host


def same_site(url: str, site: str) -> bool:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host is not None and site_key(host) == site
