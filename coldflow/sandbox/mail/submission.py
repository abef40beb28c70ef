"""The user's own mailboxes' SMTP submission (RFC 6409): AUTH, then relay through the router."""

from __future__ import annotations

import email.utils
import uuid
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from coldflow.sandbox.mail.policy import split_address
from coldflow.sandbox.mail.routing import MailRouter, message_id_of
from coldflow.sandbox.mail.smtp_server import CountingHandler, SmtpCounters
from coldflow.sandbox.mail.store import MailStore, header_block
from coldflow.sandbox.mail_world import SenderMailbox


class SenderAuthenticator:
    """Checks AUTH PLAIN/LOGIN credentials against the world's sender mailboxes."""

    def __init__(self, senders: tuple[SenderMailbox, ...]):
        self._by_username = {s.username: s for s in senders}

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        username = data.login.decode("utf-8", "replace")
        sender = self._by_username.get(username)
        if sender is None or data.password.decode("utf-8", "replace") != sender.password:
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=sender)


def complete_headers(raw: bytes, sender: SenderMailbox) -> bytes:
    """Add Message-ID and Date when the client left them out, as RFC 6409 section 8 allows."""
    head = header_block(raw).lower()
    missing = b""
    if not message_id_of(raw):
        domain = split_address(sender.address)[1] or "localhost"
        missing += f"Message-ID: {email.utils.make_msgid(domain=domain)}\r\n".encode()
    if not head.startswith(b"date:") and b"\ndate:" not in head:
        missing += f"Date: {email.utils.formatdate(localtime=False)}\r\n".encode()
    return missing + raw


class SubmissionHandler(CountingHandler):
    def __init__(self, router: MailRouter, store: MailStore, counters: SmtpCounters):
        super().__init__(counters)
        self.router = router
        self.store = store

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        self.counters.commands["MAIL"] += 1
        sender = session.auth_data if session.authenticated else None
        if not isinstance(sender, SenderMailbox):
            return "530 5.7.0 Authentication required"
        if address.lower() != sender.address.lower():
            return f"553 5.7.1 <{address}>: Sender address rejected: not owned by user {sender.username}"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        self.counters.commands["RCPT"] += 1
        local, domain = split_address(address)
        if not local or not domain:
            self.counters.rcpt_answers["501"] += 1
            return f"501 5.1.3 <{address}>: Bad recipient address syntax"
        self.counters.rcpt_answers["250"] += 1
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.counters.commands["DATA"] += 1
        self.counters.messages += 1
        sender = session.auth_data
        assert isinstance(sender, SenderMailbox)  # MAIL is refused without authentication
        raw = complete_headers(envelope.original_content or b"", sender)
        if sender.server_appends_to_sent:
            self.store.append(sender.address, "Sent", raw, flags={"\\Seen"})
        self.router.submit(sender, list(envelope.rcpt_tos), raw)
        return f"250 2.0.0 Ok: queued as {uuid.uuid4().hex[:12].upper()}"
