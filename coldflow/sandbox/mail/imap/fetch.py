"""FETCH data items (RFC 3501 section 6.4.5): parsing what is asked, rendering the answer."""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import datetime

from coldflow.sandbox.mail.imap.search import MONTHS
from coldflow.sandbox.mail.imap.wire import ParseError, Token, literal, quote, text_of
from coldflow.sandbox.mail.store import StoredMessage

_SECTION = re.compile(
    r"^(BODY|BODY\.PEEK)\[([^\]]*)\](?:<(\d{1,10})(?:\.(\d{1,10}))?>)?$", re.IGNORECASE
)
_HEADER_LINE_START = re.compile(rb"^[^\s:]+:", re.MULTILINE)
_MACROS = {
    "ALL": ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"],
    "FAST": ["FLAGS", "INTERNALDATE", "RFC822.SIZE"],
    "FULL": ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"],
}
_SIMPLE = {"FLAGS", "UID", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"}
# RFC822 items answer like BODY sections: (section, sets \Seen).
_RFC822_ITEMS = {
    "RFC822": ("", True),
    "RFC822.HEADER": ("HEADER", False),
    "RFC822.TEXT": ("TEXT", True),
}


@dataclass(frozen=True)
class FetchItem:
    # FLAGS, UID, INTERNALDATE, RFC822.SIZE, ENVELOPE, or SECTION for message content.
    kind: str
    # The name the answer carries, e.g. "BODY[HEADER.FIELDS (SUBJECT)]<0>" or "RFC822".
    response_name: str = ""
    # "", "HEADER", "TEXT", "HEADER.FIELDS" or "HEADER.FIELDS.NOT".
    section: str = ""
    fields: tuple[str, ...] = ()
    partial: tuple[int, int | None] | None = None
    sets_seen: bool = False


def parse_fetch_items(token: Token) -> list[FetchItem]:
    names = token if isinstance(token, list) else [token]
    if not names:
        raise ParseError("empty fetch item list")
    items: list[FetchItem] = []
    for name_token in names:
        name = text_of(name_token)
        upper = name.upper()
        if not isinstance(token, list) and upper in _MACROS:
            items.extend(FetchItem(kind=n) for n in _MACROS[upper])
        elif upper in _SIMPLE:
            items.append(FetchItem(kind=upper))
        elif upper in _RFC822_ITEMS:
            section, sets_seen = _RFC822_ITEMS[upper]
            items.append(FetchItem("SECTION", upper, section, sets_seen=sets_seen))
        else:
            items.append(_section_item(name))
    return items


def _section_item(name: str) -> FetchItem:
    match = _SECTION.match(name)
    if match is None:
        raise ParseError(f"unsupported fetch item {name[:40]!r}")
    kind, spec, start, length = match.groups()
    spec = " ".join(spec.split()).upper()
    fields: tuple[str, ...] = ()
    if spec.startswith(("HEADER.FIELDS.NOT ", "HEADER.FIELDS ")):
        section, _, field_list = spec.partition(" ")
        if not (field_list.startswith("(") and field_list.endswith(")")):
            raise ParseError("header field list must be parenthesised")
        fields = tuple(f.strip('"') for f in field_list[1:-1].split())
        if not fields:
            raise ParseError("empty header field list")
        spec = f"{section} ({' '.join(fields)})"
    elif spec in ("", "HEADER", "TEXT"):
        section = spec
    else:
        raise ParseError(f"unsupported section {spec[:40]!r}")
    partial = None
    response_name = f"BODY[{spec}]"
    if start is not None:
        partial = (int(start), int(length) if length is not None else None)
        response_name += f"<{start}>"
    return FetchItem(
        "SECTION",
        response_name,
        section,
        fields,
        partial,
        sets_seen=kind.upper() == "BODY",
    )


def section_bytes(message: StoredMessage, item: FetchItem) -> bytes:
    if item.section == "":
        data = message.raw
    elif item.section == "HEADER":
        data = message.header_bytes
    elif item.section == "TEXT":
        data = message.body_bytes
    else:
        data = header_fields(message.header_bytes, item.fields, item.section.endswith(".NOT"))
    if item.partial is not None:
        start, length = item.partial
        data = data[start : start + length] if length is not None else data[start:]
    return data


def header_fields(header: bytes, fields: tuple[str, ...], exclude: bool) -> bytes:
    """The header lines (with their continuations) whose names are (or aren't) in `fields`."""
    wanted = {f.lower().encode("latin-1") for f in fields}
    starts = [m.start() for m in _HEADER_LINE_START.finditer(header)]
    kept = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(header)
        block = header[start:end].rstrip(b"\r\n")
        if not block:
            continue
        name = block.split(b":", 1)[0].strip().lower()
        if (name in wanted) != exclude:
            kept.append(block + b"\r\n")
    return b"".join(kept) + b"\r\n"


def internal_date(value: datetime) -> bytes:
    offset = value.strftime("%z") or "+0000"
    month = MONTHS[value.month - 1]
    return f'"{value.day:02d}-{month}-{value.year:04d} {value:%H:%M:%S} {offset}"'.encode()


def envelope(message: StoredMessage) -> bytes:
    headers = message.headers

    def single(name: str) -> bytes:
        value = headers.get(name)
        return quote(" ".join(str(value).split())) if value is not None else b"NIL"

    def addresses(name: str, fallback: str | None = None) -> bytes:
        values = headers.get_all(name) or (headers.get_all(fallback) if fallback else None)
        if not values:
            return b"NIL"
        parsed = [a for a in email.utils.getaddresses([str(v) for v in values]) if a[1]]
        if not parsed:
            return b"NIL"
        parts = []
        for display, address in parsed:
            mailbox, _, host = address.rpartition("@")
            if not mailbox:
                mailbox, host = host, ""
            parts.append(
                b"("
                + b" ".join([quote(display or None), b"NIL", quote(mailbox), quote(host or None)])
                + b")"
            )
        return b"(" + b"".join(parts) + b")"

    fields = [
        single("Date"),
        single("Subject"),
        addresses("From"),
        addresses("Sender", "From"),
        addresses("Reply-To", "From"),
        addresses("To"),
        addresses("Cc"),
        addresses("Bcc"),
        single("In-Reply-To"),
        single("Message-ID"),
    ]
    return b"(" + b" ".join(fields) + b")"


def flag_list(flags: set[str], recent: bool) -> bytes:
    names = sorted(flags) + (["\\Recent"] if recent else [])
    return b"(" + " ".join(names).encode("latin-1", "replace") + b")"


def render_item(item: FetchItem, message: StoredMessage, recent: bool) -> bytes:
    if item.kind == "FLAGS":
        return b"FLAGS " + flag_list(message.flags, recent)
    if item.kind == "UID":
        return b"UID %d" % message.uid
    if item.kind == "INTERNALDATE":
        return b"INTERNALDATE " + internal_date(message.internal_date)
    if item.kind == "RFC822.SIZE":
        return b"RFC822.SIZE %d" % len(message.raw)
    if item.kind == "ENVELOPE":
        return b"ENVELOPE " + envelope(message)
    return item.response_name.encode() + b" " + literal(section_bytes(message, item))
