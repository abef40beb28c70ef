"""Remembered verification results and domain facts, each with an expiry.

The pipeline talks to the VerificationCache protocol; MemoryCache keeps everything in this
process. A database-backed cache implements the same four methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from coldflow.contacts.verify.mx_lookup import MxAnswer
from coldflow.contacts.verify.result import VerificationResult


@dataclass(frozen=True, slots=True)
class DomainFacts:
    domain: str
    mx: MxAnswer
    # Unix time of the MX lookup.
    mx_checked_at: float
    # None until a catch-all probe gave a clear answer.
    catch_all: bool | None = None
    catch_all_checked_at: float | None = None


class VerificationCache(Protocol):
    """Keys are lower-case addresses and lower-case ASCII domains; `now` is Unix time."""

    async def get_result(self, address: str, now: float) -> VerificationResult | None: ...

    async def put_result(
        self, address: str, result: VerificationResult, expires_at: float
    ) -> None: ...

    async def get_domain(self, domain: str, now: float) -> DomainFacts | None: ...

    async def put_domain(self, facts: DomainFacts, expires_at: float) -> None: ...


class MemoryCache:
    """A VerificationCache in a dict; expired entries are dropped when read."""

    def __init__(self) -> None:
        self._results: dict[str, tuple[float, VerificationResult]] = {}
        self._domains: dict[str, tuple[float, DomainFacts]] = {}

    async def get_result(self, address: str, now: float) -> VerificationResult | None:
        entry = self._results.get(address)
        if entry is None or entry[0] <= now:
            self._results.pop(address, None)
            return None
        return entry[1]

    async def put_result(self, address: str, result: VerificationResult, expires_at: float) -> None:
        self._results[address] = (expires_at, result)

    async def get_domain(self, domain: str, now: float) -> DomainFacts | None:
        entry = self._domains.get(domain)
        if entry is None or entry[0] <= now:
            self._domains.pop(domain, None)
            return None
        return entry[1]

    async def put_domain(self, facts: DomainFacts, expires_at: float) -> None:
        self._domains[facts.domain] = (expires_at, facts)
