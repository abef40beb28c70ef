"""The dispatcher's decision: given the state of the world now, which messages go out now.

Pure: plain dataclasses in, plain dataclasses out, no database and no clock of its own. The
database shell (`coldflow.send.schedule.dispatch`) builds the snapshot and claims the result;
`coldflow schedule` and the simulated-month tests call the same function with a simulated clock.

Which "day" a limit counts in:
- a mailbox's daily cap and ramp-up: the mailbox's own time zone;
- a campaign's new leads per day and per-recipient-domain cap: the campaign's time zone;
- sending windows, weekdays and holidays: the recipient's time zone (the campaign's when the
  recipient's is unknown).
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from coldflow.send.schedule.business_days import SendingWindow, zone


@dataclass(frozen=True)
class CampaignRules:
    id: int
    timezone: str
    window: SendingWindow
    new_leads_per_day: int
    per_domain_daily_cap: int
    # The campaign's mailboxes in rotation order; new leads are spread across the active ones.
    mailbox_ids: tuple[int, ...]


@dataclass
class MailboxState:
    id: int
    daily_cap: int
    ramp_start: int
    ramp_step: int
    ramp_started_on: date | None
    min_gap_seconds: int
    max_gap_seconds: int
    timezone: str
    active: bool
    # Messages handed to this mailbox during its current local day, across all campaigns.
    sent_today: int = 0
    last_sent_at: datetime | None = None

    def cap_on(self, day: date) -> int:
        """Daily cap on a local day: ramp_start, plus ramp_step per day since the ramp began."""
        if self.ramp_started_on is None:
            return self.daily_cap
        days = max(0, (day - self.ramp_started_on).days)
        return min(self.daily_cap, self.ramp_start + self.ramp_step * days)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A due enrollment with the approved draft of its next step."""

    enrollment_id: int
    campaign_id: int
    lead_id: int
    message_id: int
    step: int  # position in the sequence; 0 is the first email (a new lead)
    to_address: str
    due_at: datetime
    # The sticky mailbox, once the first email went out.
    mailbox_id: int | None = None
    # IANA zone of the recipient; None: the campaign's.
    recipient_tz: str | None = None
    # Address or domain on the suppression list: never planned.
    suppressed: bool = False
    # Stopped enrollments or leads that replied, bounced, unsubscribed: never planned.
    active: bool = True

    @property
    def domain(self) -> str:
        return recipient_domain(self.to_address)


def recipient_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower()


@dataclass
class Snapshot:
    now: datetime
    campaigns: dict[int, CampaignRules]
    mailboxes: dict[int, MailboxState]
    candidates: list[Candidate]
    # (campaign id, recipient domain) → messages sent there during the campaign's local day.
    domain_sent_today: dict[tuple[int, str], int] = field(default_factory=dict)
    # campaign id → first emails sent during the campaign's local day.
    new_leads_today: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedSend:
    candidate: Candidate
    mailbox_id: int
    send_at: datetime


@dataclass
class Plan:
    sends: list[PlannedSend]
    # Due candidates whose address or domain is suppressed: the shell stops their enrollments.
    suppressed: list[Candidate]
    # The earliest moment at which planning again could send something (None: nothing is
    # pending). A hint for simulations; the real dispatcher simply ticks every minute.
    wakeup: datetime | None


def gap_seconds(mailbox: MailboxState, last_sent_at: datetime, seed: int) -> int:
    """The random pause after a send, fixed per (mailbox, send) so every tick agrees on it."""
    low, high = mailbox.min_gap_seconds, max(mailbox.min_gap_seconds, mailbox.max_gap_seconds)
    if high == low:
        return low
    rng = random.Random(f"{seed}:{mailbox.id}:{last_sent_at.timestamp():.6f}")
    return rng.randint(low, high)


def next_midnight(moment: datetime, tz: str) -> datetime:
    local = moment.astimezone(zone(tz))
    tomorrow = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
    return tomorrow.replace(tzinfo=zone(tz)).astimezone(moment.tzinfo)


