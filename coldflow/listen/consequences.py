"""What one classified inbound message means for the lead, the sequence and the sender.

`plan` decides; the caller (coldflow.listen.apply) carries the actions out in the database,
once, through the send stage's functions (coldflow.send.suppression, coldflow.send.auto_pause),
so a bounce or complaint read from the inbox is recorded exactly like one met at send time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from coldflow.listen.classify import Classification

# Bounce reasons that say our sending was refused (reputation, policy, content), not that the
# address is bad: the mailbox's health suffers, the lead is left alone.
POLICY_REASONS = frozenset(
    {
        "blocked",
        "spamdetected",
        "policyviolation",
        "securityerror",
        "rejected",
        "badreputation",
        "requireptr",
        "authfailure",
        "norelaying",
        "notcompliantrfc",
    }
)


@dataclass(frozen=True)
class Context:
    """What is known about the thread the message belongs to."""

    matched: bool
    # The address our message went to (the lead's), when matched.
    lead_address: str = ""
    enrollment_active: bool = False
    next_action_at: datetime | None = None
    # Soft bounces already recorded for this lead, this one not included.
    soft_bounces: int = 0
    own_addresses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Policy:
    # Without a return date, an auto-reply postpones the next step by this many days.
    auto_reply_postpone_days: int = 5
    # This many soft bounces for one lead stop its sequence (without suppressing the address).
    soft_bounce_limit: int = 3


@dataclass
class Plan:
    stop_reason: str = ""
    lead_status: str = ""
    postpone_until: datetime | None = None
    # Failed recipients of the matched message ({address, status, reason}): each is suppressed,
    # and the lead's own address also stops the sequence and marks the lead bounced.
    hard_bounces: list[dict] = field(default_factory=list)
    # The matched message's recipient unsubscribed / reported it as spam (the detail).
    unsubscribe: bool = False
    complaint: str = ""
    # Suppressions beyond the above: senders, addresses of unmatched messages.
    suppress: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)
    pause_mailbox: str = ""
    referral: tuple[str, str] | None = None  # (name, email)
    # (kind, data) for the event log.
    events: list[tuple[str, dict]] = field(default_factory=list)


_INTENT_STATUS = {"interested": "interested", "not_interested": "not_interested"}


def plan(
    reading: Classification,
    context: Context,
    now: datetime,
    policy: Policy = Policy(),
) -> Plan:
    result = Plan()
    kind = reading.kind
    if kind == "reply":
        result.stop_reason = "replied"
        result.lead_status = _INTENT_STATUS.get(reading.intent or "", "replied")
        result.events.append(("reply.received", {"intent": reading.intent or ""}))
        referral = reading.referral
        if reading.intent == "referral" and referral is not None and referral.name:
            result.referral = (referral.name, (referral.email or "").lower())
            result.events.append(
                ("lead.referred", {"name": referral.name, "email": referral.email or ""})
            )
    elif kind == "auto_reply":
        until = _postpone_until(reading.return_date, now, policy)
        result.events.append(
            (
                "reply.auto_reply",
                {
                    "return_date": reading.return_date.isoformat() if reading.return_date else "",
                    "postponed_until": until.isoformat(),
                },
            )
        )
        if context.enrollment_active and (
            context.next_action_at is None or context.next_action_at < until
        ):
            result.postpone_until = until
    elif kind == "bounce":
        _plan_bounce(reading, context, result, policy)
    elif kind == "complaint":
        addresses = _report_addresses(reading, context) or (
            [reading.sender.lower()] if reading.sender else []
        )
        detail = f"feedback report received {now:%Y-%m-%d}"
        lead = context.lead_address.lower()
        if context.matched:
            # The send stage suppresses the lead, stops, and pauses mailbox and campaign.
            result.complaint = detail
        else:
            who = ", ".join(addresses) or "a recipient"
            result.pause_mailbox = f"{who} reported our message as spam ({detail})"
            result.events.append(("message.complained", {"addresses": addresses}))
        for address in addresses:
            if address != lead or not context.matched:
                result.suppress.append((address, "complaint"))
    elif kind == "unsubscribe":
        sender = reading.sender.lower()
        if context.matched:
            result.unsubscribe = True
        elif sender:
            result.events.append(("lead.unsubscribed", {"address": sender}))
        if sender and sender != context.lead_address.lower():
            result.suppress.append((sender, "unsubscribe"))
    else:
        result.events.append(("reply.other", {}))
    if not context.matched:
        # Without a thread there is no enrollment or lead to act on; suppressions and pauses
        # (decided above on the message alone) still apply.
        result.stop_reason = ""
        result.lead_status = ""
        result.postpone_until = None
        result.referral = None
    elif not context.enrollment_active:
        result.stop_reason = ""
        result.postpone_until = None
    return result


def _plan_bounce(reading: Classification, context: Context, result: Plan, policy: Policy) -> None:
    failures = [
        r
        for r in reading.recipients
        if r.reason != "delivered" and r.address not in context.own_addresses
    ]
    lead = context.lead_address.lower()
    if not failures and context.matched:
        result.events.append(
            ("message.soft_bounced", {"address": lead, "status": "", "reason": ""})
        )
        _soft(context, result, policy)
        return
    for recipient in failures:
        address = (recipient.address or lead).lower()
        data = {"address": address, "status": recipient.status, "reason": recipient.reason}
        if recipient.reason in POLICY_REASONS:
            # The mailbox's health (and the send side's auto-pause threshold) counts these.
            result.events.append(("message.blocked", data))
        elif recipient.hard:
            if context.matched and address:
                result.hard_bounces.append(data)
            else:
                # Nothing of ours to act on; the log still shows the report.
                result.events.append(("message.bounced", {**data, "hard": True}))
        else:
            result.events.append(("message.soft_bounced", data))
            if not lead or address == lead:
                _soft(context, result, policy)


def _soft(context: Context, result: Plan, policy: Policy) -> None:
    if context.soft_bounces + 1 >= policy.soft_bounce_limit:
        result.stop_reason = result.stop_reason or "soft_bounce_limit"


def _report_addresses(reading: Classification, context: Context) -> list[str]:
    found = [r.address.lower() for r in reading.recipients if r.address]
    if context.lead_address and context.lead_address.lower() not in found:
        found.append(context.lead_address.lower())
    return [a for a in found if a not in context.own_addresses]


def _postpone_until(return_date: date | None, now: datetime, policy: Policy) -> datetime:
    """The day after the return date (the dispatcher then waits for the sending window), or
    the configured number of days when no date is given or it is already past."""
    if return_date is not None and return_date >= now.date():
        return datetime.combine(return_date + timedelta(days=1), time(0, 0), tzinfo=UTC)
    return now + timedelta(days=policy.auto_reply_postpone_days)
