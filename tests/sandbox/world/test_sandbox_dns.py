"""The sandbox DNS server over real UDP and TCP, asked with dnspython."""

from __future__ import annotations

import asyncio
import base64
import socket
import threading

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st

from coldflow.sandbox.dns import DnsServer
from coldflow.sandbox.runner import RunningWorld
from coldflow.sandbox.world import generate_world
from coldflow.sandbox.world.model import DnsRecord, DnsZoneData


def ask(sandbox: RunningWorld, name: str, rdtype: str, tcp: bool = False) -> dns.message.Message:
    query = dns.message.make_query(name, rdtype)
    where, port = sandbox.endpoints["dns"]["host"], sandbox.endpoints["dns"]["port"]
    if tcp:
        return dns.query.tcp(query, where, port=port, timeout=2)
    return dns.query.udp(query, where, port=port, timeout=2)


def test_a_company_domain_has_an_mx_pointing_at_loopback(
    sandbox: RunningWorld, resolver: dns.resolver.Resolver
) -> None:
    company = next(c for c in sandbox.world.companies if c.has_mx)
    exchanges = [
        r.exchange.to_text(omit_final_dot=True) for r in resolver.resolve(company.domain, "MX")
    ]
    assert f"mx1.{company.domain}" in exchanges
    assert resolver.resolve(exchanges[0], "A")[0].address == "127.0.0.1"


def test_every_company_host_and_its_alias_resolve_to_loopback(
    sandbox: RunningWorld, resolver: dns.resolver.Resolver
) -> None:
    for company in sandbox.world.companies[:10]:
        for host in (company.domain, f"www.{company.domain}"):
            assert resolver.resolve(host, "A")[0].address == "127.0.0.1"


def test_a_missing_type_is_no_data_with_the_soa_not_nxdomain(sandbox: RunningWorld) -> None:
    company = sandbox.world.companies[0]
    reply = ask(sandbox, company.domain, "AAAA")
    assert reply.rcode() == dns.rcode.NOERROR
    assert reply.answer == []
    assert [rrset.rdtype for rrset in reply.authority] == [dns.rdatatype.SOA]
    assert reply.authority[0].name.to_text(omit_final_dot=True) == company.domain


def test_an_unknown_name_in_a_sandbox_zone_is_nxdomain_with_the_soa(sandbox: RunningWorld) -> None:
    company = sandbox.world.companies[0]
    reply = ask(sandbox, f"nobody-here.{company.domain}", "A")
    assert reply.rcode() == dns.rcode.NXDOMAIN
    assert [rrset.rdtype for rrset in reply.authority] == [dns.rdatatype.SOA]


def test_an_unknown_domain_is_nxdomain(resolver: dns.resolver.Resolver) -> None:
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("no-such-company-anywhere.com", "A")


def test_a_domain_without_mx_still_exists(
    sandbox: RunningWorld, resolver: dns.resolver.Resolver
) -> None:
    company = next(c for c in sandbox.world.companies if not c.has_mx and not c.null_mx)
    with pytest.raises(dns.resolver.NoAnswer):
        resolver.resolve(company.domain, "MX")
    assert resolver.resolve(company.domain, "A")[0].address == "127.0.0.1"


def test_a_null_mx_domain_says_it_takes_no_mail(
    sandbox: RunningWorld, resolver: dns.resolver.Resolver
) -> None:
    company = next(c for c in sandbox.world.companies if c.null_mx)
    [record] = resolver.resolve(company.domain, "MX")
    assert record.preference == 0 and record.exchange.to_text() == "."


