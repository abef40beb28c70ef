"""The SSRF guard: every address the fetcher connects to is resolved and vetted here, once.

aiohttp asks this resolver for the addresses of every host it connects to, including each
redirect hop, and connects to exactly the addresses returned; nothing else resolves names.
A socket factory repeats the address check at connect time, so an address that never went
through the resolver (an IP literal in a URL) is refused too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time

import dns.asyncresolver
import dns.exception
import dns.resolver
from aiohappyeyeballs import AddrInfoType, SocketFactoryType
from aiohttp.abc import AbstractResolver, ResolveResult

from coldflow.research.fetch.address_policy import refusal_reason
from coldflow.research.fetch.settings import FetchSettings

# Long enough for one site's crawl, short enough that a worker does not pin stale answers.
_CACHE_SECONDS = 300.0
_CACHE_ENTRIES = 10_000
# Lookups in flight at once: a crawl starting hundreds of sites must not flood the resolver
# (or the system resolver's thread pool) and see its own lookups time out. The lookup
# timeout counts from when a lookup gets its turn.
_LOOKUPS_AT_ONCE = 32


class AddressRefused(OSError):
    """The host resolves to an address the fetcher must not connect to."""


class HostLookupFailed(OSError):
    """The host name could not be resolved."""


class GuardedResolver(AbstractResolver):
    def __init__(self, settings: FetchSettings) -> None:
        self._allow_loopback = settings.allow_loopback
        self._port_map = dict(settings.port_map)
        self._timeout = settings.dns_timeout
        self._dns: dns.asyncresolver.Resolver | None = None
        if settings.nameserver is not None:
            self._dns = dns.asyncresolver.Resolver(configure=False)
            self._dns.nameservers = [settings.nameserver]
            self._dns.port = settings.nameserver_port
            self._dns.timeout = settings.dns_timeout
            self._dns.lifetime = settings.dns_timeout
        self._lookups: dict[str, tuple[float, asyncio.Task[list[str]]]] = {}
        self._lookup_turns = asyncio.Semaphore(_LOOKUPS_AT_ONCE)

    async def vet(self, host: str) -> list[str]:
        """The addresses of `host`, all of them allowed; raises AddressRefused or
        HostLookupFailed. Answers are cached, so a later connection uses the same addresses."""
        host = host.lower().rstrip(".")
        if _is_ip_literal(host):
            return self._checked(host, [host.strip("[]")])
        now = time.monotonic()
        entry = self._lookups.get(host)
        if entry is None or entry[0] < now:
            if len(self._lookups) >= _CACHE_ENTRIES:
                del self._lookups[next(iter(self._lookups))]
            entry = (now + _CACHE_SECONDS, asyncio.ensure_future(self._lookup(host)))
            self._lookups[host] = entry
        task = entry[1]
        if task.done():
            return task.result()
        # Shielded: one caller's cancellation must not fail the lookup other callers share.
        return await asyncio.shield(task)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await self.vet(host)
        mapped_port = self._port_map.get(port, port)
        results: list[ResolveResult] = []
        for address in addresses:
            address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
            if family not in (socket.AF_UNSPEC, address_family):
                continue
            results.append(
                {
                    "hostname": host,
                    "host": address,
                    "port": mapped_port,
                    "family": address_family,
                    "proto": 0,
                    "flags": socket.AI_NUMERICHOST,
                }
            )
        if not results:
            raise HostLookupFailed(f"dns: no usable address for {host}")
        return results

    async def close(self) -> None:
        for _, task in self._lookups.values():
            task.cancel()
        self._lookups.clear()

    async def _lookup(self, host: str) -> list[str]:
        try:
            async with self._lookup_turns, asyncio.timeout(self._timeout):
                if self._dns is None:
                    addresses = await _system_lookup(host)
                else:
                    addresses = await self._nameserver_lookup(self._dns, host)
        except TimeoutError:
            raise HostLookupFailed(f"dns: lookup timed out for {host}") from None
        if not addresses:
            raise HostLookupFailed(f"dns: no address for {host}")
        return self._checked(host, addresses)

    async def _nameserver_lookup(
        self, resolver: dns.asyncresolver.Resolver, host: str
    ) -> list[str]:
        answers = await asyncio.gather(
            resolver.resolve(host, "A", search=False, raise_on_no_answer=False),
            resolver.resolve(host, "AAAA", search=False, raise_on_no_answer=False),
            return_exceptions=True,
        )
        addresses: list[str] = []
        for answer in answers:
            if isinstance(answer, dns.resolver.NXDOMAIN):
                raise HostLookupFailed(f"dns: no such host {host}")
            if isinstance(answer, dns.exception.DNSException):
                continue
            if isinstance(answer, BaseException):
                raise answer
            addresses.extend(record.to_text() for record in answer)
        if not addresses and all(isinstance(a, dns.exception.DNSException) for a in answers):
            raise HostLookupFailed(f"dns: lookup failed for {host}")
        return addresses

    def _checked(self, host: str, addresses: list[str]) -> list[str]:
        # One bad address refuses the host: a name that mixes public and internal addresses
        # is more likely an attack than a misconfiguration worth working around.
        for address in addresses:
            reason = refusal_reason(address, allow_loopback=self._allow_loopback)
            if reason is not None:
                raise AddressRefused(f"refused: {reason}")
        return list(dict.fromkeys(addresses))


async def _system_lookup(host: str) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        if error.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):
            raise HostLookupFailed(f"dns: no such host {host}") from None
        raise HostLookupFailed(f"dns: lookup failed for {host}") from None
    except UnicodeError:
        raise HostLookupFailed(f"dns: invalid host name {host[:80]}") from None
    return [str(sockaddr[0]) for *_, sockaddr in infos]


def guarded_socket_factory(allow_loopback: bool) -> SocketFactoryType:
    def create(addr_info: AddrInfoType) -> socket.socket:
        family, type_, proto, _, sockaddr = addr_info
        reason = refusal_reason(sockaddr[0], allow_loopback=allow_loopback)
        if reason is not None:
            raise AddressRefused(f"refused: {reason}")
        return socket.socket(family=family, type=type_, proto=proto)

    return create


def _is_ip_literal(host: str) -> bool:
    # Checked before every request: a name is told apart without parsing it. An IPv4 literal
    # ends with a digit and an IPv6 one holds a colon; a host name's last label is never all
    # digits (no top-level domain is).
    if ":" not in host and not host[-1:].isdigit():
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
