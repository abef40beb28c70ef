"""What an SMTP answer at send time means for the message, the lead and the mailbox.

Pure: a stage, a reply code (None when the server gave no answer: no DNS, no connection, a
timeout, a dropped line) and the reply text go in; one of six verdicts comes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# Where in the session the answer came: before the transaction (address: the server's address
# is one the installation refuses; dns, tcp, tls, greeting, auth),
# inside it before any content was sent (mail, rcpt), or once DATA began (data).
Stage = Literal["address", "dns", "tcp", "tls", "greeting", "auth", "mail", "rcpt", "data"]
Kind = Literal["sent", "hard_bounce", "rejected", "retry", "pause_mailbox", "unknown"]

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_SESSION_STAGES = ("address", "dns", "tcp", "tls", "greeting", "auth")


@dataclass(frozen=True)
class SmtpVerdict:
    kind: Kind
    reason: str


def enhanced_status(text: str) -> str:
    match = _ENHANCED.match(text)
    return ".".join(match.groups()) if match else ""


def describe(stage: str, code: int | None, text: str) -> str:
    answer = f"{code} {text}".strip() if code is not None else text
    return f"{stage}: {answer}" if answer else stage


def classify(stage: Stage, code: int | None, text: str = "") -> SmtpVerdict:
    said = describe(stage, code, text)
    status = enhanced_status(text)
    if code is None:
        if stage in _SESSION_STAGES:
            return SmtpVerdict("pause_mailbox", f"cannot reach the mail server ({said})")
        if stage == "data":
            # The content may have reached the server: only the Sent folder can tell.
            return SmtpVerdict("unknown", f"no answer after DATA began ({said})")
        return SmtpVerdict("retry", f"connection lost before the message was sent ({said})")
    if 200 <= code < 300:
        return SmtpVerdict("sent", said)
    if stage == "auth":
        return SmtpVerdict("pause_mailbox", f"the server refused the login ({said})")
    if status.startswith("5.7"):
        return SmtpVerdict("pause_mailbox", f"policy rejection, not the lead's fault ({said})")
    if 400 <= code < 500:
        return SmtpVerdict("retry", f"temporary failure ({said})")
    if stage in _SESSION_STAGES or stage == "mail":
        # A refused sender or session is the mailbox's problem, not the recipient's.
        return SmtpVerdict("pause_mailbox", f"the server refused the sender ({said})")
    if status.startswith("5.1") or (not status and stage == "rcpt" and code in (550, 551, 553)):
        return SmtpVerdict("hard_bounce", f"hard bounce ({said})")
    return SmtpVerdict("rejected", f"rejected ({said})")
