"""Linting whole messages: a saved .eml, or a draft built into the message it would become."""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from coldflow.compose.lint.rules import LintFinding, lint_message, mentions_unsubscribe
from coldflow.compose.lint.spamassassin import (
    SpamAssassinError,
    SpamAssassinReport,
    spamassassin_check,
)


@dataclass
class MessageLint:
    subject: str
    findings: list[LintFinding]
    # None: not asked for, or SpamAssassin is not installed.
    spamassassin: SpamAssassinReport | None = None
    # Why the SpamAssassin check could not run, when it failed.
    spamassassin_error: str = ""
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "subject": self.subject,
            "findings": [f.as_dict() for f in self.findings],
            "spamassassin": self.spamassassin.as_dict() if self.spamassassin else None,
            "spamassassin_error": self.spamassassin_error,
        }


def lint_eml(raw: bytes, *, spamassassin: bool = False, timeout: float = 60.0) -> MessageLint:
    """Lint a raw message: its subject, first plain-text and HTML bodies and its unsubscribe
    mechanism (a List-Unsubscribe header, or a line in the text telling how to opt out)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    subject = str(message.get("Subject", "") or "")
    text = _body(message, "plain")
    html = _body(message, "html")
    has_unsubscribe = bool(message.get("List-Unsubscribe")) or mentions_unsubscribe(text or html)
    result = MessageLint(
        subject, lint_message(subject, text, html, has_unsubscribe=has_unsubscribe)
    )
    if spamassassin:
        try:
            result.spamassassin = spamassassin_check(raw, timeout=timeout)
        except SpamAssassinError as exc:
            result.spamassassin_error = str(exc)
    return result


def lint_file(path: Path, *, spamassassin: bool = True) -> MessageLint:
    return lint_eml(path.read_bytes(), spamassassin=spamassassin)


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_type() != f"text/{subtype}":
        return ""
    try:
        return part.get_content()
    except (LookupError, UnicodeError):
        # An unknown or lying charset: read what can be read.
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace")


def draft_message(
    subject: str,
    body_text: str,
    body_html: str = "",
    *,
    sender: str,
    recipient: str,
    unsubscribe: str = "",
) -> bytes:
    """A draft as the message it would be sent as (Date, Message-ID, multipart/alternative
    when there is HTML), for the SpamAssassin check. `unsubscribe`: a List-Unsubscribe value
    such as `<mailto:unsubscribe@example.com>`."""
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = email.utils.formatdate(localtime=True)
    domain = email.utils.parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = email.utils.make_msgid(domain=domain)
    if unsubscribe:
        message["List-Unsubscribe"] = unsubscribe
        if "http" in unsubscribe:
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(body_text)
    if body_html:
        message.add_alternative(body_html, subtype="html")
    return message.as_bytes()
