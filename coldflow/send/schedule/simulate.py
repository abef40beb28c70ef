"""Running the planner forward on a simulated clock.

`coldflow schedule` uses it to show what the dispatcher will send in the next days; the
simulated-month tests use it with random campaigns, replies and bounces. Sends happen at the
tick that plans them; a step's follow-up becomes due `delay_business_days` after it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from coldflow.send.schedule.business_days import BusinessCalendar, after_business_days, zone
from coldflow.send.schedule.planner import (
    CampaignRules,
    Candidate,
    MailboxState,
    Snapshot,
    plan,
    recipient_domain,
)
from coldflow.send.schedule.stops import Outcome, decide


@dataclass(frozen=True)
class SimCampaign:
    rules: CampaignRules
    calendar: BusinessCalendar
    # delay_business_days of each step by position (the first step's is ignored).
    delays: tuple[int, ...]
    stop_on_interested: bool = True


@dataclass
class SimLead:
    enrollment_id: int
    lead_id: int
    campaign_id: int
    to_address: str
    due_at: datetime
    recipient_tz: str | None = None
    company: str = ""
    next_step: int = 0
    mailbox_id: int | None = None
    status: str = "active"
    stop_reason: str = ""
    # Label for printing (the lead's name and address).
    label: str = ""


@dataclass(frozen=True)
class SimEvent:
    at: datetime
    lead_id: int
    outcome: Outcome


@dataclass(frozen=True)
class SimSend:
    at: datetime
    campaign_id: int
    enrollment_id: int
    lead_id: int
    step: int
    mailbox_id: int
    to_address: str
    recipient_tz: str


@dataclass
class Simulation:
    campaigns: dict[int, SimCampaign]
    mailboxes: dict[int, MailboxState]
    leads: list[SimLead]
    seed: int = 0
    tick: timedelta = timedelta(minutes=1)
    suppressed_addresses: set[str] = field(default_factory=set)
    suppressed_domains: set[str] = field(default_factory=set)
    sends: list[SimSend] = field(default_factory=list)
    # Counts carried in from before the simulation starts (today's sends so far).
    initial_domain_counts: dict[tuple[int, str], int] = field(default_factory=dict)
    initial_new_leads: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_lead = {lead.lead_id: lead for lead in self.leads}
        self._mailbox_day: dict[tuple[int, object], int] = defaultdict(int)
        self._domain_day: dict[tuple[int, object, str], int] = defaultdict(int)
        self._new_day: dict[tuple[int, object], int] = defaultdict(int)
        self._last: dict[int, datetime | None] = {}
        self._started = False

    def _seed_counts(self, now: datetime) -> None:
        for mailbox in self.mailboxes.values():
            day = now.astimezone(zone(mailbox.timezone)).date()
            self._mailbox_day[(mailbox.id, day)] = mailbox.sent_today
            self._last[mailbox.id] = mailbox.last_sent_at
        for (campaign_id, domain), count in self.initial_domain_counts.items():
            day = self._campaign_day(campaign_id, now)
            self._domain_day[(campaign_id, day, domain)] = count
        for campaign_id, count in self.initial_new_leads.items():
            self._new_day[(campaign_id, self._campaign_day(campaign_id, now))] = count

    def _campaign_day(self, campaign_id: int, moment: datetime):
        return moment.astimezone(zone(self.campaigns[campaign_id].rules.timezone)).date()

    def run(self, start: datetime, end: datetime, events: list[SimEvent] = ()) -> list[SimSend]:
        """Tick from `start` until `end`; returns the sends made (also kept in `sends`)."""
        if not self._started:
            self._seed_counts(start)
            self._started = True
        pending = sorted(events, key=lambda e: e.at)
        made_before = len(self.sends)
        now = self._align(start)
        while now < end:
            while pending and pending[0].at <= now:
                self._apply(pending.pop(0))
            result = plan(self._snapshot(now), seed=self.seed)
            for send in result.sends:
                self._record(send.candidate, send.mailbox_id, now)
            for candidate in result.suppressed:
                self._stop(self._by_lead[candidate.lead_id], "suppressed")
            following = now + self.tick
            if not result.sends:
                # Idle: jump to the next moment anything can change.
                moments = [m for m in (result.wakeup, self._next_due(now)) if m is not None]
                if pending:
                    moments.append(pending[0].at)
                if not moments:
                    break
                following = max(following, self._align(min(moments)))
            now = following
        return self.sends[made_before:]

    def _align(self, moment: datetime) -> datetime:
        """Round up to the tick grid: the real dispatcher runs on whole minutes."""
        step = self.tick.total_seconds()
        return datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, moment.tzinfo)

    def _next_due(self, now: datetime) -> datetime | None:
        future = [
            lead.due_at for lead in self.leads if lead.status == "active" and lead.due_at > now
        ]
        return min(future) if future else None

    def _snapshot(self, now: datetime) -> Snapshot:
        mailboxes = {}
        for mailbox in self.mailboxes.values():
            day = now.astimezone(zone(mailbox.timezone)).date()
            mailboxes[mailbox.id] = replace(
                mailbox,
                sent_today=self._mailbox_day[(mailbox.id, day)],
                last_sent_at=self._last.get(mailbox.id),
            )
        candidates = []
        domain_counts: dict[tuple[int, str], int] = {}
        for lead in self.leads:
            if lead.status != "active" or lead.due_at > now:
                continue
            domain = recipient_domain(lead.to_address)
            candidates.append(
                Candidate(
                    enrollment_id=lead.enrollment_id,
                    campaign_id=lead.campaign_id,
                    lead_id=lead.lead_id,
                    message_id=lead.enrollment_id * 100 + lead.next_step,
                    step=lead.next_step,
                    to_address=lead.to_address,
                    due_at=lead.due_at,
                    mailbox_id=lead.mailbox_id,
                    recipient_tz=lead.recipient_tz,
                    suppressed=lead.to_address.lower() in self.suppressed_addresses
                    or domain in self.suppressed_domains,
                )
            )
            day = self._campaign_day(lead.campaign_id, now)
            domain_counts[(lead.campaign_id, domain)] = self._domain_day[
                (lead.campaign_id, day, domain)
            ]
        new_leads = {
            cid: self._new_day[(cid, self._campaign_day(cid, now))] for cid in self.campaigns
        }
        return Snapshot(
            now=now,
            campaigns={cid: c.rules for cid, c in self.campaigns.items()},
            mailboxes=mailboxes,
            candidates=candidates,
            domain_sent_today=domain_counts,
            new_leads_today=new_leads,
        )

    def _record(self, candidate: Candidate, mailbox_id: int, now: datetime) -> None:
        lead = self._by_lead[candidate.lead_id]
        campaign = self.campaigns[lead.campaign_id]
        tz = lead.recipient_tz or campaign.rules.timezone
        self.sends.append(
            SimSend(
                at=now,
                campaign_id=lead.campaign_id,
                enrollment_id=lead.enrollment_id,
                lead_id=lead.lead_id,
                step=lead.next_step,
                mailbox_id=mailbox_id,
                to_address=lead.to_address,
                recipient_tz=tz,
            )
        )
        mailbox = self.mailboxes[mailbox_id]
        self._mailbox_day[(mailbox_id, now.astimezone(zone(mailbox.timezone)).date())] += 1
        self._last[mailbox_id] = now
        day = self._campaign_day(lead.campaign_id, now)
        self._domain_day[(lead.campaign_id, day, recipient_domain(lead.to_address))] += 1
        if lead.next_step == 0:
            self._new_day[(lead.campaign_id, day)] += 1
        lead.mailbox_id = mailbox_id
        lead.next_step += 1
        if lead.next_step >= len(campaign.delays):
            lead.status, lead.stop_reason = "completed", ""
        else:
            delay = campaign.delays[lead.next_step]
            lead.due_at = after_business_days(now, delay, campaign.calendar, tz)

    def _apply(self, event: SimEvent) -> None:
        lead = self._by_lead.get(event.lead_id)
        if lead is None:
            return
        campaign = self.campaigns[lead.campaign_id]
        decision = decide(event.outcome, stop_on_interested=campaign.stop_on_interested)
        if event.outcome in (Outcome.UNSUBSCRIBED, Outcome.HARD_BOUNCE, Outcome.COMPLAINT):
            self.suppressed_addresses.add(lead.to_address.lower())
        if not decision.stop:
            return
        self._stop(lead, decision.reason)
        if decision.stop_colleagues and lead.company:
            for other in self.leads:
                if other.campaign_id == lead.campaign_id and other.company == lead.company:
                    self._stop(other, "colleague_interested")

    @staticmethod
    def _stop(lead: SimLead, reason: str) -> None:
        if lead.status == "active":
            lead.status, lead.stop_reason = "stopped", reason
