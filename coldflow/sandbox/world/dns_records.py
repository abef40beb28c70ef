"""The DNS records of the sandbox: every company, noise site and the sending domain."""

from __future__ import annotations

import random

from coldflow.sandbox.world.hostile import PRIVATE_HOST_ADDRESS, PRIVATE_HOST_LABEL
from coldflow.sandbox.world.model import Company, DnsRecord, DnsZoneData, SendingDomain

LOOPBACK = "127.0.0.1"


def _company_records(company: Company, rng: random.Random) -> list[DnsRecord]:
    d = company.domain
    records = [DnsRecord(d, "A", LOOPBACK), DnsRecord(f"www.{d}", "A", LOOPBACK)]
    if company.null_mx:
        # RFC 7505: this domain accepts no mail at all.
        records.append(DnsRecord(d, "MX", ".", 0))
    elif company.has_mx:
        records += [DnsRecord(d, "MX", f"mx1.{d}", 10), DnsRecord(f"mx1.{d}", "A", LOOPBACK)]
        if rng.random() < 0.4:
            records += [DnsRecord(d, "MX", f"mx2.{d}", 20), DnsRecord(f"mx2.{d}", "A", LOOPBACK)]
    if company.has_mx and rng.random() < 0.7:
        records.append(DnsRecord(d, "TXT", rng.choice(("v=spf1 mx -all", "v=spf1 mx ~all"))))
    if rng.random() < 0.3:
        token = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
        records.append(DnsRecord(d, "TXT", f"google-site-verification={token}"))
    if company.has_mx and rng.random() < 0.5:
        policy = rng.choice(("none", "quarantine", "reject"))
        records.append(
            DnsRecord(f"_dmarc.{d}", "TXT", f"v=DMARC1; p={policy}; rua=mailto:dmarc@{d}")
        )
    if "private_links" in company.hostile:
        records.append(DnsRecord(f"{PRIVATE_HOST_LABEL}.{d}", "A", PRIVATE_HOST_ADDRESS))
    return records


def _sending_records(sending: SendingDomain) -> list[DnsRecord]:
    d = sending.domain
    return [
        DnsRecord(d, "A", LOOPBACK),
        DnsRecord(d, "MX", f"mx1.{d}", 10),
        DnsRecord(f"mx1.{d}", "A", LOOPBACK),
        DnsRecord(f"smtp.{d}", "A", LOOPBACK),
        DnsRecord(f"imap.{d}", "A", LOOPBACK),
        DnsRecord(d, "TXT", f"v=spf1 ip4:{LOOPBACK} -all"),
        DnsRecord(f"_dmarc.{d}", "TXT", f"v=DMARC1; p=quarantine; rua=mailto:dmarc@{d}"),
        DnsRecord(f"{sending.dkim_selector}._domainkey.{d}", "TXT", sending.dkim_public_txt),
    ]


def build_zone_data(
    companies: tuple[Company, ...],
    noise_hosts: list[str],
    sending: SendingDomain,
    rng: random.Random,
) -> DnsZoneData:
    """Every company domain, noise site domain and the sending domain is a zone of its own."""
    zones: dict[str, list[DnsRecord]] = {c.domain: _company_records(c, rng) for c in companies}
    for host in noise_hosts:
        zones.setdefault(host.removeprefix("www."), []).append(DnsRecord(host, "A", LOOPBACK))
    zones[sending.domain] = _sending_records(sending)
    records: list[DnsRecord] = []
    for zone, zone_records in zones.items():
        records += zone_records
        records += [DnsRecord(zone, "NS", f"ns1.{zone}"), DnsRecord(f"ns1.{zone}", "A", LOOPBACK)]
    return DnsZoneData(zones=tuple(zones), records=tuple(records))
