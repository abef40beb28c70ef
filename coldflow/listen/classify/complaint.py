"""Abuse and opt-out complaints: ARF feedback reports (RFC 5965) from mailbox providers'
feedback loops, and Microsoft's JMRP reports (a copy of the message sent to the sender)."""

from __future__ import annotations

import re
from email.message import Message

from coldflow.listen.classify import mime, original
from coldflow.listen.classify.model import FailedRecipient

_JMRP_SUBJECT = re.compile(r"complaint about message from", re.IGNORECASE)


def is_complaint(message: Message) -> bool:
    content_type = message.get_content_type()
    report_type = str(message.get_param("report-type", "") or "").lower()
    if content_type == "multipart/report" and report_type == "feedback-report":
        return True
    if _feedback_part(message) is not None:
        return True
    attached = original.attached_headers(message)
    return bool(
        attached is not None
        and (
            mime.header(attached, "X-HmXmrOriginalRecipient")
            or _JMRP_SUBJECT.search(mime.header(message, "Subject"))
        )
    )


def recipients(message: Message) -> tuple[FailedRecipient, ...]:
    """Whose complaint it is: the reported recipients, else the copy's addressee."""
    found: list[str] = []
    feedback = _feedback_part(message)
    if feedback is not None:
        for value in mime.all_headers(feedback, "Original-Rcpt-To"):
            found.extend(address for address in mime.addresses(value) if address not in found)
    attached = original.attached_headers(message)
    if not found and attached is not None:
        found = mime.addresses(mime.header(attached, "X-HmXmrOriginalRecipient"))
        to = mime.addresses(mime.header(attached, "To"))
        found = found or to[:1]
    return tuple(
        FailedRecipient(address=address, status="", reason="feedback", hard=False)
        for address in found or [""]
    )


def _feedback_part(message: Message) -> Message | None:
    for part in mime.walk(message):
        if part.get_content_type() != "message/feedback-report":
            continue
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            return payload[0]
        if isinstance(payload, str):
            return mime.parse(payload.strip().encode("utf-8", "replace"))
    return None
