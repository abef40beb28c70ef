"""Small loopback servers for the verification tests: a DNS server with chosen records and a
scripted SMTP server that can also misbehave (stay silent, hang up, answer 421)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

from coldflow.contacts.verify import VerifySettings
from coldflow.sandbox.dns import DnsServer
from coldflow.sandbox.world.model import DnsRecord, DnsZoneData


def mx_zone(domain: str, mx_host: str | None = None, address: str = "127.0.0.1") -> list[DnsRecord]:
    """A domain whose one MX host (by default mx.<domain>) resolves to `address`."""
    host = mx_host or f"mx.{domain}"
    records = [DnsRecord(domain, "A", "127.0.0.1"), DnsRecord(domain, "MX", host, 10)]
    if mx_host is None:
        records.append(DnsRecord(host, "A", address))
    return records


@contextlib.asynccontextmanager
async def dns_server(zones: Iterable[str], records: Iterable[DnsRecord]) -> AsyncIterator[int]:
    server = DnsServer(DnsZoneData(zones=tuple(zones), records=tuple(records)))
    await server.start("127.0.0.1", 0)
    try:
        yield server.port
    finally:
        await server.stop()


def loopback_settings(dns_port: int, smtp_port: int, **overrides: object) -> VerifySettings:
    options: dict[str, object] = {
        "nameserver": "127.0.0.1",
        "nameserver_port": dns_port,
        "allow_loopback": True,
        "port_map": {25: smtp_port},
        "connect_timeout": 0.5,
        "command_timeout": 0.5,
        "dns_timeout": 2.0,
        "greylist_retry_delay": 0.1,
    }
    options.update(overrides)
    return VerifySettings(**options)  # type: ignore[arg-type]


@dataclass
class ScriptedMx:
    """An MX host for `mailboxes` (and any address at `catch_all_domains`).

    Misbehaviour: `silent` never greets; `hang_up_after` closes the connection when that many
    RCPT commands have arrived on it; `greet_421` answers the first n connections with 421;
    `rcpt_421` answers every RCPT with 421 and hangs up; `stall_at_rcpt` never answers RCPT;
    `mail_reply` and `rcpt_reply` replace the answers to MAIL and RCPT with raw bytes.
    """

    mailboxes: set[str] = field(default_factory=set)
    catch_all_domains: set[str] = field(default_factory=set)
    silent: bool = False
    hang_up_after: int | None = None
    greet_421: int = 0
    rcpt_421: bool = False
    stall_at_rcpt: bool = False
    mail_reply: bytes | None = None
    rcpt_reply: bytes | None = None
    smtputf8: bool = True
    connections: int = 0
    rcpts: list[str] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def __aenter__(self) -> ScriptedMx:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        try:
            await self._dialogue(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _dialogue(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.silent:
            await reader.read()
            return
        if self.connections <= self.greet_421:
            writer.write(b"421 4.3.2 Too busy, come back later\r\n")
            await writer.drain()
            return
        writer.write(b"220 toy.mx ESMTP\r\n")
        rcpts_here = 0
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                extension = b"250-SMTPUTF8\r\n" if self.smtputf8 else b""
                writer.write(b"250-toy.mx\r\n" + extension + b"250 8BITMIME\r\n")
            elif verb == b"RCPT":
                rcpts_here += 1
                address = line.decode().split(":", 1)[1].strip().strip("<>").lower()
                self.rcpts.append(address)
                if self.hang_up_after is not None and rcpts_here >= self.hang_up_after:
                    return
                if self.stall_at_rcpt:
                    await reader.read()
                    return
                if self.rcpt_421:
                    writer.write(b"421 4.7.0 Too many errors, closing\r\n")
                    await writer.drain()
                    return
                writer.write(self._rcpt_reply(address))
            elif verb == b"MAIL" and self.mail_reply is not None:
                writer.write(self.mail_reply)
            elif verb == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                return
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()

    def _rcpt_reply(self, address: str) -> bytes:
        if self.rcpt_reply is not None:
            return self.rcpt_reply
        domain = address.rpartition("@")[2]
        if address in self.mailboxes or domain in self.catch_all_domains:
            return b"250 2.1.5 OK\r\n"
        return b"550 5.1.1 User unknown\r\n"
