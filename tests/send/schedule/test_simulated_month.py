"""A simulated month of sending: random campaigns, mailboxes, time zones, replies and bounces.

The invariants are checked on the log of sends, recomputed from scratch, never from the
planner's own counters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coldflow.send.schedule.business_days import BusinessCalendar, SendingWindow, zone
from coldflow.send.schedule.planner import CampaignRules, MailboxState, gap_seconds
from coldflow.send.schedule.simulate import SimCampaign, SimEvent, SimLead, Simulation
from coldflow.send.schedule.stops import Outcome

START = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)  # a Monday
END = START + timedelta(days=31)
ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Asia/Kolkata",
]
DOMAINS = ["alpha.test", "beta.test", "gamma.test", "delta.test", "omega.test"]
STOPPING = (Outcome.REPLIED, Outcome.INTERESTED, Outcome.UNSUBSCRIBED, Outcome.HARD_BOUNCE)


@st.composite
def worlds(draw):
    mailbox_count = draw(st.integers(1, 4))
    mailboxes = {}
    for mailbox_id in range(1, mailbox_count + 1):
        min_gap = draw(st.sampled_from([0, 60, 120, 300, 900]))
        mailboxes[mailbox_id] = MailboxState(
            id=mailbox_id,
            daily_cap=draw(st.integers(1, 15)),
            ramp_start=draw(st.integers(1, 5)),
            ramp_step=draw(st.integers(0, 3)),
            ramp_started_on=draw(
                st.none() | st.integers(-5, 10).map(lambda d: START.date() + timedelta(days=d))
            ),
            min_gap_seconds=min_gap,
            max_gap_seconds=min_gap + draw(st.sampled_from([0, 60, 600, 1800])),
            timezone=draw(st.sampled_from(ZONES)),
            active=draw(st.booleans() | st.just(True)),
        )
    campaigns = {}
    for campaign_id in range(1, draw(st.integers(1, 2)) + 1):
        start_hour = draw(st.integers(0, 23))
        length = draw(st.integers(1, 12) | st.just(24))  # 24 at :00 is the whole day
        weekdays = frozenset(draw(st.sets(st.integers(1, 7), min_size=1)))
        holidays = frozenset(
            START.date() + timedelta(days=d) for d in draw(st.sets(st.integers(0, 30), max_size=4))
        )
        calendar = BusinessCalendar(weekdays, holidays)
        rules = CampaignRules(
            id=campaign_id,
            timezone=draw(st.sampled_from(ZONES)),
            window=SendingWindow(
                time(start_hour, draw(st.sampled_from([0, 30]))),
                time((start_hour + length) % 24),
                calendar,
            ),
            new_leads_per_day=draw(st.integers(1, 12)),
            per_domain_daily_cap=draw(st.integers(1, 4)),
            mailbox_ids=tuple(
                draw(st.lists(st.sampled_from(sorted(mailboxes)), min_size=1, unique=True))
            ),
        )
        delays = (0, *draw(st.lists(st.integers(0, 5), max_size=3)))
        campaigns[campaign_id] = SimCampaign(
            rules, calendar, delays, stop_on_interested=draw(st.booleans())
        )
    leads = []
    for lead_id in range(1, draw(st.integers(1, 40)) + 1):
        domain = draw(st.sampled_from(DOMAINS))
        leads.append(
            SimLead(
                enrollment_id=lead_id,
                lead_id=lead_id,
                campaign_id=draw(st.sampled_from(sorted(campaigns))),
                to_address=f"person{lead_id}@{domain}",
                due_at=START + timedelta(hours=draw(st.integers(0, 24 * 10))),
                recipient_tz=draw(st.none() | st.sampled_from(ZONES)),
                company=domain,
            )
        )
    events = [
        SimEvent(
            at=START + timedelta(minutes=draw(st.integers(0, 31 * 24 * 60))),
            lead_id=draw(st.sampled_from([lead.lead_id for lead in leads])),
            outcome=draw(st.sampled_from(list(Outcome))),
        )
        for _ in range(draw(st.integers(0, 12)))
    ]
    suppressed = {lead.to_address for lead in leads if draw(st.integers(0, 9)) == 0}
    suppressed_domains = set(draw(st.sets(st.sampled_from(DOMAINS), max_size=1)))
    seed = draw(st.integers(0, 1000))
    return mailboxes, campaigns, leads, events, suppressed, suppressed_domains, seed


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(worlds())
def test_a_simulated_month_never_breaks_a_limit_or_mails_a_stopped_or_suppressed_lead(world):
    mailboxes, campaigns, leads, events, suppressed, suppressed_domains, seed = world
    original = {lead.lead_id: (lead.due_at, lead.campaign_id) for lead in leads}
    simulation = Simulation(
        campaigns=campaigns,
        mailboxes=mailboxes,
        leads=leads,
        seed=seed,
        suppressed_addresses=set(suppressed),
        suppressed_domains=set(suppressed_domains),
    )
    sends = simulation.run(START, END, events)

    by_mailbox = defaultdict(list)
    mailbox_days = Counter()
    domain_days = Counter()
    new_lead_days = Counter()
    lead_steps = defaultdict(list)
    for send in sends:
        mailbox = mailboxes[send.mailbox_id]
        campaign = campaigns[send.campaign_id]
        rules = campaign.rules
        assert mailbox.active, "a paused mailbox sent"
        local = send.at.astimezone(zone(send.recipient_tz))
        assert rules.window.is_open(local), f"outside the window: {local}"
        assert campaign.calendar.is_business_day(local.date())
        assert send.to_address not in suppressed
        assert send.to_address.split("@")[1] not in suppressed_domains
        assert send.at >= original[send.lead_id][0], "sent before the lead was due"
        mailbox_day = send.at.astimezone(zone(mailbox.timezone)).date()
        mailbox_days[(send.mailbox_id, mailbox_day)] += 1
        campaign_day = send.at.astimezone(zone(rules.timezone)).date()
        domain_days[(send.campaign_id, campaign_day, send.to_address.split("@")[1])] += 1
        if send.step == 0:
            new_lead_days[(send.campaign_id, campaign_day)] += 1
            assert send.mailbox_id in rules.mailbox_ids
        by_mailbox[send.mailbox_id].append(send.at)
        lead_steps[send.lead_id].append(send)

    for (mailbox_id, day), count in mailbox_days.items():
        assert count <= mailboxes[mailbox_id].cap_on(day), "daily cap or ramp-up exceeded"
    for (campaign_id, _day, _domain), count in domain_days.items():
        assert count <= campaigns[campaign_id].rules.per_domain_daily_cap
    for (campaign_id, _day), count in new_lead_days.items():
        assert count <= campaigns[campaign_id].rules.new_leads_per_day
    for mailbox_id, moments in by_mailbox.items():
        for before, after in zip(moments, moments[1:], strict=False):
            wanted = gap_seconds(mailboxes[mailbox_id], before, seed)
            assert (after - before).total_seconds() >= wanted >= 0
            assert wanted >= mailboxes[mailbox_id].min_gap_seconds

    for lead_id, steps in lead_steps.items():
        assert [s.step for s in steps] == list(range(len(steps))), "a step repeated or skipped"
        assert len({s.mailbox_id for s in steps}) == 1, "a follow-up changed mailbox"
        campaign = campaigns[original[lead_id][1]]
        for before, after in zip(steps, steps[1:], strict=False):
            tz = zone(after.recipient_tz)
            earliest = campaign.calendar.add_business_days(
                before.at.astimezone(tz).date(), campaign.delays[after.step]
            )
            assert after.at.astimezone(tz).date() >= earliest, "a follow-up came too early"

    leads_by_id = {lead.lead_id: lead for lead in leads}
    for event in events:
        if event.outcome not in STOPPING:
            continue
        lead = leads_by_id[event.lead_id]
        stopped = [lead.lead_id]
        campaign = campaigns[lead.campaign_id]
        if event.outcome is Outcome.INTERESTED and campaign.stop_on_interested:
            stopped += [
                other.lead_id
                for other in leads
                if other.company == lead.company and other.campaign_id == lead.campaign_id
            ]
        for lead_id in stopped:
            late = [s for s in lead_steps[lead_id] if s.at >= event.at]
            assert not late, f"sent after {event.outcome.value}: {late}"


def test_the_month_is_not_empty_when_nothing_stands_in_the_way():
    calendar = BusinessCalendar()
    rules = CampaignRules(
        id=1,
        timezone="Europe/Berlin",
        window=SendingWindow(time(9), time(17), calendar),
        new_leads_per_day=10,
        per_domain_daily_cap=5,
        mailbox_ids=(1, 2),
    )
    mailboxes = {
        i: MailboxState(i, 20, 5, 2, None, 120, 300, "Europe/Berlin", True) for i in (1, 2)
    }
    leads = [
        SimLead(i, i, 1, f"p{i}@d{i % 8}.test", START, recipient_tz="America/New_York")
        for i in range(1, 41)
    ]
    simulation = Simulation({1: SimCampaign(rules, calendar, (0, 2, 3))}, mailboxes, leads)
    sends = simulation.run(START, END)
    assert len(sends) == 120  # 40 leads × 3 steps
    assert all(lead.status == "completed" for lead in leads)
    # New leads go out at most 10 a day: four business days of first emails.
    first_days = {s.at.astimezone(zone("Europe/Berlin")).date() for s in sends if s.step == 0}
    assert len(first_days) == 4
