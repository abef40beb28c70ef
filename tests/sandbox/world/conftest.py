"""Fixtures: the default world (generated once) and the same world running on loopback."""

from __future__ import annotations

import http.client
from dataclasses import dataclass

import dns.resolver
import pytest

from coldflow.sandbox.runner import RunningWorld


@dataclass
class Fetched:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@pytest.fixture(scope="session")
def resolver(sandbox: RunningWorld) -> dns.resolver.Resolver:
    """A stub resolver that asks the sandbox DNS server, as the app does in sandbox mode."""
    stub = dns.resolver.Resolver(configure=False)
    stub.nameservers = [sandbox.endpoints["dns"]["host"]]
    stub.port = sandbox.endpoints["dns"]["port"]
    stub.lifetime = 2.0
    return stub


@pytest.fixture(scope="session")
def fetch(sandbox: RunningWorld, resolver: dns.resolver.Resolver):
    """fetch(host, path, headers, method): resolve the host through the sandbox DNS, then send
    the request to that address on the sandbox HTTP port, following no redirects."""

    def fetch_(
        host: str, path: str = "/", headers: dict[str, str] | None = None, method: str = "GET"
    ) -> Fetched:
        address = resolver.resolve(host, "A")[0].address
        port = sandbox.endpoints["http"]["port"]
        connection = http.client.HTTPConnection(address, port, timeout=10)
        try:
            connection.request(method, path, headers={"Host": host, **(headers or {})})
            response = connection.getresponse()
            return Fetched(response.status, response.headers, response.read())
        finally:
            connection.close()

    return fetch_
