"""From an SMTP probe's answer and the domain's catch-all status to a verdict and confidence.

Confidence is how sure we are of the verdict itself: a clear 5.1.1 makes "invalid" near
certain, a 250 from a domain whose catch-all probe was inconclusive makes "valid" a fair bet.
"""

from __future__ import annotations

from coldflow.contacts.verify.host_probe import ProbeAnswer
from coldflow.contacts.verify.result import Step, Verdict


def smtp_verdict(probe: ProbeAnswer, catch_all: bool | None) -> tuple[Verdict, float, Step]:
    """The verdict an address's probe supports, with its smtp step."""
    answer = probe.answer
    after = " (after the greylisting retry)" if probe.retried else ""
    if answer is None:
        return "unknown", 0.0, Step("smtp", probe.failure_kind, probe.failure)
    detail = answer.describe() + after
    if answer.outcome == "accepted":
        if catch_all:
            return (
                "accept_all",
                0.9,
                Step("smtp", "accepted", detail + "; the domain accepts any address"),
            )
        if catch_all is None:
            return "valid", 0.7, Step("smtp", "accepted", detail + "; catch-all status unknown")
        return "valid", 0.95, Step("smtp", "accepted", detail)
    if answer.outcome == "rejected":
        return "invalid", 0.95 if answer.certain else 0.8, Step("smtp", "rejected", detail)
    if answer.outcome == "temporary":
        why = "still refused after the retry" if probe.retried else probe.failure
        return "unknown", 0.0, Step("smtp", "greylisted", f"{detail}; {why}")
    if answer.outcome == "blocked":
        return (
            "unknown",
            0.0,
            Step("smtp", "blocked", f"{detail}; a policy refusal says nothing about the mailbox"),
        )
    return "unknown", 0.0, Step("smtp", "unverifiable", detail)


def catch_all_from_probe(probe: ProbeAnswer | None) -> bool | None:
    """What the random address's answer says: True accepts anything, None is inconclusive."""
    if probe is None or probe.answer is None:
        return None
    if probe.answer.outcome == "accepted":
        return True
    if probe.answer.outcome == "rejected":
        return False
    return None


def with_role(verdict: Verdict, confidence: float) -> tuple[Verdict, float]:
    """A role address keeps an invalid verdict; otherwise "role" says more than valid/unknown."""
    if verdict == "invalid":
        return verdict, confidence
    return "role", 0.9
