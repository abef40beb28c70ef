"""What an SMTP reply to RCPT TO says about the mailbox.

Only a clear "no such user" is evidence that an address is invalid. Policy refusals (blocked
sender, bad reputation, relay denied for us) say something about the prober, not the mailbox,
and are reported as blocked so the verdict stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

RcptOutcome = Literal["accepted", "rejected", "temporary", "blocked", "unverifiable"]

_ENHANCED_CODE = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_NO_SUCH_USER = re.compile(
    r"user unknown|unknown user|no such (user|mailbox|recipient)|does not exist|doesn't exist"
    r"|not exist|invalid (recipient|mailbox|address)|recipient (address )?rejected"
    r"|mailbox (unavailable|not found)|address rejected|unknown (recipient|mailbox)"
    r"|not found|disabled|deactivated|no longer",
    re.IGNORECASE,
)
_POLICY = re.compile(
    r"block|spamhaus|blacklist|black list|denylist|reputation|policy|not allowed|rbl|dnsbl"
    r"|access denied|relay|rate limit|too many|abuse|spam",
    re.IGNORECASE,
)
# Texts are kept for the step detail, not for storage of whatever a server sends.
_MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class RcptAnswer:
    outcome: RcptOutcome
    code: int
    text: str
    # True when the rejection is unambiguous (5.1.x, 5.2.1, or "user unknown").
    certain: bool = False

    def describe(self) -> str:
        return f"{self.code} {self.text}".strip()


def readable(text: str, limit: int = _MAX_TEXT) -> str:
    """A server's reply text made safe to store and print: undecodable bytes (kept by the SMTP
    client as surrogates) and control characters replaced, whitespace collapsed, bounded."""
    text = text[: limit * 4].encode("utf-8", "replace").decode("utf-8", "replace")
    text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())[:limit]


def classify_rcpt(code: int, text: str) -> RcptAnswer:
    text = readable(text)
    enhanced = _ENHANCED_CODE.search(text)
    subject, detail = (enhanced.group(2), enhanced.group(3)) if enhanced else ("", "")
    if code in (250, 251):
        return RcptAnswer("accepted", code, text, certain=True)
    if code == 252 or 200 <= code < 300:
        # 252: "cannot verify the user, will accept and try": no evidence either way.
        return RcptAnswer("unverifiable", code, text)
    if 400 <= code < 500:
        return RcptAnswer("temporary", code, text)
    if code < 500 or code >= 600:
        return RcptAnswer("unverifiable", code, text)
    if subject == "7" or (
        subject != "1" and _POLICY.search(text) and not _NO_SUCH_USER.search(text)
    ):
        return RcptAnswer("blocked", code, text)
    if subject == "1" and detail in ("1", "0", "10", "6"):
        # 5.1.1 bad mailbox, 5.1.0 other address status, 5.1.10 null MX, 5.1.6 moved.
        return RcptAnswer("rejected", code, text, certain=True)
    if subject == "2" and detail == "1":
        # 5.2.1: the mailbox is disabled.
        return RcptAnswer("rejected", code, text, certain=True)
    if subject == "2" and detail == "2":
        # 5.2.2: the mailbox exists but is full; it will not take mail now.
        return RcptAnswer("unverifiable", code, text)
    if subject in ("1", "") and _NO_SUCH_USER.search(text):
        return RcptAnswer("rejected", code, text, certain=True)
    if code in (550, 551, 553) and subject in ("1", ""):
        return RcptAnswer("rejected", code, text)
    return RcptAnswer("unverifiable", code, text)
