"""What the sandbox's mail servers need to know about the world.

The world generator (coldflow.sandbox.world) produces these from its truth; the mail servers
(coldflow.sandbox.mail) consume them. Nothing else crosses that boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ReplyKind = Literal[
    "interested",
    "not_now",
    "not_interested",
    "referral",
    "out_of_office",
    "unsubscribe",
    "none",
]


@dataclass(frozen=True)
class DomainPolicy:
    """How a prospect domain's MX host answers."""

    domain: str
    # Local parts (lower case) that exist on the server.
    mailboxes: frozenset[str]
    # Accept any local part at RCPT time.
    catch_all: bool = False
    # Answer 450 4.7.1 to the first attempt of each (sender, recipient) pair.
    greylist: bool = False
    # Local parts accepted at RCPT time whose delivery later fails with a delivery report
    # (RFC 3464) sent back to the envelope sender.
    bounce_after_accept: frozenset[str] = frozenset()
    # Domains without an MX record have no mail server at all.
    has_mx: bool = True


@dataclass(frozen=True)
class ProspectBehaviour:
    """How one recipient answers a delivered email (first email of a thread only)."""

    address: str
    first_name: str
    last_name: str
    kind: ReplyKind
    language: Literal["en", "de"] = "en"
    # Seconds of (sandbox) time between delivery and the answer.
    delay_seconds: float = 2.0
    # For "referral": who the prospect points to.
    referral_name: str | None = None
    referral_email: str | None = None
    # For "out_of_office": when they are back.
    return_date: date | None = None


@dataclass(frozen=True)
class SenderMailbox:
    """One of the user's own mailboxes, reachable by SMTP submission and IMAP."""

    address: str
    username: str
    password: str
    display_name: str
    # Real providers differ: Gmail files sent mail in Sent itself, most others don't.
    server_appends_to_sent: bool = False


@dataclass(frozen=True)
class MailWorld:
    domains: dict[str, DomainPolicy] = field(default_factory=dict)
    prospects: dict[str, ProspectBehaviour] = field(default_factory=dict)
    senders: tuple[SenderMailbox, ...] = ()
