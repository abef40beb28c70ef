"""What the sandbox's two SMTP servers share: counting, reply latency, the session basics."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

MAX_MESSAGE_BYTES = 25 * 1024 * 1024


@dataclass
class SmtpCounters:
    connections: int = 0
    replies: int = 0
    commands: Counter[str] = field(default_factory=Counter)
    # RCPT answers by reply code ("250", "450", "550"…).
    rcpt_answers: Counter[str] = field(default_factory=Counter)
    messages: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "connections": self.connections,
            "replies": self.replies,
            "commands": dict(self.commands),
            "rcpt_answers": dict(self.rcpt_answers),
            "messages": self.messages,
        }


class _QuietSession(Session):
    """aiosmtpd's own AUTH code sets the deprecated `login_data`, logging a warning each time."""

    @property
    def login_data(self) -> Any:
        return self._login_data

    @login_data.setter
    def login_data(self, value: Any) -> None:
        self._login_data = value


class SandboxSMTP(SMTP):
    """aiosmtpd's server, counting connections and replies, and slowing replies on request."""

    def __init__(self, handler: Any, *, counters: SmtpCounters, reply_delay: float, **kwargs):
        super().__init__(handler, **kwargs)
        self._counters = counters
        self._reply_delay = reply_delay

    def _create_session(self) -> Session:
        return _QuietSession(self.loop)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._counters.connections += 1
        self.event_handler.transports.add(transport)
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self.transport is not None:
            self.event_handler.transports.discard(self.transport)
        super().connection_lost(error)

    async def push(self, status: Any) -> None:
        line = status.encode() if isinstance(status, str) else status
        # A multi-line reply ("250-…" lines, then "250 …") is one reply: delay it once.
        final_line = line[3:4] != b"-"
        if final_line:
            self._counters.replies += 1
            if self._reply_delay:
                await asyncio.sleep(self._reply_delay)
        await super().push(status)


class CountingHandler:
    """aiosmtpd hooks common to both servers; each call counts as one command."""

    def __init__(self, counters: SmtpCounters):
        self.counters = counters
        # Open connections, so stopping the server can hang up on its clients.
        self.transports: set[asyncio.BaseTransport] = set()

    def hang_up(self) -> None:
        for transport in list(self.transports):
            transport.close()
        self.transports.clear()

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list
    ) -> list[str]:
        self.counters.commands["EHLO"] += 1
        session.host_name = hostname
        return responses

    async def handle_RSET(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.counters.commands["RSET"] += 1
        return "250 2.0.0 Ok"

    async def handle_NOOP(
        self, server: SMTP, session: Session, envelope: Envelope, arg: str | None
    ) -> str:
        self.counters.commands["NOOP"] += 1
        return "250 2.0.0 Ok"

    async def handle_QUIT(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.counters.commands["QUIT"] += 1
        return "221 2.0.0 Bye"


async def start_smtp_server(
    handler: CountingHandler,
    *,
    host: str,
    port: int,
    hostname: str,
    reply_delay: float,
    **smtp_options: Any,
) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: SandboxSMTP(
            handler,
            counters=handler.counters,
            reply_delay=reply_delay,
            hostname=hostname,
            data_size_limit=MAX_MESSAGE_BYTES,
            loop=loop,
            **smtp_options,
        ),
        host=host,
        port=port,
    )
