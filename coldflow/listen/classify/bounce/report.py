"""The human-readable part of a delivery failure report: which recipients it names and what it
says about each.

Real mail servers write these reports in many layouts. Rather than one parser per vendor, the
reader relies on what the layouts share: each failed recipient's address heads a line (bare, in
angle brackets, after a bullet or a label like "Recipient address:"), and the explanation
follows it (Exim, qmail, Postfix, Courier, Gmail, Exchange, OpenSMTPD, Zoho, ...), or sits in a
Sendmail session transcript around it. The report ends where the copy of the original message
begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coldflow.listen.classify.mime import ADDRESS as _ADDRESS_REGEX

ADDRESS = _ADDRESS_REGEX.pattern
_BRACKETED = rf"[\"'<(\[]*({ADDRESS})[\"'>)\]]*"
# An address heading a line: bare, bracketed, after a bullet, after a label, or after the
# sendmail summary code ("550 5.1.1 <user@host>... User unknown").
_HEAD_ANCHOR = re.compile(
    r"^\s*(?:[*>=+•-]+\s*)?(?:in:\s+|sent\s+<<<\s+)?"
    r"(?:(?:recipient(?: address)?|addressed to|rcpt to|unknown user|invalid final delivery userid"
    r"|could not be delivered to|unable to deliver message to|original-rcpt-to)\s*:\s*)?"
    r"(?:[245]\d\d(?:[ -][245]\.\d\.\d{1,3})?:?\s+)?"
    rf"{_BRACKETED}(?=$|[\s:;,.]|\.\.\.)",
    re.IGNORECASE,
)
# Exchange and Office 365 write "Display Name<mailto:user@host>".
_MAILTO_ANCHOR = re.compile(rf"^[^<>\n]{{0,80}}<mailto:({ADDRESS})>", re.IGNORECASE)
# A sentence naming the recipient: "There was an error delivering your mail to <user@host>."
_PHRASE_ANCHOR = re.compile(
    r"(?:deliver\w*|reach|message|mail|recipients?|errors?)\b[^\n@]{0,60}?"
    rf"\b(?:to|recipients?|errors)\s*:?\s*(?:->\s*)?{_BRACKETED}",
    re.IGNORECASE,
)
_NOT_RECIPIENT_CONTEXT = re.compile(r"(?:\bfrom|sender|\bby|mail from)\s*:?\s*<?$", re.IGNORECASE)

# Where the copy of the original message (or its headers) starts.
_ORIGINAL_MARKERS = re.compile(
    r"^\s*(?:"
    r"-+\s*(?:this is a copy of|below this line is a copy|enclosed is a copy|original message"
    r"|the header of the original|returned message|unsent message follows|original mail)"
    r"|[|]?-+\s*message (?:text|headers?) follows"
    r"|-*\s*original message\s*-*\s*$"
    r"|(?:original )?message headers? follows?\.?\s*$"
    r"|original message follows\.?\s*$"
    r"|-*\s*original message follows"
    r"|included is a copy of the message header"
    r"|below is a copy of the original message"
    r"|original mail as follows"
    r"|original message headers:"
    r"|original message:\s*$"
    r"|message details:\s*$"
    r"|content-type: (?:message/rfc822|text/rfc822-headers)"
    r")",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9-]{1,40}):[ \t]")
_STRONG_HEADERS = frozenset(
    {"received", "return-path", "message-id", "dkim-signature", "mime-version", "delivered-to"}
)
_EXPANDED_FROM = re.compile(rf"\(expanded from:?\s*<?({ADDRESS})>?\)", re.I)
_CONTINUES_OTHER = re.compile(
    r"(expanded|generated|forwarded) from:?\s*$|\b(from|by|sender):?\s*$", re.I
)
_SESSION_START = re.compile(r"^\s*(?:\.\.\. )?while talking to ", re.IGNORECASE)
# Sendmail's one-line verdict on a recipient, after the session it concerns:
# "554 <user@host>... Remote protocol error" or "user@host... Deferred: ...".
_SUMMARY_LINE = re.compile(
    rf"^\s*(?:[245]\d\d(?:[ -][245]\.\d\.\d{{1,3}})? )?<?{ADDRESS}>?\.\.\.\s"
)
# Where the per-recipient fields of a delivery status notification begin.
_DSN_FIELDS = re.compile(
    r"^(?:reporting-mta|final-recipient|original-recipient|arrival-date):", re.I
)
_SENDMAIL_PARAPHRASE = re.compile(r"^\d{3} \d\.\d\.\d <[^>]+>\.\.\. user unknown$", re.IGNORECASE)


@dataclass
class Block:
    """What the report says about one recipient."""

    address: str
    text: str


def split_at_original(text: str) -> tuple[str, str]:
    """The report proper, and the copy of the original message that follows it (if any)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _ORIGINAL_MARKERS.match(line) or _starts_header_block(lines, index):
            return "\n".join(lines[:index]), "\n".join(lines[index:])
    return text, ""


