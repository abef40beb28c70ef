"""The message a report is about: its headers, as attached (message/rfc822,
text/rfc822-headers) or copied into the report's text, and its Message-ID."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import Message

from coldflow.listen.classify import mime

_MESSAGE_ID_LINE = re.compile(
    r"^[ \t]*message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]{1,250}@[^<>\s]{1,250}>)",
    re.IGNORECASE | re.MULTILINE,
)


def attached_headers(message: Message) -> Message | None:
    """The headers of the attached original message, if the report carries them as a part."""
    for part in mime.walk(message):
        if part is message:
            continue
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            attached = mime.attached_messages(part) or _inner(part)
            if attached:
                return attached[0]
        elif content_type == "text/rfc822-headers":
            return email.message_from_string(mime.part_text(part), policy=policy.compat32)
    return None


def _inner(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [item for item in payload if isinstance(item, Message)]
    return []


def message_id(message: Message, copied_text: str, report_text: str) -> str | None:
    """The original Message-ID: from an attached copy, else from a copy in the text, else from
    anywhere in the report (a copy with broken headers, or misplaced in another part)."""
    headers = attached_headers(message)
    if headers is not None:
        found = mime.message_ids(mime.header(headers, "Message-ID"))
        if found:
            return found[0]
    own = set(mime.message_ids(mime.header(message, "Message-ID")))
    for text in (copied_text, report_text, _as_text(message)):
        for match in _MESSAGE_ID_LINE.finditer(text):
            if match.group(1) not in own:
                return match.group(1)
    return None


def _as_text(message: Message) -> str:
    try:
        return message.as_string()[: mime.MAX_PARSE_BYTES]
    except Exception:  # noqa: BLE001 - some broken messages cannot be written back
        return ""


def senders(message: Message, copied_text: str) -> set[str]:
    """Addresses of whoever sent the original message: they are never its failed recipients.
    `copied_text` is whatever text may quote the original's headers."""
    found: set[str] = set()
    headers = attached_headers(message)
    if headers is not None:
        for name in ("From", "Sender", "Return-Path", "Reply-To"):
            found.update(mime.addresses(mime.header(headers, name)))
    for match in re.finditer(
        r"(?im)^[ \t]*(?:from|sender|return-path|reply-to|original sender):[ \t]*(.+)$",
        copied_text[:20_000],
    ):
        # Only the first address: qmail writes "From: <sender> RCPT: <recipient> ..." on one line.
        sender = mime.first_address(match.group(1))
        if sender:
            found.add(sender)
    return found


def recipients(message: Message, copied_text: str) -> list[str]:
    """Who the original message was addressed to (envelope first, then headers)."""
    envelope = re.search(r"(?im)^\s*rcpt to:\s*<?([^\s<>]+@[^\s<>]+)>?", copied_text[:20_000])
    if envelope:
        return [envelope.group(1).lower()]
    headers = attached_headers(message)
    if headers is not None:
        return mime.addresses(mime.header(headers, "To"))
    match = re.search(r"(?im)^[ \t]*to:[ \t]*(.+)$", copied_text[:20_000])
    return mime.addresses(match.group(1)) if match else []
