"""Tying an inbound message to the outbound message it answers or reports on.

Tried in order, first hit wins: In-Reply-To, References (newest first), a VERP return address
(when configured), the original message inside a delivery or feedback report, and last the
sender's address with the subject. The lookups themselves are the caller's (the database).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from typing import Protocol

from coldflow.listen import verp
from coldflow.listen.classify import Classification, mime, original

# Headers that carry the address a message was delivered to (the envelope recipient), where a
# VERP return address shows up on a bounce.
_DELIVERY_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To")
# Reply and forward prefixes in the languages the classifier knows, repeated or numbered.
_PREFIX = re.compile(
    r"^\s*((re|aw|antw|antwort|sv|vs|ynt|odp|r|rif|ref|rép|res|réf|fw|fwd|wg|tr|rv|enc)"
    r"\s*(\[\d+\]|\(\d+\))?\s*:\s*)+",
    re.IGNORECASE,
)
_AUTO_PREFIX = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|abwesenheit"
    r"(snotiz)?|automatische antwort|réponse automatique|absence|respuesta automática|"
    r"undeliverable|undelivered mail returned to sender|delivery status notification"
    r"( \(failure\))?|mail delivery failed|returned mail)\s*:\s*",
    re.IGNORECASE,
)


class SentLookup(Protocol):
    """Finds our outbound messages. Returns the caller's reference (a primary key) or None."""

    def by_message_id(self, message_ids: Sequence[str]) -> int | None: ...

    def by_pk(self, pk: int) -> int | None: ...

    def by_recipient(self, addresses: Sequence[str], subject: str | None) -> int | None:
        """The latest message sent to one of `addresses` (whose normalised subject is
        `subject`, unless it is None)."""
        ...


@dataclass(frozen=True)
class Match:
    sent: int | None
    # in_reply_to, references, verp, dsn_original, sender_subject or "" when unmatched.
    method: str


def normalise_subject(subject: str) -> str:
    """The subject without reply, forward and auto-reply prefixes, whitespace and case."""
    previous = None
    text = subject
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text)
        text = _AUTO_PREFIX.sub("", text)
    return " ".join(text.split()).casefold()


def match(
    reading: Classification,
    message: Message,
    lookup: SentLookup,
    *,
    verp_key: str | None = None,
) -> Match:
    if reading.in_reply_to:
        found = lookup.by_message_id([reading.in_reply_to])
        if found is not None:
            return Match(found, "in_reply_to")
    if reading.references:
        for reference in reversed(reading.references):
            found = lookup.by_message_id([reference])
            if found is not None:
                return Match(found, "references")
    if verp_key:
        for address in _delivery_addresses(message):
            pk = verp.message_pk(address, verp_key)
            found = lookup.by_pk(pk) if pk is not None else None
            if found is not None:
                return Match(found, "verp")
    if reading.kind in ("bounce", "complaint"):
        original_id = reading.original_message_id or original.message_id(message, "", "")
        if original_id:
            found = lookup.by_message_id([original_id])
            if found is not None:
                return Match(found, "dsn_original")
    addresses, subject = _recipient_and_subject(reading, message)
    if addresses and subject:
        found = lookup.by_recipient(addresses, subject)
        if found is not None:
            return Match(found, "sender_subject")
    return Match(None, "")


def _delivery_addresses(message: Message) -> list[str]:
    found: list[str] = []
    for name in _DELIVERY_HEADERS:
        for value in mime.all_headers(message, name):
            found.extend(a for a in mime.addresses(value) if a not in found)
    return found


def _recipient_and_subject(reading: Classification, message: Message) -> tuple[list[str], str]:
    """Whom our message went to and its subject, as far as this message tells."""
    if reading.kind in ("bounce", "complaint"):
        addresses = [r.address.lower() for r in reading.recipients if r.address]
        headers = original.attached_headers(message)
        subject = mime.header(headers, "Subject") if headers is not None else ""
        if not addresses and headers is not None:
            addresses = mime.addresses(mime.header(headers, "To"))
        return addresses, normalise_subject(subject)
    sender = reading.sender.lower()
    return ([sender] if sender else []), normalise_subject(reading.subject)
