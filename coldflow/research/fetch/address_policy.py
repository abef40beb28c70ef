"""Which IP addresses the fetcher may connect to: the decision at the heart of the SSRF guard."""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_NAT64_PREFIXES = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
)


def refusal_reason(
    address: str | IPAddress, *, allow_loopback: bool, allow_private: bool = False
) -> str | None:
    """Why connecting to `address` is refused, or None when it is a public address.

    IPv6 forms that carry an IPv4 address (mapped, 6to4, Teredo, NAT64) are also judged by
    the IPv4 address inside, since that is where the packets end up. `allow_private` lets
    private networks through (a mail server in the user's own network); link-local,
    multicast and reserved addresses stay refused.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"not an IP address: {str(address)[:60]}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        # The socket layer turns a mapped address into a plain IPv4 connection.
        category = _category(ip.ipv4_mapped, allow_loopback, allow_private)
        return None if category is None else f"{category} address ::ffff:{ip.ipv4_mapped}"
    for inner in _tunnelled_ipv4(ip):
        category = _category(inner, allow_loopback, allow_private)
        if category is not None:
            return f"{category} address {ip}"
    category = _category(ip, allow_loopback, allow_private)
    return None if category is None else f"{category} address {ip}"


def _category(ip: IPAddress, allow_loopback: bool, allow_private: bool) -> str | None:
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private or ip in _SHARED_ADDRESS_SPACE:
        return None if allow_private else "private"
    if not ip.is_global:
        return "reserved"
    return None


def _tunnelled_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    if isinstance(ip, ipaddress.IPv4Address):
        return []
    inner: list[ipaddress.IPv4Address] = []
    if ip.sixtofour is not None:
        inner.append(ip.sixtofour)
    if ip.teredo is not None:
        inner.extend(ip.teredo)
    if any(ip in prefix for prefix in _NAT64_PREFIXES):
        inner.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return inner
