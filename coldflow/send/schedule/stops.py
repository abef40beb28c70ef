"""When a sequence stops: the consequences of what a recipient did, as plain rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    REPLIED = "replied"  # any human reply: question, not now, not interested, wrong person…
    INTERESTED = "interested"
    AUTO_REPLY = "auto_reply"  # out of office: rescheduled by the listener, never a stop
    SOFT_BOUNCE = "soft_bounce"
    HARD_BOUNCE = "hard_bounce"
    UNSUBSCRIBED = "unsubscribed"
    COMPLAINT = "complaint"


@dataclass(frozen=True)
class StopDecision:
    stop: bool
    reason: str = ""
    # Also stop the sequences of the lead's colleagues (same company, same campaign).
    stop_colleagues: bool = False


def decide(outcome: Outcome, *, stop_on_interested: bool) -> StopDecision:
    """What an outcome does to the sequence.

    A reply always stops the lead's own sequence, as do a hard bounce, an unsubscribe and a
    complaint. An interested reply also stops the colleagues' sequences when the campaign says
    so (the conversation has started; nobody else at the company should get a cold email).
    Auto-replies and soft bounces stop nothing.
    """
    if outcome is Outcome.INTERESTED:
        return StopDecision(True, outcome.value, stop_colleagues=stop_on_interested)
    if outcome in (Outcome.AUTO_REPLY, Outcome.SOFT_BOUNCE):
        return StopDecision(False)
    return StopDecision(True, outcome.value)
