"""DuckDuckGo needs the internet, which this machine does not have: the tests send ddgs through
a local proxy (DDGS_PROXY) so that nothing leaves 127.0.0.1, and check that its failures
become outcomes with a message, never an exception or an empty list."""

import asyncio

from coldflow.discover.providers import SearchOutcome
from coldflow.discover.providers.duckduckgo import DuckDuckGoProvider
from tests.foundation.ports import free_port


def search() -> SearchOutcome:
    return asyncio.run(DuckDuckGoProvider(timeout=3).search("Logistik Hamburg", language="de"))


def test_without_a_network_it_is_unavailable_and_says_why(monkeypatch) -> None:
    monkeypatch.setenv("DDGS_PROXY", f"http://127.0.0.1:{free_port()}")

    outcome = search()

    assert outcome.status == "unavailable"
    assert outcome.results == ()
    assert "Connection refused" in outcome.message and "internet access" in outcome.message


def test_a_network_that_refuses_it_is_reported_as_a_block(monkeypatch) -> None:
    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    async def go() -> SearchOutcome:
        server = await asyncio.start_server(refuse, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        monkeypatch.setenv("DDGS_PROXY", f"http://127.0.0.1:{port}")
        async with server:
            return await DuckDuckGoProvider(timeout=3).search("Logistik Hamburg")

    outcome = asyncio.run(go())

    assert outcome.status == "blocked"
    assert "403" in outcome.message and "another provider" in outcome.message
