"""The planner's decisions on hand-made snapshots."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from coldflow.send.schedule.business_days import BusinessCalendar, SendingWindow
from coldflow.send.schedule.planner import (
    CampaignRules,
    Candidate,
    MailboxState,
    Snapshot,
    gap_seconds,
    plan,
)

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)  # Tuesday


def rules(**overrides) -> CampaignRules:
    values = dict(
        id=1,
        timezone="UTC",
        window=SendingWindow(time(9), time(17), BusinessCalendar()),
        new_leads_per_day=100,
        per_domain_daily_cap=100,
        mailbox_ids=(1, 2, 3),
    )
    values.update(overrides)
    return CampaignRules(**values)


def mailbox(mailbox_id: int, **overrides) -> MailboxState:
    values = dict(
        id=mailbox_id,
        daily_cap=30,
        ramp_start=30,
        ramp_step=0,
        ramp_started_on=None,
        min_gap_seconds=0,
        max_gap_seconds=0,
        timezone="UTC",
        active=True,
    )
    values.update(overrides)
    return MailboxState(**values)


def candidate(n: int, step: int = 0, **overrides) -> Candidate:
    values = dict(
        enrollment_id=n,
        campaign_id=1,
        lead_id=n,
        message_id=100 + n,
        step=step,
        to_address=f"p{n}@d{n}.test",
        due_at=NOW - timedelta(minutes=n),
    )
    values.update(overrides)
    return Candidate(**values)


def snapshot(candidates, mailboxes=None, campaign=None, **counts) -> Snapshot:
    mailboxes = mailboxes or [mailbox(1), mailbox(2), mailbox(3)]
    campaign = campaign or rules()
    return Snapshot(
        now=NOW,
        campaigns={campaign.id: campaign},
        mailboxes={m.id: m for m in mailboxes},
        candidates=list(candidates),
        **counts,
    )


def test_follow_ups_go_before_new_leads_from_their_own_mailbox():
    result = plan(
        snapshot(
            [candidate(1), candidate(2, step=1, mailbox_id=2, due_at=NOW)],
            mailboxes=[
                mailbox(1, min_gap_seconds=60, max_gap_seconds=60),
                mailbox(2, min_gap_seconds=60, max_gap_seconds=60),
            ],
            campaign=rules(mailbox_ids=(2,)),
        )
    )
    assert [(s.candidate.enrollment_id, s.mailbox_id) for s in result.sends] == [(2, 2)]


def test_new_leads_rotate_over_the_least_used_mailboxes():
    result = plan(
        snapshot(
            [candidate(n) for n in range(1, 7)],
            mailboxes=[mailbox(1, sent_today=3), mailbox(2), mailbox(3, sent_today=1)],
        )
    )
    used = [s.mailbox_id for s in result.sends]
    assert used.count(1) == 1 and used.count(2) == 3 and used.count(3) == 2


def test_ramp_up_caps_a_new_mailbox():
    young = mailbox(1, daily_cap=50, ramp_start=5, ramp_step=3, ramp_started_on=date(2025, 3, 1))
    assert young.cap_on(date(2025, 3, 4)) == 14
    assert young.cap_on(date(2025, 4, 4)) == 50
    result = plan(snapshot([candidate(n) for n in range(1, 30)], mailboxes=[young]))
    assert len(result.sends) == 14


def test_limits_stop_sends_and_suppressed_or_stopped_candidates_never_go():
    result = plan(
        snapshot(
            [
                candidate(1, to_address="a@same.test"),
                candidate(2, to_address="b@same.test"),
                candidate(3, suppressed=True),
                candidate(4, active=False),
                candidate(5, due_at=NOW + timedelta(hours=1)),
                candidate(6),
                candidate(7),
            ],
            campaign=rules(per_domain_daily_cap=2, new_leads_per_day=3),
            domain_sent_today={(1, "same.test"): 1},
        )
    )
    # Older due times first: 2 takes the domain's last slot before 1.
    assert sorted(s.candidate.enrollment_id for s in result.sends) == [2, 6, 7]
    assert [c.enrollment_id for c in result.suppressed] == [3]


def test_the_gap_is_random_within_bounds_but_the_same_on_every_tick():
    box = mailbox(1, min_gap_seconds=120, max_gap_seconds=600)
    gaps = {gap_seconds(box, NOW + timedelta(minutes=m), seed=7) for m in range(50)}
    assert min(gaps) >= 120 and max(gaps) <= 600 and len(gaps) > 10
    assert gap_seconds(box, NOW, seed=7) == gap_seconds(box, NOW, seed=7)
    last = NOW - timedelta(seconds=100)  # every drawn gap is at least 120 s
    waiting = mailbox(1, min_gap_seconds=120, max_gap_seconds=600, last_sent_at=last)
    result = plan(snapshot([candidate(1)], mailboxes=[waiting], campaign=rules(mailbox_ids=(1,))))
    assert result.sends == []
    assert result.wakeup == last + timedelta(seconds=gap_seconds(waiting, last, 0))


def test_a_closed_window_sends_nothing_and_wakes_up_when_it_opens():
    result = plan(snapshot([candidate(1, recipient_tz="America/Los_Angeles")]))
    assert result.sends == []
    assert result.wakeup == datetime(2025, 3, 4, 17, 0, tzinfo=UTC)  # 09:00 in Los Angeles
