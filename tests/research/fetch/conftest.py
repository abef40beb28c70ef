from collections.abc import Iterator

import pytest

from tests.research.fetch.local_network import DnsServer


@pytest.fixture(scope="session")
def dns_server() -> Iterator[DnsServer]:
    server = DnsServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def dns(dns_server: DnsServer) -> DnsServer:
    dns_server.records.clear()
    dns_server.queries.clear()
    dns_server.answer_delay = 0.0
    dns_server.most_in_flight = 0
    return dns_server