def _starts_header_block(lines: list[str], index: int) -> bool:
    """A run of message headers at the left margin, including one only a real message has."""
    if index and lines[index - 1].strip() and not set(lines[index - 1].strip()) <= set("-=_*"):
        return False
    names = []
    for line in lines[index : index + 8]:
        match = _HEADER_LINE.match(line)
        if match:
            names.append(match.group(1).lower())
        elif not (line[:1] in (" ", "\t") and names):
            break
    return len(names) >= 2 and bool(_STRONG_HEADERS.intersection(names))


def blocks(report: str, excluded: set[str]) -> list[Block]:
    """The recipients a report names, each with the text that concerns it, in report order."""
    lines = report.split("\n")
    anchors: list[tuple[int, str]] = []
    stops: list[int] = []
    for index, line in enumerate(lines):
        address = _anchor_address(line)
        if address and index and _CONTINUES_OTHER.search(lines[index - 1]):
            continue  # "<alias@host> (expanded from\n    <address@host>): ..." names no new recipient
        if address and address not in excluded:
            anchors.append((index, address))
        elif _DSN_FIELDS.match(line):
            stops.append(index)
    found: dict[str, Block] = {}
    for position, (index, address) in enumerate(anchors):
        if position and anchors[position - 1][1] == address:
            continue  # already inside the block this address started just above
        start = _block_start(lines, anchors, position)
        if _SUMMARY_LINE.match(lines[index]):
            end = index + 1
        else:
            later = [line for line, other in anchors[position + 1 :] if other != address]
            end = min([*later[:1], *[stop for stop in stops if stop > index][:1], len(lines)])
        chunk = lines[start:end]
        if any(line.lstrip().startswith("<<<") for line in chunk):
            # Sendmail adds its own "User unknown" after any refusal; the remote's words count.
            chunk = [line for line in chunk if not _SENDMAIL_PARAPHRASE.match(line.strip())]
        text = "\n".join(chunk)
        if address in found:
            found[address].text += "\n" + text
        else:
            found[address] = Block(_sent_to(address, text), text)
    return list(found.values())


def _sent_to(address: str, text: str) -> str:
    """The address the message was sent to when the report names the one an alias expanded to:
    "<final@host> (expanded from <sent@host>)"."""
    match = _EXPANDED_FROM.search("\n".join(text.split("\n")[:4]))
    return match.group(1).lower() if match else address


def _anchor_address(line: str) -> str:
    for pattern in (_HEAD_ANCHOR, _MAILTO_ANCHOR):
        match = pattern.match(line)
        if match:
            return match.group(1).lower().rstrip(".")
    for match in _PHRASE_ANCHOR.finditer(line):
        if not _NOT_RECIPIENT_CONTEXT.search(line[: match.start(1)].rstrip("<\"' ")):
            return match.group(1).lower().rstrip(".")
    return ""


def _block_start(lines: list[str], anchors: list[tuple[int, str]], position: int) -> int:
    """Where a recipient's text starts: its own line, or for a sendmail summary line
    ("554 <user@host>... reason") the session transcript leading up to it."""
    index = anchors[position][0]
    if not re.match(r"^\s*[245]\d\d ", lines[index]):
        return index
    floor = anchors[position - 1][0] + 1 if position else 0
    for back in range(index - 1, floor - 1, -1):
        if _SESSION_START.match(lines[back]):
            return back
    return index if position else floor


