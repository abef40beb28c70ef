"""`coldflow inspect-message`: what the classifier reads in a stored message file."""

from __future__ import annotations

from pathlib import Path

from coldflow.listen.classify import classify
from coldflow.listen.classify.mime import MAX_PARSE_BYTES


def inspect_file(path: str | Path) -> dict:
    """The reading of one .eml file as a JSON-ready dict (dates as ISO strings)."""
    with open(path, "rb") as handle:
        raw = handle.read(MAX_PARSE_BYTES)
    reading = classify(raw)
    return {
        "file": str(path),
        "kind": reading.kind,
        "recipients": [
            {
                "address": recipient.address,
                "status": recipient.status,
                "hard": recipient.hard,
                "reason": recipient.reason,
            }
            for recipient in reading.recipients
        ],
        "original_message_id": reading.original_message_id,
        "intent": reading.intent,
        "reply_text": reading.reply_text,
        "return_date": reading.return_date.isoformat() if reading.return_date else None,
    }
