import asyncio
import socket

import aiohttp
import pytest
from aiohttp import web

from coldflow.research.fetch import Fetcher, FetchSettings
from coldflow.research.fetch.guarded_resolver import (
    AddressRefused,
    GuardedResolver,
    guarded_socket_factory,
)
from tests.research.fetch.local_network import (
    DnsServer,
    VirtualHosts,
    html_page,
    sandbox_settings,
)


def real_mode_settings(dns: DnsServer | None) -> FetchSettings:
    return FetchSettings(
        nameserver="127.0.0.1" if dns else None,
        nameserver_port=dns.port if dns else 53,
        timeout=2.0,
        retries=0,
        per_host_delay=0.0,
    )


def redirect_to(location: str):
    async def handler(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(location)

    return handler


def test_it_refuses_a_host_name_that_resolves_to_a_private_address(dns: DnsServer) -> None:
    dns.records["intranet.example"] = ["10.0.0.5"]
    dns.records["metadata.example"] = ["169.254.169.254"]

    async def scenario() -> None:
        async with VirtualHosts() as hosts, Fetcher(sandbox_settings(dns, hosts)) as fetcher:
            private = await fetcher.get("http://intranet.example/team")
            metadata = await fetcher.get("http://metadata.example/latest/meta-data/")
        assert private.error == "refused: private address 10.0.0.5"
        assert private.status is None
        assert metadata.error == "refused: link-local address 169.254.169.254"
        assert "intranet.example" in dns.queries

    asyncio.run(scenario())


def test_it_refuses_a_name_that_mixes_loopback_and_private_addresses(dns: DnsServer) -> None:
    dns.records["mixed.example"] = ["127.0.0.1", "192.168.1.20"]

    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("mixed.example", {"/": html_page("hello")})
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                result = await fetcher.get("http://mixed.example/")
        assert result.error == "refused: private address 192.168.1.20"
        assert hosts.hits == []

    asyncio.run(scenario())


def test_real_mode_refuses_a_name_resolving_to_loopback_and_sandbox_mode_allows_it(
    dns: DnsServer,
) -> None:
    dns.records["site.example"] = ["127.0.0.1"]

    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("site.example", {"/": html_page("hello")})
            url = f"http://site.example:{hosts.port}/"
            async with Fetcher(real_mode_settings(dns)) as fetcher:
                refused = await fetcher.get(url)
            assert refused.error == "refused: loopback address 127.0.0.1"
            assert hosts.hits == []
            async with Fetcher(sandbox_settings(dns, hosts, port_map={})) as fetcher:
                allowed = await fetcher.get(url)
            assert allowed.ok and "hello" in allowed.text
            assert [hit.path for hit in hosts.hits] == ["/robots.txt", "/"]

    asyncio.run(scenario())


def test_real_mode_refuses_loopback_ip_literals_and_resolver_tricks() -> None:
    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("127.0.0.1", {"/": html_page("secret")})
            port = hosts.port
            urls = [
                f"http://127.0.0.1:{port}/",
                f"http://[::ffff:127.0.0.1]:{port}/",
                f"http://localhost:{port}/",
                f"http://2130706433:{port}/",
                f"http://127.1:{port}/",
                f"http://0x7f000001:{port}/",
            ]
            async with Fetcher(real_mode_settings(None)) as fetcher:
                results = [await fetcher.get(url) for url in urls]
        for url, result in zip(urls, results, strict=True):
            assert (result.error or "").startswith("refused: loopback address"), url
        assert hosts.hits == []

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("location", "error"),
    [
        ("http://169.254.169.254/latest/meta-data/", "refused: link-local address 169.254.169.254"),
        ("http://10.0.0.5/admin", "refused: private address 10.0.0.5"),
        ("http://[::ffff:169.254.169.254]/", "refused: link-local address ::ffff:169.254.169.254"),
        ("http://[fd00::1]/", "refused: private address fd00::1"),
        ("http://intranet.example/", "refused: private address 192.168.1.7"),
    ],
)
def test_every_redirect_hop_goes_through_the_guard(
    dns: DnsServer, location: str, error: str
) -> None:
    dns.records["site.example"] = ["127.0.0.1"]
    dns.records["intranet.example"] = ["192.168.1.7"]

    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("site.example", {"/go": redirect_to(location)})
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                result = await fetcher.get("http://site.example/go")
        assert result.error == error
        assert result.redirects == ("http://site.example/go",)
        assert [hit.path for hit in hosts.hits] == ["/robots.txt", "/go"]

    asyncio.run(scenario())