def test_the_sending_domain_publishes_spf_dmarc_and_dkim(
    sandbox: RunningWorld, resolver: dns.resolver.Resolver
) -> None:
    sending = sandbox.world.sending
    spf = [b"".join(r.strings).decode() for r in resolver.resolve(sending.domain, "TXT")]
    assert spf == ["v=spf1 ip4:127.0.0.1 -all"]
    [dmarc] = resolver.resolve(f"_dmarc.{sending.domain}", "TXT")
    assert b"".join(dmarc.strings).startswith(b"v=DMARC1; p=")
    [dkim] = resolver.resolve(f"{sending.dkim_selector}._domainkey.{sending.domain}", "TXT")
    published = b"".join(dkim.strings).decode()
    key = serialization.load_pem_private_key(sending.dkim_private_key_pem.encode(), None)
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert published == f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}"


def test_the_domainkey_parent_is_an_empty_non_terminal_not_nxdomain(
    sandbox: RunningWorld,
) -> None:
    reply = ask(sandbox, f"_domainkey.{sandbox.world.sending.domain}", "TXT")
    assert reply.rcode() == dns.rcode.NOERROR and reply.answer == []


@pytest.fixture
def big_record_server():
    """A DNS server of its own whose one TXT record is far beyond 512 bytes."""
    zone = DnsZoneData(("big.test",), (DnsRecord("big.test", "TXT", "k=" + "x" * 1500),))
    server = DnsServer(zone)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result()
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result()
    loop.call_soon_threadsafe(loop.stop)
    thread.join()
    loop.close()


def test_a_long_answer_over_plain_udp_is_truncated_and_complete_over_tcp(
    big_record_server: DnsServer,
) -> None:
    port = big_record_server.port
    plain = dns.message.make_query("big.test", "TXT", use_edns=False)
    truncated = dns.query.udp(plain, "127.0.0.1", port=port, timeout=2)
    assert truncated.flags & dns.flags.TC and not truncated.answer
    full = dns.query.tcp(plain, "127.0.0.1", port=port, timeout=2)
    assert b"".join(full.answer[0][0].strings) == b"k=" + b"x" * 1500
    large_buffer = dns.message.make_query("big.test", "TXT", use_edns=0, payload=4096)
    assert dns.query.udp(large_buffer, "127.0.0.1", port=port, timeout=2).answer == full.answer


def test_tcp_queries_get_the_same_answers_as_udp(sandbox: RunningWorld) -> None:
    company = next(c for c in sandbox.world.companies if c.has_mx)
    assert (
        ask(sandbox, company.domain, "MX", tcp=True).answer
        == ask(sandbox, company.domain, "MX").answer
    )


def test_garbage_packets_do_not_stop_the_server(sandbox: RunningWorld) -> None:
    host, port = sandbox.endpoints["dns"]["host"], sandbox.endpoints["dns"]["port"]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"\x00\x01garbage", (host, port))
        sock.sendto(b"", (host, port))
    with socket.create_connection((host, port), timeout=2) as sock:
        sock.sendall(b"\x00\x05abc")
    company = sandbox.world.companies[0]
    assert ask(sandbox, company.domain, "A").answer


def test_the_private_links_company_has_a_name_resolving_to_a_private_address(
    sandbox: RunningWorld, resolver: dns.resolver.Resolver
) -> None:
    company = next(c for c in sandbox.world.companies if "private_links" in c.hostile)
    assert resolver.resolve(f"intranet.{company.domain}", "A")[0].address == "10.0.0.1"


def test_noise_sites_resolve_too(resolver: dns.resolver.Resolver) -> None:
    assert resolver.resolve("www.linkedin.com", "A")[0].address == "127.0.0.1"
    assert resolver.resolve("gelbeseiten.de", "A")[0].address == "127.0.0.1"


@pytest.fixture(scope="module")
def unstarted_server() -> DnsServer:
    return DnsServer(generate_world(companies=3).dns)


@settings(max_examples=300, deadline=None)
@given(packet=st.binary(max_size=80))
def test_any_packet_gets_a_reply_or_is_ignored_but_never_raises(
    unstarted_server: DnsServer, packet: bytes
) -> None:
    answer = unstarted_server.answer(packet, tcp=False)
    assert answer is None or isinstance(answer, bytes)
