"""Classifying one inbound message: bounce, auto-reply, complaint, unsubscribe request, a
person's reply (with its intent) or other."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from coldflow.listen.classify import auto_reply, complaint, intent, mime, original, unsubscribe
from coldflow.listen.classify.bounce import detect, reader, sns
from coldflow.listen.classify.model import Classification, FailedRecipient
from coldflow.listen.classify.reply_text import own_words
from coldflow.listen.classify.return_date import return_date

_REPLY_SUBJECT = re.compile(
    r"^\s*(re|aw|antw|antwort|sv|vs|ynt|odp|r|rif|ref|rép|res|réf)\s*(\[\d+\])?\s*:", re.IGNORECASE
)
_BULK_PRECEDENCE = ("bulk", "list", "junk")


def classify(
    raw: bytes,
    own_addresses: frozenset[str] = frozenset(),
    intent_reader: intent.IntentReader | None = None,
) -> Classification:
    """Read one raw message (RFC 5322 bytes). Never raises on malformed input.

    `own_addresses` are the user's mailboxes: never taken for a failed recipient or a
    referral. `intent_reader` (an LLM, when configured) reads a reply's intent first; the
    rules decide when it is absent or declines."""
    message = mime.parse(raw)
    subject = mime.header(message, "Subject")
    other = Classification(
        kind="other",
        sender=mime.first_address(mime.header(message, "From")),
        subject=subject,
        message_id=next(iter(mime.message_ids(mime.header(message, "Message-ID"))), None),
        in_reply_to=next(iter(mime.message_ids(mime.header(message, "In-Reply-To"))), None),
        references=tuple(mime.message_ids(mime.header(message, "References"))),
    )
    body = mime.body_text(message)

    ses = sns.read(body)
    if ses is not None:
        return replace(
            other,
            kind=ses.kind,
            recipients=tuple(reader.finish(item) for item in ses.evidence),
            original_message_id=ses.original_message_id,
        )
    if complaint.is_complaint(message):
        return replace(
            other,
            kind="complaint",
            recipients=complaint.recipients(message),
            original_message_id=original.message_id(message, "", body),
        )
    report_body = mime.body_text(message, with_attachments=True)
    if detect.is_bounce(message, report_body):
        bounce = reader.read(message, report_body, own_addresses)
        return replace(
            other,
            kind="bounce",
            recipients=bounce.recipients,
            original_message_id=bounce.original_message_id,
        )
    if auto_reply.is_auto_reply(message, subject, body):
        away = FailedRecipient(address=other.sender, status="", reason="vacation", hard=False)
        return replace(
            other,
            kind="auto_reply",
            recipients=(away,),
            return_date=return_date(f"{subject}\n{body}", _received(message)),
        )

    text = own_words(body)
    bulk = _is_bulk(message)
    if not bulk and unsubscribe.requested(subject, text):
        return replace(other, kind="unsubscribe", reply_text=text)
    threaded = bool(other.in_reply_to or other.references or _REPLY_SUBJECT.match(subject))
    if bulk or not threaded or not text:
        return other
    reading = intent_reader(text) if intent_reader is not None else None
    if reading is None:
        reading = intent.read_intent(text, other.sender, set(own_addresses))
    return replace(
        other,
        kind="reply",
        intent=reading.intent if reading else None,
        referral=reading.referral if reading else None,
        reply_text=text,
    )


def _is_bulk(message: Message) -> bool:
    precedence = mime.header(message, "Precedence").lower()
    return (
        precedence in _BULK_PRECEDENCE
        or bool(mime.header(message, "List-Id"))
        or bool(mime.header(message, "List-Unsubscribe"))
    )


def _received(message: Message) -> date:
    """The day the message was written (its Date), to anchor dates without a year."""
    try:
        written = parsedate_to_datetime(mime.header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return datetime.now(UTC).date()
    return written.date()
