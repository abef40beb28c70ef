"""DNS outcomes, MX host safety, IDN domains, shared MX hosts and big mailbox providers."""

from __future__ import annotations

import asyncio

from coldflow.contacts.verify import VerifySettings, verify_many
from coldflow.contacts.verify.bundled_lists import provider_for
from coldflow.sandbox.world.model import DnsRecord
from tests.contacts.verify.toy_servers import ScriptedMx, dns_server, loopback_settings, mx_zone

IDN_DOMAIN = "bücher-haus.de".encode("idna").decode()


def run_world(zones, records, mx: ScriptedMx, addresses, **overrides):
    async def scenario():
        async with mx, dns_server(zones, records) as dns_port:
            return await verify_many(addresses, loopback_settings(dns_port, mx.port, **overrides))

    return asyncio.run(scenario())


def test_an_idn_domain_is_looked_up_and_probed_in_its_ascii_form():
    mx = ScriptedMx(mailboxes={f"anna@{IDN_DOMAIN}"})
    [result] = run_world([IDN_DOMAIN], mx_zone(IDN_DOMAIN), mx, ["anna@Bücher-Haus.de"])
    assert result.verdict == "valid"
    assert result.normalized == f"anna@{IDN_DOMAIN}"
    assert mx.rcpts[-1] == f"anna@{IDN_DOMAIN}"


def test_a_nonexistent_domain_is_invalid():
    mx = ScriptedMx()
    [result] = run_world(["acme-widgets.de"], mx_zone("acme-widgets.de"), mx, ["a@nowhere-co.de"])
    assert result.verdict == "invalid"
    assert result.step("mx").outcome == "no_domain"
    assert mx.connections == 0


def test_an_unreachable_resolver_gives_unknown():
    settings = VerifySettings(nameserver="127.0.0.1", nameserver_port=9, dns_timeout=0.3)
    [result] = asyncio.run(verify_many(["anna@acme-widgets.de"], settings))
    assert result.verdict == "unknown"
    assert result.step("mx").outcome == "error"


def test_an_mx_host_on_a_private_address_is_never_probed():
    mx = ScriptedMx()
    records = mx_zone("inside-co.de", address="10.20.30.40")
    [result] = run_world(["inside-co.de"], records, mx, ["anna@inside-co.de"])
    assert result.verdict == "unknown"
    assert "private" in result.step("smtp").detail
    assert mx.connections == 0


def test_loopback_mx_hosts_are_refused_outside_the_sandbox():
    async def scenario():
        async with (
            ScriptedMx() as mx,
            dns_server(["acme-widgets.de"], mx_zone("acme-widgets.de")) as port,
        ):
            settings = VerifySettings(nameserver="127.0.0.1", nameserver_port=port)
            return await verify_many(["anna@acme-widgets.de"], settings), mx.connections

    [result], connections = asyncio.run(scenario())
    assert result.verdict == "unknown"
    assert "loopback" in result.step("smtp").detail
    assert connections == 0


def test_domains_sharing_an_mx_host_share_its_connection():
    shared = "mx.shared-host.net"
    records = mx_zone("alpha-co.de", shared) + mx_zone("beta-co.de", shared)
    records.append(DnsRecord(shared, "A", "127.0.0.1"))
    mx = ScriptedMx(mailboxes={"anna@alpha-co.de", "ben@beta-co.de"})
    results = run_world(
        ["alpha-co.de", "beta-co.de", "shared-host.net"],
        records,
        mx,
        ["anna@alpha-co.de", "ben@beta-co.de", "carl@beta-co.de"],
    )
    assert [r.verdict for r in results] == ["valid", "valid", "invalid"]
    assert {r.mx_host for r in results} == {shared}
    assert mx.connections == 1


def test_a_second_connection_per_host_is_used_when_allowed():
    shared = "mx.shared-host.net"
    records = mx_zone("alpha-co.de", shared) + mx_zone("beta-co.de", shared)
    records.append(DnsRecord(shared, "A", "127.0.0.1"))
    mx = ScriptedMx(mailboxes={"anna@alpha-co.de", "ben@beta-co.de"})
    results = run_world(
        ["alpha-co.de", "beta-co.de", "shared-host.net"],
        records,
        mx,
        ["anna@alpha-co.de", "ben@beta-co.de"],
        per_mx_connections=2,
    )
    assert [r.verdict for r in results] == ["valid", "valid"]
    assert mx.connections == 2


def test_a_big_provider_is_answered_without_a_probe():
    google = "aspmx.l.google.com"
    records = mx_zone("gmail-hosted.de", google) + [DnsRecord(google, "A", "127.0.0.1")]
    mx = ScriptedMx(catch_all_domains={"gmail-hosted.de"})
    [result] = run_world(["gmail-hosted.de", "google.com"], records, mx, ["anna@gmail-hosted.de"])
    assert result.verdict == "unknown"
    assert result.step("provider").outcome == "Google"
    assert result.step("smtp").outcome == "skipped"
    assert mx.connections == 0


def test_known_accept_all_providers_are_answered_as_accept_all():
    yahoo = "mta5.am0.yahoodns.net"
    records = mx_zone("yahoo-hosted.de", yahoo)
    [result] = run_world(["yahoo-hosted.de"], records, ScriptedMx(), ["anna@yahoo-hosted.de"])
    assert result.verdict == "accept_all"
    assert result.step("provider").outcome == "Yahoo"


def test_provider_patterns_match_host_suffixes_only():
    assert provider_for(("acme-de.mail.protection.outlook.com",)).name == "Microsoft"
    assert provider_for(("mx00.gmx.net",)).name == "GMX / Web.de"
    assert provider_for(("mail.protonmail.ch",)).name == "Proton"
    assert provider_for(("mx01.mail.icloud.com",)).name == "Apple iCloud"
    assert provider_for(("notgoogle.com", "mx.google.com.evil.de")) is None
