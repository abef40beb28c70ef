"""Verify a batch of addresses: syntax, disposable, role, MX, provider, catch-all, SMTP.

Each address's checks stop at the first step that settles its verdict. SMTP work is grouped
by MX host (domains sharing a host share its connection), every domain's catch-all status is
probed once with a random address before its real ones, and MX hosts are probed in parallel.
"""

from __future__ import annotations

import asyncio
import secrets
import string
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from coldflow.contacts.verify.bundled_lists import is_disposable, is_role, provider_for
from coldflow.contacts.verify.cache import DomainFacts, VerificationCache
from coldflow.contacts.verify.host_probe import ProbeAnswer, Recipient, probe_host
from coldflow.contacts.verify.mx_lookup import MxResolver
from coldflow.contacts.verify.result import Step, Verdict, VerificationResult
from coldflow.contacts.verify.settings import VerifySettings
from coldflow.contacts.verify.syntax import ParsedAddress, parse_address
from coldflow.contacts.verify.verdicts import catch_all_from_probe, smtp_verdict, with_role

_NO_MX_VERDICTS = {
    "no_domain": ("invalid", 0.99),
    "null_mx": ("invalid", 0.99),
    # RFC 5321 would fall back to the domain's A record; in practice such domains take no mail.
    "no_mx": ("invalid", 0.9),
    "error": ("unknown", 0.0),
}


@dataclass
class VerifyStats:
    """What a batch cost: filled in by verify_many when passed."""

    addresses: int = 0
    from_cache: int = 0
    mx_lookups: int = 0
    smtp_connections: int = 0
    mx_hosts_probed: int = 0


@dataclass
class _Case:
    """One distinct address on its way through the pipeline."""

    key: str
    address: str
    parsed: ParsedAddress | None = None
    steps: list[Step] = field(default_factory=list)
    result: VerificationResult | None = None
    role: bool = False
    mx_host: str | None = None


@dataclass
class _Domain:
    facts: DomainFacts
    # The probed host and its vetted addresses, or why no host can be probed.
    host: str | None = None
    addresses: list[str] = field(default_factory=list)
    unreachable: str = ""
    catch_all_probe: str | None = None


async def verify_many(
    addresses: Sequence[str],
    settings: VerifySettings,
    cache: VerificationCache | None = None,
    stats: VerifyStats | None = None,
) -> list[VerificationResult]:
    """One result per input address, in input order (duplicates are verified once)."""
    stats = stats if stats is not None else VerifyStats()
    stats.addresses = len(addresses)
    now = time.time()
    cases: dict[str, _Case] = {}
    for address in addresses:
        key = address.strip().lower()
        if key not in cases:
            cases[key] = _Case(key, address)
    for case in cases.values():
        cached = await cache.get_result(case.key, now) if cache is not None else None
        if cached is not None:
            case.result = cached
            stats.from_cache += 1
        else:
            _check_offline(case, now)
    pending = [c for c in cases.values() if c.result is None]
    if pending:
        resolver = MxResolver(settings)
        try:
            await _check_online(pending, settings, cache, resolver, stats, now)
        finally:
            await resolver.close()
        if cache is not None:
            for case in pending:
                assert case.result is not None
                ttl = (
                    settings.unknown_result_ttl
                    if case.result.verdict == "unknown"
                    else settings.result_ttl
                )
                await cache.put_result(case.key, case.result, now + ttl)
    results = []
    for address in addresses:
        result = cases[address.strip().lower()].result
        assert result is not None
        results.append(result if result.address == address else result.with_address(address))
    return results


def _check_offline(case: _Case, now: float) -> None:
    """Syntax, disposable and role: the steps that need no network."""
    parsed = parse_address(case.address)
    if isinstance(parsed, str):
        case.steps.append(Step("syntax", "invalid", parsed))
        _finish(case, "invalid", 1.0, now)
        return
    case.parsed = parsed
    case.steps.append(Step("syntax", "ok", parsed.smtp_address))
    if is_disposable(parsed.ascii_domain):
        case.steps.append(
            Step("disposable", "yes", f"{parsed.ascii_domain} is a throwaway mail service")
        )
        _finish(case, "disposable", 0.95, now)
        return
    case.steps.append(Step("disposable", "no"))
    case.role = is_role(parsed.local_part)
    case.steps.append(Step("role", "yes" if case.role else "no"))


async def _check_online(
    cases: list[_Case],
    settings: VerifySettings,
    cache: VerificationCache | None,
    resolver: MxResolver,
    stats: VerifyStats,
    now: float,
) -> None:
    names = sorted({c.parsed.ascii_domain for c in cases if c.parsed is not None})
    domains = dict(
        zip(
            names,
            await asyncio.gather(
                *(_domain(n, settings, cache, resolver, stats, now) for n in names)
            ),
            strict=True,
        )
    )
    probes: dict[str, list[Recipient]] = {}
    for case in cases:
        assert case.parsed is not None
        domain = domains[case.parsed.ascii_domain]
        if _settled_without_probe(case, domain, settings, now):
            continue
        assert domain.host is not None
        case.mx_host = domain.host
        recipients = probes.setdefault(domain.host, [])
        if domain.catch_all_probe is None and domain.facts.catch_all is None:
            domain.catch_all_probe = f"{_random_local_part()}@{domain.facts.domain}"
            recipients.append(Recipient(domain.catch_all_probe, domain.facts.domain))
        recipients.append(
            Recipient(case.parsed.smtp_address, domain.facts.domain, case.parsed.needs_smtputf8)
        )
    answers = await _probe_hosts(probes, domains, settings, stats)
    for domain in domains.values():
        if domain.catch_all_probe is not None:
            await _record_catch_all(
                domain, answers.get(domain.catch_all_probe), cache, settings, now
            )
    for case in cases:
        if case.result is None:
            assert case.parsed is not None
            domain = domains[case.parsed.ascii_domain]
            _finish_with_probe(case, domain, answers[case.parsed.smtp_address], now)