def test_the_socket_factory_refuses_an_unvetted_address_at_connect_time() -> None:
    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("127.0.0.1", {"/": html_page("secret")})
            # An IP literal never reaches aiohttp's resolver; the socket factory still sees it.
            connector = aiohttp.TCPConnector(socket_factory=guarded_socket_factory(False))
            async with aiohttp.ClientSession(connector=connector) as session:
                with pytest.raises(aiohttp.ClientConnectorError) as raised:
                    await session.get(f"http://127.0.0.1:{hosts.port}/")
        assert isinstance(raised.value.os_error, AddressRefused)
        assert str(raised.value.os_error) == "refused: loopback address 127.0.0.1"
        assert hosts.hits == []

    asyncio.run(scenario())


def test_the_socket_factory_creates_sockets_for_allowed_addresses() -> None:
    create = guarded_socket_factory(True)
    sock = create((socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", 80)))
    sock.close()
    with pytest.raises(AddressRefused):
        create((socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("10.1.2.3", 80)))


def test_the_resolver_applies_the_sandbox_port_map(dns: DnsServer) -> None:
    dns.records["site.example"] = ["127.0.0.1"]
    settings = FetchSettings(
        nameserver="127.0.0.1",
        nameserver_port=dns.port,
        allow_loopback=True,
        port_map={80: 8123, 443: 8123},
    )

    async def scenario() -> None:
        resolver = GuardedResolver(settings)
        http = await resolver.resolve("site.example", 80, socket.AF_UNSPEC)
        other = await resolver.resolve("site.example", 8080, socket.AF_UNSPEC)
        await resolver.close()
        assert [(r["host"], r["port"]) for r in http] == [("127.0.0.1", 8123)]
        assert [(r["host"], r["port"]) for r in other] == [("127.0.0.1", 8080)]

    asyncio.run(scenario())


def test_the_resolver_looks_a_host_up_once_per_crawl(dns: DnsServer) -> None:
    dns.records["site.example"] = ["127.0.0.1"]

    async def scenario() -> None:
        async with VirtualHosts() as hosts:
            hosts.add_site("site.example", {"/": html_page("a"), "/b": html_page("b")})
            async with Fetcher(sandbox_settings(dns, hosts)) as fetcher:
                for path in ("/", "/b", "/", "/b"):
                    assert (await fetcher.get(f"http://site.example{path}")).ok
        # One A and one AAAA question, however many requests and hops followed.
        assert dns.queries.count("site.example") == 2

    asyncio.run(scenario())


def test_lookups_of_many_hosts_at_once_are_queued_not_flooded(dns: DnsServer) -> None:
    """A crawl starting hundreds of sites asks for hundreds of names at once: the resolver
    gets a bounded number of questions at a time, and every name still resolves (the lookup
    timeout counts from a lookup's turn, not from when it was asked)."""
    hosts = [f"host{n}.example" for n in range(256)]
    for host in hosts:
        dns.records[host] = ["127.0.0.1"]
    dns.answer_delay = 0.5

    async def scenario() -> list[list[str] | BaseException]:
        resolver = GuardedResolver(
            FetchSettings(
                nameserver="127.0.0.1",
                nameserver_port=dns.port,
                allow_loopback=True,
                # Less than the whole queue takes (256 lookups × 500 ms, 32 at a time: 4 s),
                # and ample for one lookup on a busy machine (CI once stalled a 300 ms answer
                # past a 1 s timeout).
                dns_timeout=3.0,
            )
        )
        try:
            return await asyncio.gather(
                *(resolver.vet(host) for host in hosts), return_exceptions=True
            )
        finally:
            await resolver.close()

    answers = asyncio.run(scenario())
    assert answers == [["127.0.0.1"]] * len(hosts)
    # 32 lookups at a time, an A and an AAAA question each.
    assert 2 < dns.most_in_flight <= 64


def test_it_reports_unknown_hosts_as_dns_errors(dns: DnsServer) -> None:
    async def scenario() -> None:
        async with VirtualHosts() as hosts, Fetcher(sandbox_settings(dns, hosts)) as fetcher:
            result = await fetcher.get("http://nowhere.example/")
        assert result.error == "dns: no such host nowhere.example"

    asyncio.run(scenario())


def test_port_map_is_refused_outside_sandbox_mode() -> None:
    with pytest.raises(ValueError, match="sandbox"):
        FetchSettings(port_map={80: 8080})
