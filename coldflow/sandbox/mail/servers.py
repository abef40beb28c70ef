"""Starts the sandbox's mail world on loopback: the prospects' MX, submission and IMAP."""

from __future__ import annotations

import asyncio
from typing import Any

from coldflow.sandbox.mail.imap.server import ImapServer
from coldflow.sandbox.mail.mx import MxHandler
from coldflow.sandbox.mail.policy import Greylist
from coldflow.sandbox.mail.routing import Delivery, MailRouter
from coldflow.sandbox.mail.smtp_server import CountingHandler, SmtpCounters, start_smtp_server
from coldflow.sandbox.mail.store import MailStore
from coldflow.sandbox.mail.submission import SenderAuthenticator, SubmissionHandler
from coldflow.sandbox.mail_world import MailWorld


class MailServers:
    """All sandbox mail servers sharing one store, on the running asyncio loop.

    `reply_delay` slows every MX reply (seconds); `greylist_seconds` is how long a greylisted
    triple waits; `time_scale` multiplies the world's delays (prospect answers, late bounces)
    so tests can make them near-instant.
    """

    def __init__(
        self,
        world: MailWorld,
        *,
        host: str = "127.0.0.1",
        mx_port: int = 0,
        submission_port: int = 0,
        imap_port: int = 0,
        reply_delay: float = 0.0,
        greylist_seconds: float = 1.0,
        time_scale: float = 1.0,
    ):
        self.world = world
        self.host = host
        self._ports = {"mx": mx_port, "submission": submission_port, "imap": imap_port}
        self.reply_delay = reply_delay
        self.time_scale = time_scale
        self.store = MailStore(sender.address for sender in world.senders)
        self.greylist = Greylist(greylist_seconds)
        self._mx_counters = SmtpCounters()
        self._submission_counters = SmtpCounters()
        self._imap = ImapServer(self.store, world.senders)
        self._smtp_servers: list[asyncio.Server] = []
        self._smtp_handlers: list[CountingHandler] = []
        self._router: MailRouter | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._router = MailRouter(
            self.world,
            self.store,
            greylist=self.greylist,
            relay_ip=self.host,
            time_scale=self.time_scale,
            loop=loop,
        )
        mx_handler = MxHandler(self.world, self.greylist, self._router, self._mx_counters)
        submission_handler = SubmissionHandler(self._router, self.store, self._submission_counters)
        self._smtp_handlers = [mx_handler, submission_handler]
        mx = await start_smtp_server(
            mx_handler,
            host=self.host,
            port=self._ports["mx"],
            hostname="mx.sandbox.test",
            reply_delay=self.reply_delay,
        )
        submission = await start_smtp_server(
            submission_handler,
            host=self.host,
            port=self._ports["submission"],
            hostname="smtp.sandbox.test",
            reply_delay=0.0,
            authenticator=SenderAuthenticator(self.world.senders),
            # Loopback only: credentials never leave the machine.
            auth_require_tls=False,
        )
        self._smtp_servers = [mx, submission]
        self._ports["mx"] = mx.sockets[0].getsockname()[1]
        self._ports["submission"] = submission.sockets[0].getsockname()[1]
        self._ports["imap"] = await self._imap.start(self.host, self._ports["imap"])

    async def stop(self) -> None:
        if self._router is not None:
            self._router.cancel_pending()
        for server in self._smtp_servers:
            server.close()
        for handler in self._smtp_handlers:
            handler.hang_up()
        await self._imap.stop()
        for server in self._smtp_servers:
            await server.wait_closed()
        self._smtp_servers = []

    def endpoints(self) -> dict[str, dict[str, Any]]:
        return {name: {"host": self.host, "port": port} for name, port in self._ports.items()}

    def deliveries(self) -> list[Delivery]:
        """Every message the prospects' MX took, per recipient, in order."""
        return self._router.deliveries() if self._router else []

    def received(self, address: str) -> list[bytes]:
        """The messages a prospect's mailbox holds, oldest first."""
        return self.store.received(address)

    def mailbox(self, address: str, folder: str = "INBOX") -> list[bytes]:
        """A snapshot of one of the user's folders, oldest first."""
        return self.store.messages(address, folder)

    def stats(self) -> dict[str, Any]:
        return {
            "mx": self._mx_counters.as_dict(),
            "submission": self._submission_counters.as_dict(),
            "imap": self._imap.counters.as_dict(),
            "deliveries": len(self.deliveries()),
        }