async def _domain(
    name: str,
    settings: VerifySettings,
    cache: VerificationCache | None,
    resolver: MxResolver,
    stats: VerifyStats,
    now: float,
) -> _Domain:
    facts = await cache.get_domain(name, now) if cache is not None else None
    if facts is None:
        stats.mx_lookups += 1
        facts = DomainFacts(name, await resolver.mx(name), now)
        if cache is not None and facts.mx.status != "error":
            await cache.put_domain(facts, now + settings.domain_ttl)
    domain = _Domain(facts)
    if facts.mx.status != "found" or not settings.smtp_probe or provider_for(facts.mx.hosts):
        return domain
    reasons = []
    for host in facts.mx.hosts:
        addresses = await resolver.host_addresses(host)
        if isinstance(addresses, list):
            domain.host, domain.addresses = host, addresses
            return domain
        reasons.append(addresses)
    domain.unreachable = "; ".join(reasons)
    return domain


def _settled_without_probe(
    case: _Case, domain: _Domain, settings: VerifySettings, now: float
) -> bool:
    """Records the MX and provider steps; True when they settle the verdict (no probe)."""
    mx = domain.facts.mx
    if mx.status != "found":
        case.steps.append(Step("mx", mx.status, mx.detail))
        verdict, confidence = _NO_MX_VERDICTS[mx.status]
        _finish(case, verdict, confidence, now)
        return True
    case.steps.append(Step("mx", "found", mx.detail))
    case.mx_host = mx.hosts[0]
    provider = provider_for(mx.hosts)
    if provider is not None:
        case.steps.append(Step("provider", provider.name, f"{provider.why}; not probed"))
        _skip_probe_steps(case, "big mailbox provider")
        _finish(case, provider.verdict, 0.8 if provider.verdict == "accept_all" else 0.0, now)
        return True
    case.steps.append(Step("provider", "none"))
    if not settings.smtp_probe:
        _skip_probe_steps(case, "SMTP probe switched off in the settings")
        _finish(case, "unknown", 0.0, now)
        return True
    if domain.host is None:
        _skip_probe_steps(case, domain.unreachable)
        _finish(case, "unknown", 0.0, now)
        return True
    return False


def _skip_probe_steps(case: _Case, why: str) -> None:
    case.steps.append(Step("catch_all", "skipped", why))
    case.steps.append(Step("smtp", "skipped", why))


async def _probe_hosts(
    probes: dict[str, list[Recipient]],
    domains: dict[str, _Domain],
    settings: VerifySettings,
    stats: VerifyStats,
) -> dict[str, ProbeAnswer]:
    addresses = {d.host: d.addresses for d in domains.values() if d.host is not None}
    limit = asyncio.Semaphore(settings.total_connections)

    async def one_host(host: str, recipients: list[Recipient]) -> dict[str, ProbeAnswer]:
        async with limit:
            report = await probe_host(host, addresses[host], recipients, settings)
        stats.smtp_connections += report.connections
        return report.answers

    reports = await asyncio.gather(*(one_host(h, r) for h, r in probes.items()))
    stats.mx_hosts_probed += len(probes)
    return {address: answer for report in reports for address, answer in report.items()}


async def _record_catch_all(
    domain: _Domain,
    probe: ProbeAnswer | None,
    cache: VerificationCache | None,
    settings: VerifySettings,
    now: float,
) -> None:
    catch_all = catch_all_from_probe(probe)
    if catch_all is None:
        return
    domain.facts = DomainFacts(
        domain.facts.domain, domain.facts.mx, domain.facts.mx_checked_at, catch_all, now
    )
    if cache is not None:
        await cache.put_domain(domain.facts, now + settings.domain_ttl)


def _finish_with_probe(case: _Case, domain: _Domain, probe: ProbeAnswer, now: float) -> None:
    catch_all = domain.facts.catch_all
    if domain.catch_all_probe is None:
        case.steps.append(Step("catch_all", _yes_no(catch_all), "cached"))
    elif catch_all is None:
        case.steps.append(
            Step(
                "catch_all", "unknown", f"random address {domain.catch_all_probe}: no clear answer"
            )
        )
    else:
        case.steps.append(
            Step("catch_all", _yes_no(catch_all), f"random address {domain.catch_all_probe}")
        )
    verdict, confidence, step = smtp_verdict(probe, catch_all)
    case.steps.append(step)
    _finish(case, verdict, confidence, now, catch_all)


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def _finish(
    case: _Case, verdict: Verdict, confidence: float, now: float, catch_all: bool | None = None
) -> None:
    if case.role:
        verdict, confidence = with_role(verdict, confidence)
    case.result = VerificationResult(
        address=case.address,
        verdict=verdict,
        confidence=confidence,
        steps=case.steps,
        normalized=case.parsed.smtp_address if case.parsed else None,
        mx_host=case.mx_host,
        catch_all=catch_all,
        checked_at=now,
    )


def _random_local_part() -> str:
    # Letters and digits only, long enough that no real mailbox has it.
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(20))
