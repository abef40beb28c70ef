"""A small submission server on loopback whose answers a test scripts per recipient:
refusals (550 5.1.1, 451, 554 5.7.1…), hangs after DATA, hooks run when a message arrives,
and XOAUTH2 logins."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from aiosmtpd.smtp import SMTP, AuthResult

from tests.sandbox.mail.harness import BackgroundLoop


@dataclass
class Script:
    # recipient → answer at RCPT ("550 5.1.1 <x>: no such user").
    rcpt: dict[str, str] = field(default_factory=dict)
    # recipient → answer after the content ("451 4.3.0 try later").
    data: dict[str, str] = field(default_factory=dict)
    # Recipients whose DATA never gets an answer (the client times out).
    hang: set[str] = field(default_factory=set)
    # recipient → a function run (on a thread of its own) when its DATA arrives, before the
    # answer: lets a test change the database while a client is mid-batch.
    on_data: dict[str, Callable[[], None]] = field(default_factory=dict)
    # Access tokens accepted by XOAUTH2.
    tokens: set[str] = field(default_factory=set)
    received: list[bytes] = field(default_factory=list)
    connections: int = 0


class ScriptedHandler:
    def __init__(self, script: Script):
        self.script = script

    async def handle_RCPT(self, server, session, envelope, address, options):
        answer = self.script.rcpt.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        recipient = envelope.rcpt_tos[0]
        if recipient in self.script.on_data:
            await asyncio.to_thread(self.script.on_data[recipient])
        if recipient in self.script.hang:
            await asyncio.sleep(30)
        answer = self.script.data.get(recipient)
        if answer:
            return answer
        self.script.received.append(envelope.original_content)
        return "250 2.0.0 Ok: queued"

    async def auth_XOAUTH2(self, server, args):
        blob = args[1] if len(args) > 1 else ""
        text = base64.b64decode(blob).decode() if blob else ""
        fields = dict(part.split("=", 1) for part in text.split("\x01") if "=" in part)
        token = fields.get("auth", "").removeprefix("Bearer ")
        if token in self.script.tokens:
            return AuthResult(success=True, auth_data=fields.get("user"))
        return AuthResult(success=False, handled=False)


class _CountingSMTP(SMTP):
    def __init__(self, *args, script: Script, **kwargs):
        super().__init__(*args, **kwargs)
        self._script = script

    def connection_made(self, transport):
        self._script.connections += 1
        super().connection_made(transport)


def _password_ok(server, session, envelope, mechanism, data):
    return AuthResult(success=data.login == b"sam" and data.password == b"s3cret")


@contextlib.contextmanager
def scripted_server(script: Script) -> Iterator[tuple[str, int]]:
    background = BackgroundLoop()
    handler = ScriptedHandler(script)

    async def start():
        loop = asyncio.get_running_loop()
        return await loop.create_server(
            lambda: _CountingSMTP(
                handler,
                script=script,
                hostname="scripted.test",
                authenticator=_password_ok,
                auth_require_tls=False,
                loop=loop,
            ),
            host="127.0.0.1",
            port=0,
        )

    server = background.run(start())
    try:
        yield "127.0.0.1", server.sockets[0].getsockname()[1]
    finally:

        async def stop():
            server.close()

        background.run(stop())
        background.close()
