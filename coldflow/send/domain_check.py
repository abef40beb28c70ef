"""SPF, DKIM and DMARC of a sending domain, judged with concrete advice.

The `evaluate_*` functions are pure (TXT strings in, findings out); `check_domain` looks the
records up with dnspython through the configured resolver (the sandbox's DNS in sandbox mode).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Literal

import dns.exception
import dns.resolver

Status = Literal["ok", "warn", "fail"]

# Selectors the big providers and common setups use, tried when the mailbox names none.
COMMON_SELECTORS = ("google", "selector1", "selector2", "default", "dkim", "mail", "k1", "s1")
# RFC 7208 4.6.4: more DNS-querying terms than this make SPF a permerror.
SPF_LOOKUP_LIMIT = 10


@dataclass(frozen=True)
class Finding:
    check: str  # SPF, DKIM, DMARC
    status: Status
    detail: str
    advice: str = ""

    def as_dict(self) -> dict:
        return {
            "check": self.check,
            "status": self.status,
            "detail": self.detail,
            "advice": self.advice,
        }


@dataclass
class DomainReport:
    domain: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.status != "fail" for f in self.findings)


def evaluate_spf(domain: str, records: list[str]) -> Finding:
    spf = [r for r in records if r.lower().startswith("v=spf1")]
    if not spf:
        return Finding(
            "SPF",
            "fail",
            f"{domain} publishes no SPF record",
            f"Publish one TXT record at {domain}: \"v=spf1 include:<your provider's SPF "
            'domain> -all" (for Google Workspace include:_spf.google.com, for Microsoft 365 '
            "include:spf.protection.outlook.com).",
        )
    if len(spf) > 1:
        return Finding(
            "SPF",
            "fail",
            f"{domain} publishes {len(spf)} SPF records; receivers treat that as an error",
            "Merge them into one TXT record starting with v=spf1.",
        )
    record = spf[0]
    terms = record.split()[1:]
    lookups = sum(
        1
        for t in terms
        if re.match(r"^[+~?-]?(include:|a\b|a:|a/|mx\b|mx:|mx/|ptr|exists:|redirect=)", t)
    )
    all_term = next((t for t in terms if t.lstrip("+~?-") == "all"), "")
    if all_term in ("all", "+all"):
        return Finding(
            "SPF",
            "fail",
            f"SPF of {domain} ends in {all_term}: anyone may send as you",
            "End the record with -all (or ~all while testing).",
        )
    if lookups > SPF_LOOKUP_LIMIT:
        return Finding(
            "SPF",
            "fail",
            f"SPF of {domain} needs {lookups} DNS lookups (limit {SPF_LOOKUP_LIMIT})",
            "Remove unused include: terms or flatten them into ip4:/ip6: ranges.",
        )
    if all_term in ("-all", "~all"):
        return Finding("SPF", "ok", f"{record}")
    return Finding(
        "SPF",
        "warn",
        f"SPF of {domain} does not end in -all or ~all ({record})",
        "End the record with -all so receivers reject mail from servers you did not list.",
    )


def _dkim_key_bits(record: str) -> tuple[str, int]:
    tags = dict(part.strip().split("=", 1) for part in record.split(";") if "=" in part.strip())
    key = "".join(tags.get("p", "").split())
    if not key:
        return key, 0
    try:
        from cryptography.hazmat.primitives.serialization import load_der_public_key

        public = load_der_public_key(base64.b64decode(key))
        return key, getattr(public, "key_size", 0)
    except ValueError:
        return key, -1


def evaluate_dkim(
    domain: str, selector: str, records: list[str], private_key_pem: str = ""
) -> Finding:
    name = f"{selector}._domainkey.{domain}"
    keys = [r for r in records if "p=" in r]
    if not keys:
        advice = (
            f'Publish the public key as a TXT record at {name}: "v=DKIM1; k=rsa; p=<key>".'
            if private_key_pem
            else f"Check the selector with your provider, or publish its key at {name}."
        )
        return Finding("DKIM", "fail", f"no DKIM key at {name}", advice)
    key, bits = _dkim_key_bits(keys[0])
    if not key:
        return Finding("DKIM", "fail", f"the DKIM key at {name} is revoked (empty p=)", "")
    if bits < 0:
        return Finding("DKIM", "fail", f"the DKIM key at {name} cannot be read", "")
    if private_key_pem and not _matches(private_key_pem, key):
        return Finding(
            "DKIM",
            "fail",
            f"the key at {name} does not belong to the private key coldflow signs with",
            "Publish the public half of the stored private key, or store the matching key.",
        )
    if 0 < bits < 1024:
        return Finding("DKIM", "warn", f"DKIM key at {name} is {bits} bits", "Use a 2048-bit key.")
    return Finding("DKIM", "ok", f"key found at {name} ({bits} bits)")


def _matches(private_key_pem: str, published_b64: str) -> bool:
    from cryptography.hazmat.primitives import serialization

    try:
        private = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    except ValueError:
        return False
    public = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(public).decode() == published_b64


def evaluate_dmarc(domain: str, records: list[str]) -> Finding:
    dmarc = [r for r in records if r.replace(" ", "").lower().startswith("v=dmarc1")]
    suggestion = f'"v=DMARC1; p=none; rua=mailto:dmarc@{domain}"'
    if not dmarc:
        return Finding(
            "DMARC",
            "fail",
            f"no DMARC record at _dmarc.{domain}",
            f"Publish a TXT record at _dmarc.{domain}: {suggestion}, read the reports for a "
            "few weeks, then move to p=quarantine. Gmail and Yahoo require DMARC of bulk "
            "senders.",
        )
    if len(dmarc) > 1:
        return Finding("DMARC", "fail", f"several DMARC records at _dmarc.{domain}", "Keep one.")
    tags = {
        k.strip().lower(): v.strip()
        for k, _, v in (p.partition("=") for p in dmarc[0].split(";"))
        if k.strip()
    }
    policy = tags.get("p", "").lower()
    if policy not in ("none", "quarantine", "reject"):
        return Finding(
            "DMARC", "fail", f"DMARC record has no valid p= tag ({dmarc[0]})", f"Use {suggestion}."
        )
    if policy == "none":
        return Finding(
            "DMARC",
            "warn",
            "DMARC policy p=none: monitoring only",
            "Once SPF and DKIM pass in the reports, move to p=quarantine.",
        )
    advice = "" if "rua" in tags else f"Add rua=mailto:dmarc@{domain} to receive reports."
    return Finding("DMARC", "ok", f"p={policy}", advice)


class TxtLookup:
    """TXT lookups through one resolver: a nameserver (host, port), or the system's."""

    def __init__(self, nameserver: str | None = None, port: int = 53, timeout: float = 5.0):
        if nameserver:
            self._resolver = dns.resolver.Resolver(configure=False)
            self._resolver.nameservers = [nameserver]
            self._resolver.port = port
        else:
            self._resolver = dns.resolver.Resolver()
        self._resolver.lifetime = timeout

    def txt(self, name: str) -> list[str]:
        """The TXT strings at `name` ([] for none); raises LookupError when DNS fails."""
        try:
            answer = self._resolver.resolve(name, "TXT", search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.DNSException as error:
            raise LookupError(f"DNS lookup of {name} failed: {error}") from None
        return [b"".join(r.strings).decode("utf-8", "replace") for r in answer]


def domain_report(config, domain: str, selector: str = "", key: str = "") -> DomainReport:
    """SPF, DKIM and DMARC of `domain` through this installation's resolver (the sandbox's
    DNS server in the sandbox)."""
    from coldflow.network import network_from_config

    network = network_from_config(config)
    lookup = TxtLookup(network.nameserver, network.nameserver_port)
    return check_domain(domain, lookup, dkim_selector=selector, dkim_private_key=key)


def check_domain(
    domain: str,
    lookup: TxtLookup,
    *,
    dkim_selector: str = "",
    dkim_private_key: str = "",
) -> DomainReport:
    domain = domain.strip().lower().rstrip(".")
    report = DomainReport(domain)
    try:
        report.findings.append(evaluate_spf(domain, lookup.txt(domain)))
        if dkim_selector:
            records = lookup.txt(f"{dkim_selector}._domainkey.{domain}")
            report.findings.append(evaluate_dkim(domain, dkim_selector, records, dkim_private_key))
        else:
            report.findings.append(_find_common_dkim(domain, lookup))
        report.findings.append(evaluate_dmarc(domain, lookup.txt(f"_dmarc.{domain}")))
    except LookupError as error:
        report.findings.append(Finding("DNS", "fail", str(error), "Check DNS_RESOLVER."))
    return report


def _find_common_dkim(domain: str, lookup: TxtLookup) -> Finding:
    for selector in COMMON_SELECTORS:
        records = lookup.txt(f"{selector}._domainkey.{domain}")
        if any("p=" in r for r in records):
            finding = evaluate_dkim(domain, selector, records)
            return Finding("DKIM", finding.status, finding.detail, finding.advice)
    return Finding(
        "DKIM",
        "warn",
        f"no DKIM selector given and none of the common ones found at {domain}",
        "Enter your provider's DKIM selector on the mailbox (--dkim-selector), or let coldflow "
        "sign: store a private key and publish its public half at <selector>._domainkey.",
    )
