"""The pure rules of sending: SMTP answers, may-send decisions, the bounce-rate pause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coldflow.send.auto_pause import bounce_rate_reason
from coldflow.send.decision import SendFacts, decide
from coldflow.send.smtp_answers import classify


@pytest.mark.parametrize(
    ("stage", "code", "text", "kind"),
    [
        ("data", 250, "2.0.0 Ok: queued", "sent"),
        ("rcpt", 550, "5.1.1 <x@acme.test>: user unknown", "hard_bounce"),
        ("data", 550, "5.1.1 mailbox unavailable", "hard_bounce"),
        ("rcpt", 550, "User unknown", "hard_bounce"),
        ("rcpt", 450, "4.2.0 greylisted", "retry"),
        ("data", 451, "4.3.0 try later", "retry"),
        ("mail", 421, "4.7.0 too many messages", "retry"),
        ("rcpt", 554, "5.7.1 relay access denied", "pause_mailbox"),
        ("mail", 553, "5.7.1 sender not owned", "pause_mailbox"),
        ("data", 550, "5.7.1 message rejected as spam", "pause_mailbox"),
        ("mail", 550, "5.1.8 bad sender domain", "pause_mailbox"),
        ("auth", 535, "5.7.8 authentication failed", "pause_mailbox"),
        ("dns", None, "cannot resolve smtp.example.com", "pause_mailbox"),
        ("tcp", None, "connection refused", "pause_mailbox"),
        ("tls", None, "certificate verify failed", "pause_mailbox"),
        ("rcpt", None, "connection lost", "retry"),
        ("data", None, "timed out", "unknown"),
        ("data", 552, "5.3.4 message too big", "rejected"),
    ],
)
def test_smtp_answers_are_classified_by_stage_and_status(stage, code, text, kind):
    assert classify(stage, code, text).kind == kind


NOW = datetime(2025, 11, 25, 10, 0, tzinfo=UTC)


def facts(**changes) -> SendFacts:
    values = {
        "to_address": "anna@acme.test",
        "lead_status": "contacted",
        "campaign_status": "running",
        "enrollment_status": "active",
        "mailbox_status": "active",
        "now": NOW,
    }
    values.update(changes)
    return SendFacts(**values)


@pytest.mark.parametrize(
    ("changes", "action", "reason"),
    [
        ({}, "send", ""),
        ({"suppressed_address": "unsubscribe"}, "drop", "suppressed address (unsubscribe)"),
        ({"suppressed_domain": "manual"}, "drop", "suppressed domain acme.test (manual)"),
        ({"lead_status": "replied"}, "drop", "lead is replied"),
        ({"lead_status": "bounced"}, "drop", "lead is bounced"),
        (
            {"enrollment_status": "stopped", "enrollment_stop_reason": "unsubscribed"},
            "drop",
            "enrollment stopped: unsubscribed",
        ),
        ({"campaign_status": "paused"}, "hold", "campaign paused"),
        ({"campaign_status": "cancelled"}, "drop", "campaign cancelled"),
        (
            {"mailbox_status": "paused_by_system", "mailbox_reason": "bounce rate"},
            "hold",
            "mailbox paused by system: bounce rate",
        ),
        ({"mailbox_status": None}, "hold", "no mailbox assigned"),
        ({"scheduled_at": NOW + timedelta(minutes=30)}, "hold", "not due before"),
        ({"scheduled_at": NOW + timedelta(seconds=20)}, "send", ""),
    ],
)
def test_may_send_decides_from_the_facts_at_the_moment_of_sending(changes, action, reason):
    decision = decide(facts(**changes))
    assert decision.action == action
    assert decision.reason.startswith(reason)


def test_suppression_wins_over_everything_else():
    decision = decide(facts(suppressed_address="hard_bounce", mailbox_status="paused_by_user"))
    assert decision.action == "drop"


@pytest.mark.parametrize(
    ("sends", "bounces", "paused"),
    [
        (100, 2, False),  # exactly 2 %: not above
        (100, 3, True),
        (200, 5, True),
        (10, 1, False),  # too few sends to judge one bounce
        (10, 3, True),  # three bounces are a pattern on their own
        (0, 0, False),
    ],
)
def test_the_bounce_rate_pauses_only_above_the_threshold(sends, bounces, paused):
    reason = bounce_rate_reason(sends, bounces, 0.02)
    assert (reason is not None) == paused
    if paused:
        assert "above the 2.0% threshold" in reason


def test_every_lead_status_is_either_final_or_still_sendable():
    """One list of the statuses that end a sequence serves delivery and the dispatcher; a new
    LeadStatus must be placed on one side of it."""
    from coldflow.contacts.models import LeadStatus
    from coldflow.send.decision import FINAL_LEAD_STATUSES
    from coldflow.send.schedule import dispatch, preview

    assert dispatch.FINAL_LEAD_STATUSES is preview.FINAL_LEAD_STATUSES is FINAL_LEAD_STATUSES
    assert set(LeadStatus.values) >= FINAL_LEAD_STATUSES
    assert set(LeadStatus.values) - FINAL_LEAD_STATUSES == {"new", "ready", "enrolled", "contacted"}
    for status in FINAL_LEAD_STATUSES:
        assert decide(facts(lead_status=status)).reason == f"lead is {status}"
