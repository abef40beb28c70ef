"""The sandbox DNS server: authoritative answers for every sandbox zone over UDP and TCP.

Answers the way a real server does: an unknown name is NXDOMAIN, an existing name without the
asked-for type is NOERROR with no answers (no-data), and both carry the zone's SOA in the
authority section so resolvers can cache the negative answer. (dnslib's ZoneResolver answers
NXDOMAIN for a missing type, which would make a domain without MX look nonexistent.)
"""

from __future__ import annotations

import asyncio
import contextlib

from dnslib import MX, NS, QTYPE, RCODE, RR, SOA, TXT, A, DNSError, DNSRecord

from coldflow.sandbox.world.model import DnsRecord, DnsZoneData

TTL = 300
# Real servers answer large UDP replies with TC=1 so the client retries over TCP.
_CLASSIC_UDP_LIMIT = 512
_TCP_IDLE_SECONDS = 10.0


def _rdata(record: DnsRecord) -> A | MX | TXT | NS:
    if record.rtype == "A":
        return A(record.value)
    if record.rtype == "MX":
        return MX(record.value, record.preference)
    if record.rtype == "NS":
        return NS(record.value)
    data = record.value.encode()
    # A TXT record is a list of strings of at most 255 bytes each (DKIM keys are longer).
    return TXT([data[i : i + 255] for i in range(0, len(data), 255)] or [b""])


class SandboxResolver:
    def __init__(self, data: DnsZoneData) -> None:
        self.zones = {z.lower() for z in data.zones}
        self.records: dict[str, dict[str, list[A | MX | TXT | NS]]] = {}
        # Names that exist, including empty non-terminals such as _domainkey.<domain>.
        self.names: set[str] = set(self.zones)
        for record in data.records:
            name = record.name.lower()
            self.records.setdefault(name, {}).setdefault(record.rtype, []).append(_rdata(record))
            zone = self.zone_of(name)
            labels = name.split(".")
            for i in range(len(labels)):
                ancestor = ".".join(labels[i:])
                self.names.add(ancestor)
                if ancestor == zone:
                    break

    def zone_of(self, name: str) -> str | None:
        labels = name.split(".")
        for i in range(len(labels)):
            candidate = ".".join(labels[i:])
            if candidate in self.zones:
                return candidate
        return None

    def _soa(self, zone: str) -> RR:
        soa = SOA(f"ns1.{zone}", f"hostmaster.{zone}", (2026010101, 3600, 600, 86400, TTL))
        return RR(zone, QTYPE.SOA, rdata=soa, ttl=TTL)

    def resolve(self, request: DNSRecord) -> DNSRecord:
        reply = request.reply(ra=1, aa=1)
        if request.header.opcode != 0:
            reply.header.rcode = RCODE.NOTIMP
            return reply
        if not request.questions:
            reply.header.rcode = RCODE.FORMERR
            return reply
        question = request.q
        name = str(question.qname).rstrip(".").lower()
        qtype = QTYPE.get(question.qtype, str(question.qtype))
        zone = self.zone_of(name)
        if zone is None:
            reply.header.aa = 0
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        if name not in self.names:
            reply.header.rcode = RCODE.NXDOMAIN
            reply.add_auth(self._soa(zone))
            return reply
        by_type = self.records.get(name, {})
        if qtype == "SOA" and name == zone:
            reply.add_answer(self._soa(zone))
            return reply
        wanted = list(by_type) if qtype == "ANY" else [qtype]
        for rtype in wanted:
            for rdata in by_type.get(rtype, []):
                reply.add_answer(RR(question.qname, getattr(QTYPE, rtype), rdata=rdata, ttl=TTL))
        if not reply.rr:
            reply.add_auth(self._soa(zone))
        return reply


def _udp_limit(request: DNSRecord) -> int:
    for rr in request.ar:
        if rr.rtype == QTYPE.OPT:
            return max(_CLASSIC_UDP_LIMIT, min(rr.rclass, 4096))
    return _CLASSIC_UDP_LIMIT


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, server: DnsServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        answer = self.server.answer(data, tcp=False)
        if answer is not None and self.transport is not None:
            self.transport.sendto(answer, addr)


class DnsServer:
    def __init__(self, data: DnsZoneData) -> None:
        self.resolver = SandboxResolver(data)
        self.port = 0
        self._tcp: asyncio.Server | None = None
        self._udp: asyncio.DatagramTransport | None = None

    def answer(self, data: bytes, tcp: bool) -> bytes | None:
        """The wire-format reply to one query; None for a packet that is not a DNS query."""
        try:
            request = DNSRecord.parse(data)
        except (DNSError, ValueError, IndexError, UnicodeDecodeError):
            return None
        if request.header.qr:
            return None
        reply = self.resolver.resolve(request)
        packed = reply.pack()
        if not tcp and len(packed) > _udp_limit(request):
            truncated = request.reply(ra=1, aa=reply.header.aa)
            truncated.header.tc = 1
            truncated.header.rcode = reply.header.rcode
            packed = truncated.pack()
        return packed

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on UDP and TCP on the same port (a free one when port is 0)."""
        loop = asyncio.get_running_loop()
        for _ in range(20):
            tcp = await asyncio.start_server(self._serve_tcp, host, port)
            bound = tcp.sockets[0].getsockname()[1]
            try:
                udp, _ = await loop.create_datagram_endpoint(
                    lambda: _UdpProtocol(self), local_addr=(host, bound)
                )
            except OSError:
                tcp.close()
                await tcp.wait_closed()
                if port:
                    raise
                continue
            self._tcp, self._udp, self.port = tcp, udp, bound  # type: ignore[assignment]
            return
        raise OSError("no port free for both UDP and TCP")

    async def stop(self) -> None:
        if self._udp is not None:
            self._udp.close()
            self._udp = None
        if self._tcp is not None:
            self._tcp.close()
            await self._tcp.wait_closed()
            self._tcp = None

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                prefix = await asyncio.wait_for(reader.readexactly(2), _TCP_IDLE_SECONDS)
                data = await asyncio.wait_for(
                    reader.readexactly(int.from_bytes(prefix, "big")), _TCP_IDLE_SECONDS
                )
                answer = self.answer(data, tcp=True)
                if answer is None:
                    break
                writer.write(len(answer).to_bytes(2, "big") + answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
