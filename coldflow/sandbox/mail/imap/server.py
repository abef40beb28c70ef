"""The IMAP listener: one ImapSession per connection, all on the running event loop."""

from __future__ import annotations

import asyncio

from coldflow.sandbox.mail.imap.session import ImapCounters, ImapSession
from coldflow.sandbox.mail.imap.wire import MAX_LINE_BYTES
from coldflow.sandbox.mail.store import MailStore
from coldflow.sandbox.mail_world import SenderMailbox


class ImapServer:
    def __init__(self, store: MailStore, senders: tuple[SenderMailbox, ...]):
        self.store = store
        self.accounts = {sender.username: sender for sender in senders}
        self.counters = ImapCounters()
        self._server: asyncio.Server | None = None
        self._sessions: dict[asyncio.Task, asyncio.StreamWriter] = {}

    async def start(self, host: str, port: int) -> int:
        self._server = await asyncio.start_server(
            self._serve, host=host, port=port, limit=MAX_LINE_BYTES
        )
        return self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._sessions[task] = writer
        try:
            session = ImapSession(
                reader, writer, store=self.store, accounts=self.accounts, counters=self.counters
            )
            await session.run()
        except asyncio.CancelledError:
            # The connection's task is the outermost frame: ending quietly is all there is to do.
            pass
        finally:
            self._sessions.pop(task, None)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        # Hanging up makes each session see end-of-stream and finish by itself.
        for writer in self._sessions.values():
            writer.close()
        if self._sessions:
            _, stuck = await asyncio.wait(list(self._sessions), timeout=2)
            for task in stuck:
                task.cancel()
        await self._server.wait_closed()
        self._server = None
