"""The verification cache in the database: a second run over the same addresses probes nothing.

Verification runs in an event loop, where Django's ORM may not be used, so the cache reads what
the database remembers about a whole batch before the run (one query for the addresses, one for
their domains) and writes what the run learned afterwards. Results live in CachedVerification
until the expiry the pipeline gave them; domain facts (MX hosts, catch-all) on DomainInfo, fresh
for `domain_ttl` after their own check.

    results = verify_with_database(addresses, settings)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import transaction

from coldflow.contacts.models import CachedVerification, DomainInfo
from coldflow.contacts.verify import (
    DomainFacts,
    MemoryCache,
    Step,
    VerificationResult,
    VerifySettings,
    VerifyStats,
    verify_many,
)
from coldflow.contacts.verify.bundled_lists import provider_for
from coldflow.contacts.verify.mx_lookup import MxAnswer
from coldflow.contacts.verify.syntax import parse_address


def verify_with_database(
    addresses: Sequence[str],
    settings: VerifySettings,
    stats: VerifyStats | None = None,
    *,
    fresh: bool = False,
) -> list[VerificationResult]:
    """verify_many with the database as its cache (from synchronous code). `fresh` probes
    again whatever is cached, and remembers the new results."""
    cache = DatabaseCache(settings)
    if not fresh:
        cache.load(addresses)
    results = asyncio.run(verify_many(addresses, settings, cache, stats))
    cache.save()
    return results


class DatabaseCache(MemoryCache):
    """A VerificationCache whose memory is filled from the database and written back to it."""

    def __init__(self, settings: VerifySettings) -> None:
        super().__init__()
        self.settings = settings
        self._new_results: dict[str, tuple[float, VerificationResult]] = {}
        self._new_domains: dict[str, DomainFacts] = {}

    def load(self, addresses: Sequence[str], now: float | None = None) -> None:
        now = time.time() if now is None else now
        keys = {a.strip().lower() for a in addresses}
        domains = set()
        for key in keys:
            parsed = parse_address(key)
            if not isinstance(parsed, str):
                domains.add(parsed.ascii_domain)
        moment = _at(now)
        for row in _chunked(CachedVerification.objects, "address", keys, expires_at__gt=moment):
            self._results[row.address] = (row.expires_at.timestamp(), _result(row.result))
        for info in _chunked(DomainInfo.objects, "domain", domains, mx_checked_at__isnull=False):
            facts = _facts(info, now, self.settings.domain_ttl)
            if facts is not None:
                expires = info.mx_checked_at.timestamp() + self.settings.domain_ttl
                self._domains[info.domain] = (expires, facts)

    async def put_result(self, address: str, result: VerificationResult, expires_at: float) -> None:
        await super().put_result(address, result, expires_at)
        self._new_results[address] = (expires_at, result)

    async def put_domain(self, facts: DomainFacts, expires_at: float) -> None:
        await super().put_domain(facts, expires_at)
        self._new_domains[facts.domain] = facts

    @transaction.atomic
    def save(self) -> None:
        """Write what the last run learned."""
        if self._new_results:
            CachedVerification.objects.bulk_create(
                [
                    CachedVerification(
                        address=address,
                        result=result.to_dict(),
                        checked_at=_at(result.checked_at),
                        expires_at=_at(expires_at),
                    )
                    for address, (expires_at, result) in sorted(self._new_results.items())
                    # Longer is no address at all; not worth remembering.
                    if len(address) <= 320
                ],
                update_conflicts=True,
                unique_fields=["address"],
                update_fields=["result", "checked_at", "expires_at"],
            )
        for facts in self._new_domains.values():
            provider = provider_for(facts.mx.hosts) if facts.mx.status == "found" else None
            DomainInfo.objects.update_or_create(
                domain=facts.domain,
                defaults={
                    "has_mx": facts.mx.status == "found",
                    "mx_hosts": list(facts.mx.hosts),
                    "mx_status": facts.mx.status,
                    "mx_detail": facts.mx.detail[:1000],
                    "mx_checked_at": _at(facts.mx_checked_at),
                    "mail_provider": provider.name if provider else "",
                    "catch_all": facts.catch_all,
                    "catch_all_checked_at": (
                        _at(facts.catch_all_checked_at) if facts.catch_all_checked_at else None
                    ),
                },
            )
        self._new_results.clear()
        self._new_domains.clear()


def _facts(info: DomainInfo, now: float, ttl: float) -> DomainFacts | None:
    checked = info.mx_checked_at.timestamp()
    # Rows written before the MX status was kept (or by pattern learning alone) are not facts.
    if checked + ttl <= now or not info.mx_status:
        return None
    mx = MxAnswer(info.domain, info.mx_status, tuple(info.mx_hosts), info.mx_detail)
    catch_all, catch_all_checked = None, None
    probed = info.catch_all_checked_at.timestamp() if info.catch_all_checked_at else None
    if info.catch_all is not None and probed is not None and probed + ttl > now:
        catch_all, catch_all_checked = info.catch_all, probed
    return DomainFacts(info.domain, mx, checked, catch_all, catch_all_checked)


def _result(data: dict) -> VerificationResult:
    return VerificationResult(
        address=data["address"],
        verdict=data["verdict"],
        confidence=data["confidence"],
        steps=[Step(**step) for step in data.get("steps", [])],
        normalized=data.get("normalized"),
        mx_host=data.get("mx_host"),
        catch_all=data.get("catch_all"),
        checked_at=data.get("checked_at", 0.0),
    )


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def _chunked(manager, field: str, values: set[str], **filters):
    """Rows whose `field` is one of `values`, a few hundred at a time (SQLite limits the
    number of parameters in one query)."""
    ordered = sorted(values)
    for start in range(0, len(ordered), 500):
        yield from manager.filter(**{f"{field}__in": ordered[start : start + 500]}, **filters)
