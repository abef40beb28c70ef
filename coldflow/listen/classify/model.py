"""What the classifier says about one inbound message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Kind = Literal["bounce", "auto_reply", "complaint", "unsubscribe", "reply", "other"]
Intent = Literal["interested", "not_now", "not_interested", "referral", "question"]

# Reasons for which the address itself will never work: suppress it.
HARD_REASONS = frozenset({"userunknown", "hostunknown", "notaccept", "hasmoved"})


@dataclass(frozen=True)
class FailedRecipient:
    """One recipient a report is about.

    For bounces: a recipient the message could not be delivered to. `status` is the RFC 3463
    enhanced status code; when the report gives none it is a pseudo code `X.0.9NN` derived from
    the reason (the convention of the sisimai project). A reason of `delivered` marks a report of
    a successful delivery, which is not a failure. For complaints the reason is `feedback`, for
    auto-replies `vacation`.
    """

    address: str
    status: str
    reason: str
    hard: bool


@dataclass(frozen=True)
class Referral:
    """The person a reply points us to instead of the sender."""

    name: str | None
    email: str | None


@dataclass(frozen=True)
class Classification:
    kind: Kind
    sender: str
    subject: str
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    recipients: tuple[FailedRecipient, ...] = ()
    # The Message-ID of our message that a report (bounce, complaint) is about.
    original_message_id: str | None = None
    intent: Intent | None = None
    referral: Referral | None = None
    # A person's own words: quoted text and signature stripped (replies and unsubscribes).
    reply_text: str = ""
    return_date: date | None = None
