"""Sandbox mail servers on a background event loop, and clients, for tests over real sockets."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
from imapclient import IMAPClient

from coldflow.sandbox.mail import MailServers
from coldflow.sandbox.mail_world import DomainPolicy, MailWorld, ProspectBehaviour, SenderMailbox

SAM = SenderMailbox("sam@sender.test", "sam", "s3cret", "Sam Seller", server_appends_to_sent=True)
TINA = SenderMailbox("tina@sender.test", "tina", "pw-tina", "Tina Trader")


def small_world() -> MailWorld:
    return MailWorld(
        domains={
            "acme.test": DomainPolicy(
                "acme.test",
                mailboxes=frozenset({"anna", "bob", "quiet"}),
                bounce_after_accept=frozenset({"gone"}),
            ),
            "catchall.test": DomainPolicy(
                "catchall.test", mailboxes=frozenset({"info"}), catch_all=True
            ),
            "grey.test": DomainPolicy("grey.test", mailboxes=frozenset({"carl"}), greylist=True),
            "nomx.test": DomainPolicy("nomx.test", mailboxes=frozenset(), has_mx=False),
        },
        prospects={
            "anna@acme.test": ProspectBehaviour(
                "anna@acme.test", "Anna", "Alder", "interested", delay_seconds=2.0
            ),
            "bob@acme.test": ProspectBehaviour(
                "bob@acme.test",
                "Bob",
                "Brenner",
                "out_of_office",
                language="de",
                return_date=date(2025, 3, 3),
            ),
            "info@catchall.test": ProspectBehaviour(
                "info@catchall.test",
                "Ines",
                "Info",
                "referral",
                referral_name="Dora Meyer",
                referral_email="dora@catchall.test",
            ),
            "carl@grey.test": ProspectBehaviour(
                "carl@grey.test", "Carl", "Grau", "unsubscribe", language="de"
            ),
            "quiet@acme.test": ProspectBehaviour("quiet@acme.test", "Q", "Uiet", "none"),
        },
        senders=(SAM, TINA),
    )


class BackgroundLoop:
    """An event loop on its own thread, so blocking clients can run in the test thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine, timeout: float = 10.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def call(self, function, *args):
        """Run a plain function on the loop's thread and return its result."""

        async def wrapper():
            return function(*args)

        return self.run(wrapper())

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


@contextmanager
def running_mail_servers(world: MailWorld | None = None, **options) -> Iterator[MailServers]:
    options.setdefault("time_scale", 0.02)
    options.setdefault("greylist_seconds", 0.3)
    background = BackgroundLoop()
    servers = MailServers(world or small_world(), **options)
    background.run(servers.start())
    try:
        yield servers
    finally:
        background.run(servers.stop())
        background.close()


def wait_for(condition, timeout: float = 5.0, interval: float = 0.02):
    """Poll until `condition()` is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    username: str
    password: str

    def client(self) -> IMAPClient:
        client = connect_imap(self.host, self.port)
        client.login(self.username, self.password)
        return client


def connect_imap(host: str, port: int) -> IMAPClient:
    """An IMAPClient with Nagle's algorithm off: it sends a command's CRLF in a separate write,
    which against delayed ACKs costs 40 ms per command and would dominate the suite's time."""
    client = IMAPClient(host, port=port, ssl=False, timeout=10)
    client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return client


def external_imap() -> ImapAccount | None:
    """COLDFLOW_TEST_IMAP=host:port:user:password runs the generic IMAP tests against that
    server too (CI points it at Debian's Dovecot)."""
    spec = os.environ.get("COLDFLOW_TEST_IMAP")
    if not spec:
        return None
    host, port, username, password = spec.split(":", 3)
    return ImapAccount(host, int(port), username, password)


@dataclass(frozen=True)
class SubmissionAccount:
    host: str
    port: int
    username: str
    password: str
    address: str
    # An address this account must not send as.
    foreign_address: str


def external_submission() -> SubmissionAccount | None:
    """COLDFLOW_TEST_SUBMISSION=host:port:user:password:address:foreign_address runs the generic
    submission tests against that server too (CI points it at Debian's Postfix)."""
    spec = os.environ.get("COLDFLOW_TEST_SUBMISSION")
    if not spec:
        return None
    host, port, username, password, address, foreign = spec.split(":", 5)
    return SubmissionAccount(host, int(port), username, password, address, foreign)
