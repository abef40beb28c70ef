"""Building the email a prospect receives: plain logic over the stored message and mailbox.

Every message carries a plain-text part, the exact Message-ID stored before sending, threading
headers for follow-ups, List-Unsubscribe (one-click HTTPS link when PUBLIC_URL is set, plus a
mailto) with List-Unsubscribe-Post (RFC 8058), and a footer with the sender's postal address.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Protocol

from coldflow.send.settings import SendSettings
from coldflow.send.unsubscribe_token import unsubscribe_url

# Lines up to RFC 5322's hard limit: the default 78 folds List-Unsubscribe right after its
# colon, which leaves naive parsers with a value starting in whitespace.
_POLICY = SMTP.clone(max_line_length=998)

# The compose stage may create Message-IDs before a mailbox is chosen; the sending mailbox's
# domain replaces this one before the message is recorded as `sending`.
PROVISIONAL_DOMAIN = "coldflow.local"


class OutboundLike(Protocol):
    pk: int
    to_address: str
    subject: str
    body_text: str
    body_html: str
    message_id: str
    in_reply_to: str
    references: str


class MailboxLike(Protocol):
    email: str
    display_name: str
    signature: str


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()


def final_message_id(message_id: str, sender_address: str) -> str:
    """The Message-ID as sent: a provisional `@coldflow.local` id gets the sender's domain."""
    suffix = f"@{PROVISIONAL_DOMAIN}>"
    if message_id.lower().endswith(suffix):
        return message_id[: -len(suffix)] + f"@{domain_of(sender_address)}>"
    return message_id


def final_references(references: str, sender_address: str) -> str:
    return " ".join(final_message_id(part, sender_address) for part in references.split())


def envelope_sender(outbound: OutboundLike, mailbox: MailboxLike, settings: SendSettings) -> str:
    """MAIL FROM: the mailbox, or its signed per-message VERP address when that is on (the
    listen stage reads bounces to it back to this message)."""
    if not settings.verp_return_path or outbound.pk is None:
        return mailbox.email
    from coldflow.listen.verp import return_path

    return return_path(mailbox.email, outbound.pk, settings.secret_key)


def unsubscribe_targets(outbound: OutboundLike, mailbox: MailboxLike, settings: SendSettings):
    """(one-click HTTPS URL or "", mailto URL)."""
    https = ""
    if settings.public_url and outbound.pk is not None:
        https = unsubscribe_url(settings.public_url, outbound.pk, settings.secret_key)
    mailto = f"mailto:{mailbox.email}?subject=unsubscribe"
    return https, mailto


def _text_footer(settings: SendSettings, https: str) -> str:
    lines = [line for line in (settings.footer, settings.postal_address) if line.strip()]
    if https:
        lines.append(f"Unsubscribe: {https}")
    return "\n".join(lines)


def _html_footer(settings: SendSettings, https: str) -> str:
    parts = [html.escape(line) for line in (settings.footer, settings.postal_address) if line]
    if https:
        parts.append(f'<a href="{html.escape(https)}">Unsubscribe</a>')
    if not parts:
        return ""
    return '<p style="color:#777;font-size:12px">' + "<br>".join(parts) + "</p>"


def _with_signature(body: str, signature: str) -> str:
    body = body.rstrip()
    signature = signature.strip()
    if signature and signature not in body:
        body = f"{body}\n\n{signature}"
    return body


def build_message(
    outbound: OutboundLike,
    mailbox: MailboxLike,
    settings: SendSettings,
    *,
    now: datetime | None = None,
) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    local, _, domain = mailbox.email.partition("@")
    message["From"] = Address(mailbox.display_name or "", local, domain)
    message["To"] = outbound.to_address
    message["Subject"] = outbound.subject
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = final_message_id(outbound.message_id, mailbox.email)
    if outbound.in_reply_to:
        message["In-Reply-To"] = final_message_id(outbound.in_reply_to, mailbox.email)
    if outbound.references:
        message["References"] = final_references(outbound.references, mailbox.email)
    https, mailto = unsubscribe_targets(outbound, mailbox, settings)
    message["List-Unsubscribe"] = f"<{https}>, <{mailto}>" if https else f"<{mailto}>"
    if https:
        # RFC 8058: one-click needs an HTTPS URI for the POST.
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"

    text = _with_signature(outbound.body_text, mailbox.signature)
    footer = _text_footer(settings, https)
    if footer:
        text = f"{text}\n\n--\n{footer}"
    message.set_content(text + "\n")
    if outbound.body_html:
        html_footer = _html_footer(settings, https)
        message.add_alternative(outbound.body_html + html_footer, subtype="html")
    return message
