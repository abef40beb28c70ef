"""Reading a delivery failure report: who failed, why, with which status code, and which
message of ours it was."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from coldflow.listen.classify import mime, original
from coldflow.listen.classify.bounce import detect, dsn, report
from coldflow.listen.classify.bounce.reasons import Evidence, decide, normalise
from coldflow.listen.classify.bounce.status import code_in_text, prefer, pseudo_code, reply_code
from coldflow.listen.classify.model import HARD_REASONS, FailedRecipient

# How deep to look for a report forwarded inside another report.
_MAX_NESTING = 2
# McAfee's gateway reports its own verdict on the recipient, whatever the SMTP phase.
_MCAFEE_LIST = re.compile(r"---\s*The following addresses had delivery problems\s*---")
_MCAFEE_LINE = re.compile(r"(?m)^<[^>\s]+@[^>\s]+>\s{2,}\(")
_REPLY = re.compile(r"\b[45]\d\d\b")
_INTRODUCTION = re.compile(
    r"automatically generated delivery status notification|following (recipients?|address(es)?)"
    r".{0,60}:\s*$",
    re.IGNORECASE,
)
# PowerMTA classifies each failure itself (X-PowerMTA-BounceCategory).
_POWERMTA_CATEGORY = {
    "bad-mailbox": "userunknown",
    "bad-domain": "hostunknown",
    "inactive-mailbox": "suspend",
    "quota-issues": "mailboxfull",
    "spam-related": "spamdetected",
    "virus-related": "virusdetected",
    "message-expired": "expired",
    "relaying-issues": "norelaying",
    "policy-related": "policyviolation",
    "invalid-sender": "rejected",
}


@dataclass(frozen=True)
class BounceReading:
    recipients: tuple[FailedRecipient, ...]
    original_message_id: str | None


def read(
    message: Message, body: str, own_addresses: frozenset[str] = frozenset(), depth: int = 0
) -> BounceReading:
    """What a delivery failure report says. `body` is the report's own readable text;
    `own_addresses` (the user's mailboxes) are never taken for a failed recipient."""
    text, copied = report.split_at_original(body)
    records = dsn.from_parts(message) or dsn.from_text(body)
    excluded = _not_recipients(message, f"{copied}\n{text}") | own_addresses
    blocks = report.blocks(text, excluded)
    evidence = _merge(records, blocks, _failed_header(message), text)
    if not evidence and depth < _MAX_NESTING:
        for attached in mime.attached_messages(message):
            inner_body = mime.body_text(attached, with_attachments=True)
            if detect.is_bounce(attached, inner_body):
                return read(attached, inner_body, own_addresses, depth + 1)
    if not evidence:
        intended = [
            address for address in original.recipients(message, copied) if address not in excluded
        ]
        if len(intended) == 1:
            evidence = [Evidence(address=intended[0], diagnostic=text)]
    _apply_format_knowledge(evidence, text)
    temporary = report.says_temporary(text)
    return BounceReading(
        recipients=tuple(finish(item, temporary) for item in evidence),
        original_message_id=original.message_id(message, copied, text),
    )


def finish(evidence: Evidence, report_is_temporary: bool = False) -> FailedRecipient:
    """Settle the status code and reason of one recipient."""
    reply = reply_code(evidence.diagnostic)
    evidence.status = prefer(evidence.status, code_in_text(evidence.diagnostic), reply)
    reason = decide(evidence)
    status = evidence.status
    if not status and reason != "delivered":
        temporary = (
            evidence.temporary
            or report_is_temporary
            or evidence.action.lower() == "delayed"
            or reply.startswith("4")
        )
        status = pseudo_code(reason, temporary)
    return FailedRecipient(
        address=evidence.address, status=status, reason=reason, hard=reason in HARD_REASONS
    )


def _not_recipients(message: Message, copied: str) -> set[str]:
    """Addresses a report mentions that are not failed recipients: its own sender and
    addressee (our mailbox) and whoever sent the original message."""
    found = set(original.senders(message, copied))
    for name in ("From", "To", "Cc", "Return-Path", "Reply-To"):
        found.update(mime.addresses(mime.header(message, name)))
    return found


def _failed_header(message: Message) -> list[str]:
    found: list[str] = []
    for value in mime.all_headers(message, "X-Failed-Recipients"):
        found.extend(address for address in mime.addresses(value) if address not in found)
    return found


def _merge(
    records: list[dsn.DsnRecipient], blocks: list[report.Block], failed: list[str], text: str
) -> list[Evidence]:
    by_address = {block.address: block for block in blocks}
    if records:
        found = []
        for record in records:
            block = next((by_address[a] for a in record.all_addresses if a in by_address), None)
            if block is None and len(records) == 1 and len(blocks) == 1:
                block = blocks[0]
            address = record.address or (block.address if block else "")
            if not address and len(failed) == 1:
                address = failed[0]
            extra = block.text if block else (_explanation(text) if len(records) == 1 else "")
            evidence = _evidence(
                address,
                diagnostic=record.diagnostic,
                extra=extra,
                status=record.status,
                diagnostic_type=record.diagnostic_type,
                action=record.action,
            )
            evidence.reason = _POWERMTA_CATEGORY.get(record.category, "")
            found.append(evidence)
        return found
    if failed:
        # Exim names the failed recipients in a header; the text may name pipes and files.
        return [
            _evidence(address, extra=_with_context(by_address.get(address), text, len(failed)))
            for address in failed
        ]
    return [
        _evidence(block.address, extra=_with_context(block, text, len(blocks))) for block in blocks
    ]


def _with_context(block: report.Block | None, text: str, recipients: int) -> str:
    """What the report says about a recipient. Reports that state the reason away from the
    address (Lotus Notes, au, MailMarshal) or once for a list of addresses (Gmail) lend the
    recipient their whole explanation."""
    if block is None:
        return _explanation(text)
    if _REPLY.search(block.text):
        return block.text
    said = len(normalise(block.text).split())
    if recipients == 1 or said < 4:
        return f"{block.text}\n{_explanation(text)}"
    return block.text


def _explanation(text: str) -> str:
    """A report's text without its introductory sentences ("Delivery to the following
    recipients failed permanently:"), which say that it failed but not why."""
    return "\n".join(line for line in text.split("\n") if not _INTRODUCTION.search(line))


def _evidence(address: str, extra: str, diagnostic: str = "", **fields: str) -> Evidence:
    if extra and normalise(extra) not in normalise(diagnostic):
        diagnostic = f"{diagnostic}\n{extra}" if diagnostic else extra
    return Evidence(
        address=address, diagnostic=diagnostic, command=report.phase(diagnostic), **fields
    )


def _apply_format_knowledge(evidence: list[Evidence], text: str) -> None:
    """What some reporting systems' fixed wording means beyond the words themselves."""
    mcafee = bool(_MCAFEE_LIST.search(text) and _MCAFEE_LINE.search(text))
    google_groups = "groups.google.com" in text.lower()
    for item in evidence:
        if mcafee:
            item.authoritative = True
        if google_groups and item.address.endswith("@googlegroups.com"):
            # The group refused the post: no such group, or no permission to post.
            item.reason = "rejected"
