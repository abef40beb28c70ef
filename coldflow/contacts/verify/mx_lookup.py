"""The MX step: a domain's mail hosts, by preference, and the addresses we may connect to."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal

import dns.asyncresolver
import dns.exception
import dns.resolver

from coldflow.contacts.verify.settings import VerifySettings
from coldflow.research.fetch.guarded_resolver import (
    AddressRefused,
    GuardedResolver,
    HostLookupFailed,
)
from coldflow.research.fetch.settings import FetchSettings

MxStatus = Literal["found", "no_mx", "null_mx", "no_domain", "error"]

# A hostile zone can publish thousands of MX records; the first few by preference are enough.
MAX_MX_HOSTS = 10
# Queries in flight at once: a burst of hundreds of UDP queries overflows a resolver's socket
# buffer and the lost ones only show up as timeouts.
DNS_IN_FLIGHT = 32


@dataclass(frozen=True, slots=True)
class MxAnswer:
    domain: str
    status: MxStatus
    # Host names, most preferred first.
    hosts: tuple[str, ...] = ()
    detail: str = ""


class MxResolver:
    """MX lookups and MX host address checks through one configured DNS resolver.

    Host addresses go through the research fetcher's guarded resolver, so the verifier refuses
    private and loopback MX hosts by the same rule the crawler refuses such web hosts.
    """

    def __init__(self, settings: VerifySettings) -> None:
        self._timeout = settings.dns_timeout
        self._resolver: dns.asyncresolver.Resolver | None = None
        self._setup_error = ""
        try:
            if settings.nameserver is None:
                self._resolver = dns.asyncresolver.Resolver()
            else:
                self._resolver = dns.asyncresolver.Resolver(configure=False)
                self._resolver.nameservers = [settings.nameserver]
                self._resolver.port = settings.nameserver_port
        except dns.exception.DNSException as error:
            self._setup_error = f"no usable DNS resolver configuration: {error}"
        if self._resolver is not None:
            # Two tries within the lifetime, so one lost datagram is not a failed lookup.
            self._resolver.timeout = settings.dns_timeout / 2
            self._resolver.lifetime = settings.dns_timeout
        self._in_flight = asyncio.Semaphore(DNS_IN_FLIGHT)
        self._hosts = GuardedResolver(
            FetchSettings(
                nameserver=settings.nameserver,
                nameserver_port=settings.nameserver_port,
                dns_timeout=settings.dns_timeout,
                allow_loopback=settings.allow_loopback,
            )
        )

    async def mx(self, domain: str) -> MxAnswer:
        if self._resolver is None:
            return MxAnswer(domain, "error", detail=self._setup_error)
        try:
            async with self._in_flight, asyncio.timeout(self._timeout + 1):
                answer = await self._resolver.resolve(domain, "MX", search=False)
        except dns.resolver.NXDOMAIN:
            return MxAnswer(domain, "no_domain", detail=f"{domain} does not exist (NXDOMAIN)")
        except dns.resolver.NoAnswer:
            return MxAnswer(domain, "no_mx", detail=f"{domain} publishes no MX record")
        except (TimeoutError, dns.exception.Timeout):
            return MxAnswer(domain, "error", detail=f"MX lookup for {domain} timed out")
        except dns.exception.DNSException as error:
            return MxAnswer(domain, "error", detail=f"MX lookup for {domain} failed: {error}")
        records = sorted(answer, key=lambda r: (r.preference, r.exchange.to_text()))
        hosts = [r.exchange.to_text(omit_final_dot=True).lower() for r in records]
        if all(not h.strip(".") for h in hosts):
            return MxAnswer(domain, "null_mx", detail=f"{domain} accepts no mail (null MX)")
        hosts = [h for h in dict.fromkeys(hosts) if h.strip(".")][:MAX_MX_HOSTS]
        return MxAnswer(domain, "found", tuple(hosts), detail=", ".join(hosts))

    async def host_addresses(self, host: str) -> list[str] | str:
        """The addresses we may connect to for an MX host, or why there are none."""
        try:
            async with self._in_flight:
                return await self._hosts.vet(host)
        except AddressRefused as error:
            return f"MX host {host} {error}"
        except HostLookupFailed as error:
            return f"MX host {host}: {error}"

    async def close(self) -> None:
        await self._hosts.close()
