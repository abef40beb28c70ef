"""RFC 3464 delivery status notifications: the per-recipient fields of message/delivery-status
parts, and the same fields when a broken or non-standard report carries them as plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message

from coldflow.listen.classify import mime
from coldflow.listen.classify.bounce.status import find_codes

_RECIPIENT_FIELDS = ("final-recipient", "original-recipient", "x-actual-recipient")
_KNOWN_FIELDS = frozenset(
    {
        *_RECIPIENT_FIELDS,
        "action",
        "status",
        "diagnostic-code",
        "remote-mta",
        "last-attempt-date",
        "will-retry-until",
        "x-display-name",
        "final-log-id",
        "x-powermta-bouncecategory",
    }
)
_FIELD_LINE = re.compile(r"^([A-Za-z][A-Za-z-]{2,40}):[ \t]*(.*)$")


@dataclass
class DsnRecipient:
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def address(self) -> str:
        # The address the sender used (ORCPT) is the one our records know; the final one may be
        # the result of an alias expansion.
        for name in ("original-recipient", "final-recipient", "x-actual-recipient"):
            address = _address_of(self.fields.get(name, ""))
            if address:
                return address
        return ""

    @property
    def all_addresses(self) -> list[str]:
        found = [_address_of(self.fields.get(name, "")) for name in _RECIPIENT_FIELDS]
        return [address for address in found if address]

    @property
    def status(self) -> str:
        codes = find_codes(self.fields.get("status", ""))
        return codes[0] if codes else ""

    @property
    def action(self) -> str:
        words = self.fields.get("action", "").split()
        return words[0].lower() if words else ""

    @property
    def diagnostic(self) -> str:
        value = self.fields.get("diagnostic-code", "")
        return value.split(";", 1)[1].strip() if ";" in value else value.strip()

    @property
    def diagnostic_type(self) -> str:
        value = self.fields.get("diagnostic-code", "")
        return value.split(";", 1)[0].strip().lower() if ";" in value else ""

    @property
    def category(self) -> str:
        """The sending MTA's own classification of the failure (PowerMTA)."""
        return self.fields.get("x-powermta-bouncecategory", "").strip().lower()


def _address_of(value: str) -> str:
    value = value.split(";", 1)[1] if ";" in value else value
    value = value.strip().strip("<>").strip().strip('"').lower()
    if "@" not in value or " " in value or value.startswith("@"):
        return ""
    return value


def from_parts(message: Message) -> list[DsnRecipient]:
    """Per-recipient fields of every message/delivery-status part (not of attached messages)."""
    found: list[DsnRecipient] = []
    for part in mime.walk(message):
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            for block in payload:
                if isinstance(block, Message):
                    found.extend(_records(_block_fields(block)))
        elif isinstance(payload, str):
            found.extend(from_text(mime.part_text(part)))
    return found


def _block_fields(block: Message) -> list[tuple[str, str]]:
    pairs = [(name.lower(), value) for name, value in mime.items(block)]
    # A block whose header parsing went wrong keeps its text in the body.
    body = block.get_payload()
    if isinstance(body, str) and ":" in body:
        pairs.extend(_text_fields(body))
    return pairs


def from_text(text: str) -> list[DsnRecipient]:
    """DSN fields written into a text part, as broken or home-made reports do."""
    if not re.search(r"(?im)^(final|original)-recipient:", text):
        return []
    return _records(_text_fields(text))


def _text_fields(text: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    continuing = False
    for line in text.splitlines():
        match = _FIELD_LINE.match(line)
        if match:
            continuing = match.group(1).lower() in _KNOWN_FIELDS
            if continuing:
                pairs.append((match.group(1).lower(), match.group(2).strip()))
        elif continuing and line[:1] in (" ", "\t") and line.strip():
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {line.strip()}")
        else:
            continuing = False
            if not line.strip():
                pairs.append(("", ""))  # RFC 3464 separates recipients by blank lines
    return pairs


def _records(pairs: list[tuple[str, str]]) -> list[DsnRecipient]:
    """Group field pairs into recipients: a blank line, or a recipient field seen twice (in
    reports that leave the blank lines out), starts a new one."""
    records: list[DsnRecipient] = []
    current = DsnRecipient()
    for name, value in pairs:
        if not name or (name in _RECIPIENT_FIELDS and name in current.fields):
            records.append(current)
            current = DsnRecipient()
        if name and name not in current.fields:
            current.fields[name] = value
    records.append(current)
    return [record for record in records if _is_recipient(record)]


def _is_recipient(record: DsnRecipient) -> bool:
    if any(name in record.fields for name in _RECIPIENT_FIELDS):
        return True
    return "action" in record.fields and "status" in record.fields