# The SMTP phase a failure happened in, as the different report layouts word it.
_PHASES = (
    (
        re.compile(
            r"in reply to (?:the )?(rcpt to|mail from|end of data|data|xforward|helo|ehlo)", re.I
        ),
        None,
    ),
    (
        re.compile(
            r"(?:after|for)\s+(rcpt to|mail from|end of data|data|text|initial connection"
            r"|ehlo|helo|starttls)\b|(?:after|for)\s+(rcpt|mail)\s+command",
            re.I,
        ),
        None,
    ),
    (
        re.compile(r"\[(rcpt_to|mail_from|data)\]|smtp:(rcpt|mail|data)\b|\bin (rcpt to)\b", re.I),
        None,
    ),
    (re.compile(r"did not like our (rcpt to|mail from|final data|data)", re.I), None),
    (re.compile(r"does not like recipient", re.I), "RCPT"),
    (re.compile(r"sender was rejected", re.I), "MAIL"),
    (re.compile(r"failed after i sent the message", re.I), "DATA"),
    (
        re.compile(
            r"refused to talk to me|refused to accept your connection|but greeting failed", re.I
        ),
        "CONN",
    ),
    (re.compile(r"-+\s*smtp command\s*\n\s*(\w+)", re.I), None),
    (re.compile(r"refused to accept your message \((data|rcpt|mail)\)", re.I), None),
)
_CANONICAL = {
    "rcpt to": "RCPT",
    "rcpt_to": "RCPT",
    "rcpt": "RCPT",
    "mail from": "MAIL",
    "mail_from": "MAIL",
    "mail": "MAIL",
    "end of data": "DATA",
    "final data": "DATA",
    "data": "DATA",
    "text": "DATA",
    "initial connection": "CONN",
    "ehlo": "CONN",
    "helo": "CONN",
    "starttls": "CONN",
}
# Gmail's "(state N)": the phase its outbound server had reached.
_GMAIL_STATE = re.compile(r"\(state (\d+)\)")
_GMAIL_STATE_PHASE = {"13": "MAIL", "14": "RCPT", "15": "DATA", "17": "DATA", "18": "DATA"}


def phase(text: str) -> str:
    """The SMTP command the remote server refused: CONN, MAIL, RCPT, DATA or ""."""
    last_sent = ""
    for line in text.split("\n"):
        # ">>> RCPT TO:<...>" / "<<< 550 ..." (Sendmail, Courier); Trend Micro writes
        # "Sent <<< RCPT TO:<...>" / "Received >>> 550 ...".
        sent = re.match(r"^\s*(?:>>>|sent\s+<<<)\s*([A-Za-z]+(?: (?:to|from))?)", line, re.I)
        if sent:
            last_sent = sent.group(1).lower()
        elif last_sent and re.match(r"^\s*(?:<<<|received\s+>>>)\s*[45]\d\d", line, re.I):
            return _CANONICAL.get(last_sent, "")
    state = _GMAIL_STATE.search(text)
    if state and state.group(1) in _GMAIL_STATE_PHASE:
        return _GMAIL_STATE_PHASE[state.group(1)]
    earliest: tuple[int, str] | None = None
    for pattern, fixed in _PHASES:
        match = pattern.search(text)
        if not match:
            continue
        word = fixed or _CANONICAL.get(
            " ".join(next(group for group in match.groups() if group).lower().split()), ""
        )
        if word and (earliest is None or match.start() < earliest[0]):
            earliest = (match.start(), word)
    return earliest[1] if earliest else ""


_TEMPORARY = re.compile(
    r"retry timeout exceeded|will (?:continue|keep) (?:to )?try|warning message only"
    r"|has been delayed|not yet been delivered|only a temporary failure|delivery (?:is |has been )?delayed"
    r"|still being retried|this is a warning|technical details of temporary failure",
    re.IGNORECASE,
)


def says_temporary(text: str) -> bool:
    return bool(_TEMPORARY.search(text))
