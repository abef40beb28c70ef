"""The prospects' MX hosts: one server answering for every sandbox domain by its policy."""

from __future__ import annotations

import uuid

from aiosmtpd.smtp import SMTP, Envelope, Session

from coldflow.sandbox.mail.policy import Greylist, rcpt_answer
from coldflow.sandbox.mail.routing import MailRouter
from coldflow.sandbox.mail.smtp_server import CountingHandler, SmtpCounters
from coldflow.sandbox.mail_world import MailWorld


class MxHandler(CountingHandler):
    def __init__(
        self, world: MailWorld, greylist: Greylist, router: MailRouter, counters: SmtpCounters
    ):
        super().__init__(counters)
        self.world = world
        self.greylist = greylist
        self.router = router

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        self.counters.commands["MAIL"] += 1
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        self.counters.commands["RCPT"] += 1
        client_ip = session.peer[0] if session.peer else ""
        answer = rcpt_answer(self.world, self.greylist, client_ip, _reverse_path(envelope), address)
        self.counters.rcpt_answers[str(answer.code)] += 1
        if answer.accepted:
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(options)
        return answer.reply()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.counters.commands["DATA"] += 1
        self.counters.messages += 1
        raw = envelope.original_content or b""
        for recipient in envelope.rcpt_tos:
            self.router.deliver(_reverse_path(envelope), recipient, raw)
        return f"250 2.0.0 Ok: queued as {uuid.uuid4().hex[:12].upper()}"


def _reverse_path(envelope: Envelope) -> str:
    # aiosmtpd keeps the null reverse-path as "<>" (an empty one would read as "no MAIL yet").
    sender = envelope.mail_from or ""
    return "" if sender == "<>" else sender