class _Mailboxes:
    """Per-mailbox readiness during one planning pass."""

    def __init__(self, snapshot: Snapshot, seed: int):
        self.now = snapshot.now
        self.seed = seed
        self.state = snapshot.mailboxes
        self.sent = {m.id: m.sent_today for m in self.state.values()}
        self.last = {m.id: m.last_sent_at for m in self.state.values()}
        self.cap = {
            m.id: m.cap_on(self.now.astimezone(zone(m.timezone)).date())
            for m in self.state.values()
        }
        self.is_ready = {m.id: self.ready_at(m.id) == self.now for m in self.state.values()}
        self.ready_count = sum(self.is_ready.values())
        # Per campaign: a heap of (sent today, rotation index, mailbox id); stale entries are
        # fixed when they reach the top.
        self.heaps: dict[int, list[tuple[int, int, int]]] = {}

    def ready_at(self, mailbox_id: int) -> datetime | None:
        mailbox = self.state[mailbox_id]
        if not mailbox.active:
            return None
        if self.sent[mailbox_id] >= self.cap[mailbox_id]:
            return next_midnight(self.now, mailbox.timezone)
        last = self.last[mailbox_id]
        if last is None:
            return self.now
        return max(self.now, last + timedelta(seconds=gap_seconds(mailbox, last, self.seed)))

    def ready(self, mailbox_id: int) -> bool:
        return self.is_ready.get(mailbox_id, False)

    def use(self, mailbox_id: int) -> None:
        self.sent[mailbox_id] += 1
        self.last[mailbox_id] = self.now
        if self.ready_at(mailbox_id) != self.now:
            self.is_ready[mailbox_id] = False
            self.ready_count -= 1

    def least_used(self, rules: CampaignRules) -> int | None:
        """The campaign's ready mailbox with the fewest sends today; rotation order breaks ties."""
        heap = self.heaps.get(rules.id)
        if heap is None:
            heap = [(self.sent[m], i, m) for i, m in enumerate(rules.mailbox_ids) if self.ready(m)]
            heapq.heapify(heap)
            self.heaps[rules.id] = heap
        while heap:
            sent, index, mailbox_id = heap[0]
            if not self.ready(mailbox_id):
                heapq.heappop(heap)
            elif sent != self.sent[mailbox_id]:
                heapq.heapreplace(heap, (self.sent[mailbox_id], index, mailbox_id))
            else:
                return mailbox_id
        return None


def plan(snapshot: Snapshot, seed: int = 0) -> Plan:
    """Decide which due candidates are sent now, and from which mailbox.

    Follow-ups come before new leads, older due times first. A follow-up goes from its sticky
    mailbox or waits; a new lead takes the campaign's ready mailbox with the fewest sends
    today (rotation order breaks ties). Every limit is checked against the counts in the
    snapshot plus what this plan already took.
    """
    now = snapshot.now
    mailboxes = _Mailboxes(snapshot, seed)
    domain_sent = dict(snapshot.domain_sent_today)
    new_leads = dict(snapshot.new_leads_today)
    local_now: dict[str, datetime] = {}
    window_open: dict[tuple[int, str], bool] = {}
    hints: list[datetime] = []
    sends: list[PlannedSend] = []
    suppressed: list[Candidate] = []

    def open_now(rules: CampaignRules, tz: str) -> bool:
        key = (rules.id, tz)
        if key not in window_open:
            if tz not in local_now:
                local_now[tz] = now.astimezone(zone(tz))
            window_open[key] = rules.window.is_open(local_now[tz])
            if not window_open[key]:
                opening = rules.window.next_open(now, tz)
                if opening is not None:
                    hints.append(opening)
        return window_open[key]

    ordered = sorted(snapshot.candidates, key=lambda c: (c.step == 0, c.due_at, c.enrollment_id))
    # Mailboxes some candidate waited for: when they are ready again is worth a wakeup.
    waited_for: set[int] = set()
    for candidate in ordered:
        if mailboxes.ready_count <= 0:
            # Nothing can be sent before some mailbox is ready again.
            waited_for.update(mailboxes.state)
            break
        rules = snapshot.campaigns.get(candidate.campaign_id)
        if rules is None or not candidate.active:
            continue
        if candidate.suppressed:
            suppressed.append(candidate)
            continue
        if candidate.due_at > now:
            hints.append(candidate.due_at)
            continue
        if not open_now(rules, candidate.recipient_tz or rules.timezone):
            continue
        domain_key = (rules.id, candidate.domain)
        if domain_sent.get(domain_key, 0) >= rules.per_domain_daily_cap:
            hints.append(next_midnight(now, rules.timezone))
            continue
        if candidate.step == 0 and new_leads.get(rules.id, 0) >= rules.new_leads_per_day:
            hints.append(next_midnight(now, rules.timezone))
            continue

        if candidate.mailbox_id is not None:
            mailbox_id = candidate.mailbox_id if mailboxes.ready(candidate.mailbox_id) else None
        else:
            mailbox_id = mailboxes.least_used(rules)
        if mailbox_id is None:
            if candidate.mailbox_id is not None:
                waited_for.add(candidate.mailbox_id)
            else:
                waited_for.update(rules.mailbox_ids)
            continue

        mailboxes.use(mailbox_id)
        domain_sent[domain_key] = domain_sent.get(domain_key, 0) + 1
        if candidate.step == 0:
            new_leads[rules.id] = new_leads.get(rules.id, 0) + 1
        sends.append(PlannedSend(candidate=candidate, mailbox_id=mailbox_id, send_at=now))

    for mailbox_id in waited_for:
        ready = mailboxes.ready_at(mailbox_id) if mailbox_id in mailboxes.state else None
        if ready is not None:
            hints.append(ready)
    pending = bool(ordered) and len(sends) + len(suppressed) < len(ordered)
    wakeup = min(hints) if pending and hints else None
    return Plan(sends=sends, suppressed=suppressed, wakeup=wakeup)
