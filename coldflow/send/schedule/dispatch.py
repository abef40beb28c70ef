"""The dispatcher's database shell: enrol, read the schedule, claim what the planner chose.

The database is the schedule. An enrollment is due when `status = active` and
`next_action_at <= now`; the approved draft of its `next_step` is what goes out. One tick:

1. advance enrollments whose in-flight step was sent (next step due `delay_business_days`
   after the send, in the recipient's zone), complete or stop the rest;
2. enrol READY leads of running campaigns that have an approved first draft;
3. under a lock that serialises ticks (a PostgreSQL advisory lock; SQLite's IMMEDIATE
   transactions already serialise writers), read a snapshot, let the planner decide, and claim
   each chosen message with conditional UPDATEs (draft still approved, enrollment still active
   at that step) inside a savepoint, so a message stopped or rejected meanwhile is skipped;
4. after commit, enqueue `coldflow.send.tasks.send_message` for every claimed message.

Advancing happens here and only here (from sent messages), so the delivery side needs no
knowledge of sequences; `advance_enrollment` is the same rule for one enrollment and is safe to
call from anywhere (it is a conditional UPDATE).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Value
from django.db.models.functions import Lower, StrIndex, Substr
from django.utils import timezone

from coldflow.campaigns.models import Campaign, CampaignStatus, SequenceStep
from coldflow.contacts.models import Lead, LeadStatus
from coldflow.send.decision import FINAL_LEAD_STATUSES
from coldflow.send.models import (
    CampaignMailbox,
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    MailboxStatus,
    MessageState,
    OutboundMessage,
    Suppression,
)
from coldflow.send.schedule.business_days import (
    BusinessCalendar,
    SendingWindow,
    after_business_days,
    parse_holidays,
    zone,
)
from coldflow.send.schedule.planner import (
    CampaignRules,
    Candidate,
    MailboxState,
    PlannedSend,
    Snapshot,
    plan,
)
from coldflow.send.schedule.stops import Outcome, decide
from coldflow.send.schedule.timezones import recipient_timezone
from coldflow.send.settings import current_send_settings

log = logging.getLogger(__name__)

# A message in these states has taken a slot of its mailbox, campaign and recipient domain.
CLAIMED_STATES = (
    MessageState.QUEUED,
    MessageState.SENDING,
    MessageState.SENT,
    MessageState.UNKNOWN,
)
# Serialises ticks on PostgreSQL (an arbitrary constant: "coldflow dispatch").
ADVISORY_LOCK_KEY = 0x636F6C64
# Rows per locking SELECT and per bulk UPDATE when claiming.
CLAIM_BATCH = 500


@dataclass(frozen=True)
class ClaimedSend:
    message_pk: int
    enrollment_id: int
    lead_id: int
    campaign_id: int
    step: int
    mailbox_id: int
    mailbox_email: str
    to_address: str
    send_at: datetime
    recipient_tz: str


@dataclass
class TickResult:
    claimed: list[ClaimedSend] = field(default_factory=list)
    enrolled: int = 0
    advanced: int = 0
    completed: int = 0
    stopped: int = 0
    requeued: int = 0


def planner_seed() -> int:
    """Fixed per installation, so every tick draws the same random gap after a send."""
    return int.from_bytes(hashlib.sha256(settings.SECRET_KEY.encode()).digest()[:4], "big")


def enqueue_send(message_pk: int) -> None:
    """Hand a claimed message to the delivery side's task."""
    from coldflow.send.tasks import send_message

    send_message(message_pk)


# ---------------------------------------------------------------------------------------------
# Enrolment


def enrol(campaign: Campaign, now: datetime | None = None) -> int:
    """Enrol the campaign's READY leads that have an approved first draft. Idempotent.

    Returns how many leads were enrolled by this call.
    """
    now = now or timezone.now()
    first_draft = OutboundMessage.objects.filter(
        lead=OuterRef("pk"),
        campaign_id=campaign.pk,
        state=MessageState.APPROVED,
        step__position=0,
    )
    ids = list(
        Lead.objects.filter(campaign=campaign, status=LeadStatus.READY, enrollment__isnull=True)
        .filter(Exists(first_draft))
        .values_list("id", flat=True)
    )
    enrolled = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        with transaction.atomic():
            Enrollment.objects.bulk_create(
                [
                    Enrollment(campaign=campaign, lead_id=lead_id, next_action_at=now)
                    for lead_id in chunk
                ],
                ignore_conflicts=True,
            )
            enrolled += Lead.objects.filter(id__in=chunk, status=LeadStatus.READY).update(
                status=LeadStatus.ENROLLED
            )
    return enrolled


# ---------------------------------------------------------------------------------------------
# Campaign rules and sequences


def campaign_rules(campaign: Campaign, mailbox_ids: Iterable[int]) -> CampaignRules:
    return CampaignRules(
        id=campaign.pk,
        timezone=campaign.timezone,
        window=SendingWindow(campaign.window_start, campaign.window_end, calendar_of(campaign)),
        new_leads_per_day=campaign.new_leads_per_day,
        per_domain_daily_cap=campaign.per_domain_daily_cap,
        mailbox_ids=tuple(mailbox_ids),
    )


def calendar_of(campaign: Campaign) -> BusinessCalendar:
    return BusinessCalendar(
        frozenset(int(day) for day in campaign.weekdays), parse_holidays(campaign.holidays)
    )


def step_delays(sequence_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """sequence id → {position: delay_business_days}."""
    delays: dict[int, dict[int, int]] = defaultdict(dict)
    for sequence_id, position, delay in SequenceStep.objects.filter(
        sequence_id__in=set(sequence_ids)
    ).values_list("sequence_id", "position", "delay_business_days"):
        delays[sequence_id][position] = delay
    return delays


def recipient_tz_of(country: str | None, city: str | None) -> str | None:
    return recipient_timezone(country or "", city or "", fallback="") or None


# ---------------------------------------------------------------------------------------------
# Advancing after a send


def advance_enrollment(enrollment: Enrollment, sent_at: datetime) -> bool:
    """Move an enrollment past its in-flight step, sent at `sent_at`.

    The next step becomes due its `delay_business_days` after the send (business days of the
    campaign, counted in the recipient's zone); after the last step the enrollment completes.
    Only an active enrollment waiting on that step changes, so calling this twice is harmless.
    """
    campaign = enrollment.campaign
    delays = step_delays([campaign.sequence_id]).get(campaign.sequence_id, {})
    company = enrollment.lead.company
    tz = recipient_tz_of(company.country, company.city) or campaign.timezone
    return _advance(enrollment.pk, enrollment.next_step, sent_at, delays, calendar_of(campaign), tz)


def _advance(
    enrollment_id: int,
    step: int,
    sent_at: datetime,
    delays: dict[int, int],
    calendar: BusinessCalendar,
    tz: str,
) -> bool:
    waiting = Enrollment.objects.filter(
        pk=enrollment_id,
        status=EnrollmentStatus.ACTIVE,
        next_step=step,
        next_action_at__isnull=True,
    )
    later = sorted(position for position in delays if position > step)
    if not later:
        return bool(
            waiting.update(
                status=EnrollmentStatus.COMPLETED, next_step=step + 1, last_sent_at=sent_at
            )
        )
    following = later[0]
    due = after_business_days(sent_at, delays[following], calendar, tz)
    return bool(waiting.update(next_step=following, next_action_at=due, last_sent_at=sent_at))


def advance_sent_enrollments() -> tuple[int, int, int]:
    """Advance every enrollment whose in-flight message was sent; stop those whose failed.

    Returns (advanced, completed, stopped).
    """
    rows = list(
        OutboundMessage.objects.filter(
            lead__enrollment__status=EnrollmentStatus.ACTIVE,
            lead__enrollment__next_action_at__isnull=True,
            lead__enrollment__campaign_id=F("campaign_id"),
            step__position=F("lead__enrollment__next_step"),
            state__in=(MessageState.SENT, MessageState.FAILED),
        ).values_list(
            "lead__enrollment__id",
            "step__position",
            "state",
            "sent_at",
            "campaign_id",
            "lead__company__country",
            "lead__company__city",
        )
    )
    if not rows:
        return 0, 0, 0
    campaigns = {c.pk: c for c in Campaign.objects.filter(pk__in={row[4] for row in rows})}
    delays = step_delays(c.sequence_id for c in campaigns.values())
    advanced = completed = stopped = 0
    for enrollment_id, step, state, sent_at, campaign_id, country, city in rows:
        campaign = campaigns[campaign_id]
        if state == MessageState.FAILED or sent_at is None:
            stopped += Enrollment.objects.filter(
                pk=enrollment_id, status=EnrollmentStatus.ACTIVE, next_action_at__isnull=True
            ).update(status=EnrollmentStatus.STOPPED, stop_reason="send_failed")
            continue
        steps = delays.get(campaign.sequence_id, {})
        tz = recipient_tz_of(country, city) or campaign.timezone
        if _advance(enrollment_id, step, sent_at, steps, calendar_of(campaign), tz):
            if any(position > step for position in steps):
                advanced += 1
            else:
                completed += 1
    return advanced, completed, stopped


# ---------------------------------------------------------------------------------------------
# Stopping on what a recipient did


def stop_for_outcome(lead: Lead, outcome: Outcome | str, now: datetime | None = None) -> int:
    """Apply the stop rules (coldflow.send.schedule.stops) to a lead's enrollment.

    For the listener: a reply, a hard bounce, an unsubscribe or a complaint stops the lead's
    sequence; an interested reply also stops the colleagues' (same company, same campaign)
    when the campaign says so. Returns how many enrollments stopped.
    """
    outcome = Outcome(outcome)
    decision = decide(outcome, stop_on_interested=lead.campaign.stop_on_interested)
    if not decision.stop:
        return 0
    active = Enrollment.objects.filter(status__in=(EnrollmentStatus.ACTIVE, "paused"))
    count = active.filter(lead=lead).update(
        status=EnrollmentStatus.STOPPED, stop_reason=decision.reason
    )
    if decision.stop_colleagues:
        count += active.filter(
            campaign_id=lead.campaign_id, lead__company_id=lead.company_id
        ).update(status=EnrollmentStatus.STOPPED, stop_reason="colleague_interested")
    return count


# ---------------------------------------------------------------------------------------------
# The snapshot


@dataclass
class _Context:
    """What claiming needs beyond the snapshot."""

    mailbox_emails: dict[int, str]
    recipient_tz: dict[int, str]
    lead_status: dict[int, str]
    inactive: list[Candidate]


def _recipient_domain():
    return Lower(Substr("to_address", StrIndex("to_address", Value("@")) + 1))


def _claimed_since(since: datetime):
    return OutboundMessage.objects.filter(scheduled_at__gte=since).filter(
        Q(state__in=CLAIMED_STATES) | Q(state=MessageState.FAILED, sending_started_at__isnull=False)
    )


def _day_start(now: datetime, tz: str) -> datetime:
    local = now.astimezone(zone(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def running_campaigns(campaign_ids: Iterable[int] | None = None) -> list[Campaign]:
    campaigns = Campaign.objects.filter(status=CampaignStatus.RUNNING)
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=list(campaign_ids))
    return list(campaigns.order_by("pk"))


def load_snapshot(now: datetime, campaigns: list[Campaign]) -> tuple[Snapshot, _Context]:
    """The planner's input: every due candidate of the campaigns, and today's counts."""
    campaign_ids = [c.pk for c in campaigns]
    rotation: dict[int, list[int]] = defaultdict(list)
    for campaign_id, mailbox_id in (
        CampaignMailbox.objects.filter(campaign_id__in=campaign_ids)
        .order_by("id")
        .values_list("campaign_id", "mailbox_id")
    ):
        rotation[campaign_id].append(mailbox_id)
    rules = {c.pk: campaign_rules(c, rotation[c.pk]) for c in campaigns}

    candidates, context = _load_candidates(now, campaign_ids)
    mailbox_ids = {m for ids in rotation.values() for m in ids}
    mailbox_ids |= {c.mailbox_id for c in candidates if c.mailbox_id is not None}
    mailboxes = load_mailboxes(now, mailbox_ids)
    context.mailbox_emails = {m.id: email for m, email in mailboxes.values()}
    domain_counts, new_leads = campaign_counts(now, campaigns)
    snapshot = Snapshot(
        now=now,
        campaigns=rules,
        mailboxes={m.id: m for m, _ in mailboxes.values()},
        candidates=candidates,
        domain_sent_today=domain_counts,
        new_leads_today=new_leads,
    )
    return snapshot, context


def _load_candidates(now: datetime, campaign_ids: list[int]) -> tuple[list[Candidate], _Context]:
    suppressed_address = Suppression.objects.filter(
        workspace_id=OuterRef("workspace_id"), kind="address", value=Lower(OuterRef("to_address"))
    )
    suppressed_domain = Suppression.objects.filter(
        workspace_id=OuterRef("workspace_id"), kind="domain", value=OuterRef("recipient_domain")
    )
    rows = (
        OutboundMessage.objects.filter(
            campaign_id__in=campaign_ids,
            state=MessageState.APPROVED,
            lead__enrollment__campaign_id=F("campaign_id"),
            lead__enrollment__status=EnrollmentStatus.ACTIVE,
            lead__enrollment__next_action_at__lte=now,
            step__position=F("lead__enrollment__next_step"),
        )
        .annotate(recipient_domain=_recipient_domain())
        .annotate(suppressed=Exists(suppressed_address) | Exists(suppressed_domain))
        .values_list(
            "id",
            "lead__enrollment__id",
            "campaign_id",
            "lead_id",
            "step__position",
            "to_address",
            "lead__enrollment__next_action_at",
            "lead__enrollment__mailbox_id",
            "lead__company__country",
            "lead__company__city",
            "lead__status",
            "suppressed",
        )
    )
    candidates: list[Candidate] = []
    context = _Context({}, {}, {}, [])
    seen: set[int] = set()
    for (
        message_id,
        enrollment_id,
        campaign_id,
        lead_id,
        position,
        to_address,
        due_at,
        mailbox_id,
        country,
        city,
        lead_status,
        suppressed,
    ) in rows:
        if enrollment_id in seen:
            continue  # two approved drafts for one step: the first one goes
        seen.add(enrollment_id)
        tz = recipient_tz_of(country, city)
        candidate = Candidate(
            enrollment_id=enrollment_id,
            campaign_id=campaign_id,
            lead_id=lead_id,
            message_id=message_id,
            step=position,
            to_address=to_address,
            due_at=due_at,
            mailbox_id=mailbox_id,
            recipient_tz=tz,
            suppressed=bool(suppressed),
            active=lead_status not in FINAL_LEAD_STATUSES,
        )
        candidates.append(candidate)
        context.lead_status[enrollment_id] = lead_status
        if tz:
            context.recipient_tz[enrollment_id] = tz
        if not candidate.active:
            context.inactive.append(candidate)
    return candidates, context


def load_mailboxes(now: datetime, ids: set[int]) -> dict[int, tuple[MailboxState, str]]:
    rows = list(
        Mailbox.objects.filter(pk__in=ids).values_list(
            "id",
            "email",
            "daily_cap",
            "ramp_start",
            "ramp_step",
            "ramp_started_on",
            "min_gap_seconds",
            "max_gap_seconds",
            "timezone",
            "status",
            "last_sent_at",
        )
    )
    by_zone: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_zone[_zone_name(row[8])].append(row[0])
    counts: dict[int, tuple[int, datetime | None]] = {}
    for tz, mailbox_ids in by_zone.items():
        day_start = _day_start(now, tz)
        for mailbox_id, today, last in (
            _claimed_since(min(day_start, now - timedelta(days=1)))
            .filter(mailbox_id__in=mailbox_ids)
            .values("mailbox_id")
            .annotate(
                today=Count("id", filter=Q(scheduled_at__gte=day_start)),
                last=Max("scheduled_at", filter=Q(scheduled_at__lte=now)),
            )
            .values_list("mailbox_id", "today", "last")
        ):
            counts[mailbox_id] = (today, last)
    mailboxes = {}
    for (
        mailbox_id,
        email,
        daily_cap,
        ramp_start,
        ramp_step,
        ramp_started_on,
        min_gap,
        max_gap,
        tz,
        status,
        last_sent_at,
    ) in rows:
        tz = _zone_name(tz)
        today, last_claimed = counts.get(mailbox_id, (0, None))
        last = max((t for t in (last_sent_at, last_claimed) if t is not None), default=None)
        state = MailboxState(
            id=mailbox_id,
            daily_cap=daily_cap,
            ramp_start=ramp_start,
            ramp_step=ramp_step,
            # A mailbox whose ramp never started starts it with its first dispatched email.
            ramp_started_on=ramp_started_on or now.astimezone(zone(tz)).date(),
            min_gap_seconds=min_gap,
            max_gap_seconds=max_gap,
            timezone=tz,
            active=status == MailboxStatus.ACTIVE,
            sent_today=today,
            last_sent_at=last,
        )
        mailboxes[mailbox_id] = (state, email)
    return mailboxes


def _zone_name(name: str) -> str:
    try:
        zone(name)
    except (ValueError, KeyError, OSError):
        log.warning("unknown time zone %r: using UTC", name)
        return "UTC"
    return name


def campaign_counts(
    now: datetime, campaigns: list[Campaign]
) -> tuple[dict[tuple[int, str], int], dict[int, int]]:
    by_zone: dict[str, list[int]] = defaultdict(list)
    for campaign in campaigns:
        by_zone[campaign.timezone].append(campaign.pk)
    domains: dict[tuple[int, str], int] = {}
    new_leads: dict[int, int] = defaultdict(int)
    for tz, ids in by_zone.items():
        rows = (
            _claimed_since(_day_start(now, tz))
            .filter(campaign_id__in=ids)
            .annotate(recipient_domain=_recipient_domain())
            .values("campaign_id", "recipient_domain")
            .annotate(sent=Count("id"), first=Count("id", filter=Q(step__position=0)))
            .values_list("campaign_id", "recipient_domain", "sent", "first")
        )
        for campaign_id, domain, sent, first in rows:
            domains[(campaign_id, domain)] = sent
            new_leads[campaign_id] += first
    return domains, dict(new_leads)


# ---------------------------------------------------------------------------------------------
# The tick


def dispatch_tick(
    now: datetime | None = None,
    *,
    campaign_ids: Iterable[int] | None = None,
    enqueue: Callable[[int], None] | None = None,
    requeue_after: timedelta | None = None,
) -> TickResult:
    """One dispatcher tick (every minute from the scheduler; `coldflow send` runs one).

    Claims due work atomically and enqueues it; returns what was claimed. Safe to run in
    several processes at once: ticks serialise on a lock and every claim is conditional.
    Queued messages whose time passed `requeue_after` ago (SEND_REQUEUE_MINUTES) are enqueued
    again: their job was lost.
    """
    now = now or timezone.now()
    enqueue = enqueue or enqueue_send
    result = TickResult()
    result.advanced, result.completed, result.stopped = advance_sent_enrollments()
    campaigns = running_campaigns(campaign_ids)
    for campaign in campaigns:
        result.enrolled += enrol(campaign, now)
    if not campaigns:
        return result

    with transaction.atomic():
        _serialise_ticks()
        snapshot, context = load_snapshot(now, campaigns)
        decided = plan(snapshot, seed=planner_seed())
        result.claimed = _claim(decided.sends, context, now)
        result.stopped += _stop(decided.suppressed, lambda c: "suppressed")
        result.stopped += _stop(context.inactive, lambda c: context.lead_status[c.enrollment_id])
        claimed_pks = [c.message_pk for c in result.claimed]
        transaction.on_commit(lambda: _enqueue_all(claimed_pks, enqueue))
    if requeue_after is None:
        requeue_after = current_send_settings().requeue_after
    result.requeued = requeue_stale(now, requeue_after, campaign_ids, enqueue)
    return result


def _serialise_ticks() -> None:
    # SQLite needs nothing: coldflow opens IMMEDIATE transactions, which take the database's
    # write lock at BEGIN, so a second tick waits for the first to commit.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _claim(sends: list[PlannedSend], context: _Context, now: datetime) -> list[ClaimedSend]:
    """Claim the planned sends whose enrollment and draft are still as planned.

    The rows are locked first (SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction already
    holds the write lock), so what the check finds stays true until commit: a reply stopping
    the enrollment or a reviewer rejecting the draft meanwhile makes the send drop out.
    """
    if not sends:
        return []
    enrollment_ids = [s.candidate.enrollment_id for s in sends]
    message_ids = [s.candidate.message_id for s in sends]
    still_due: set[tuple[int, int]] = set()
    still_approved: set[int] = set()
    for start in range(0, len(sends), CLAIM_BATCH):
        still_due.update(
            Enrollment.objects.select_for_update()
            .filter(
                pk__in=enrollment_ids[start : start + CLAIM_BATCH],
                status=EnrollmentStatus.ACTIVE,
                next_action_at__lte=now,
            )
            .values_list("pk", "next_step")
        )
        still_approved.update(
            OutboundMessage.objects.select_for_update()
            .filter(pk__in=message_ids[start : start + CLAIM_BATCH], state=MessageState.APPROVED)
            .values_list("pk", flat=True)
        )
    threads = _threads([s.candidate for s in sends if s.candidate.step > 0])
    claimed: list[ClaimedSend] = []
    enrollments: list[tuple] = []
    first_emails: list[tuple] = []
    follow_ups: list[tuple] = []
    for send in sends:
        candidate = send.candidate
        if (candidate.enrollment_id, candidate.step) not in still_due:
            continue
        if candidate.message_id not in still_approved:
            continue
        from_address = context.mailbox_emails[send.mailbox_id]
        row = (candidate.message_id, send.mailbox_id, from_address, candidate.enrollment_id)
        if candidate.step > 0:
            thread = threads.get(candidate.enrollment_id)
            if thread is None:
                log.warning("follow-up %s has no earlier message to thread under", candidate)
                continue
            follow_ups.append(
                (*row, thread["in_reply_to"], thread["references"], thread["subject"])
            )
        else:
            first_emails.append(row)
        enrollments.append((candidate.enrollment_id, send.mailbox_id))
        claimed.append(
            ClaimedSend(
                message_pk=candidate.message_id,
                enrollment_id=candidate.enrollment_id,
                lead_id=candidate.lead_id,
                campaign_id=candidate.campaign_id,
                step=candidate.step,
                mailbox_id=send.mailbox_id,
                mailbox_email=context.mailbox_emails[send.mailbox_id],
                to_address=candidate.to_address,
                send_at=now,
                recipient_tz=context.recipient_tz.get(candidate.enrollment_id, ""),
            )
        )
    _set_rows(Enrollment, ["mailbox_id"], enrollments, {"next_action_at": None})
    queued = {"state": MessageState.QUEUED.value, "scheduled_at": now}
    _set_rows(
        OutboundMessage, ["mailbox_id", "from_address", "enrollment_id"], first_emails, queued
    )
    _set_rows(
        OutboundMessage,
        ["mailbox_id", "from_address", "enrollment_id", "in_reply_to", "references", "subject"],
        follow_ups,
        queued,
    )
    used: dict[str, list[int]] = defaultdict(list)
    for mailbox_id, tz in Mailbox.objects.filter(
        pk__in={c.mailbox_id for c in claimed}, ramp_started_on__isnull=True
    ).values_list("pk", "timezone"):
        used[_zone_name(tz)].append(mailbox_id)
    for tz, ids in used.items():
        # The ramp-up of a mailbox that never sent starts with its first dispatched email.
        Mailbox.objects.filter(pk__in=ids, ramp_started_on__isnull=True).update(
            ramp_started_on=now.astimezone(zone(tz)).date()
        )
    return claimed


def _set_rows(model, columns: list[str], rows: list[tuple], constants: dict) -> None:
    """UPDATE many rows to their own values in one statement per batch.

    `rows` are (pk, *values of columns); `constants` are set on every row. UPDATE … FROM a
    VALUES list works on PostgreSQL and SQLite (3.33+); Django's bulk_update builds a CASE per
    row and column, which costs seconds for a thousand rows.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name
    aliases = [f"column{i + 1} AS {name('v_' + c)}" for i, c in enumerate(["id", *columns])]
    assignments = [f"{name(c)} = v.{name('v_' + c)}" for c in columns]
    assignments += [f"{name(c)} = %s" for c in constants]
    constant_params = [
        connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v
        for v in constants.values()
    ]
    for start in range(0, len(rows), CLAIM_BATCH):
        batch = rows[start : start + CLAIM_BATCH]
        values = ", ".join("(" + ", ".join(["%s"] * (len(columns) + 1)) + ")" for _ in batch)
        sql = (
            f"UPDATE {table} SET {', '.join(assignments)} "
            f"FROM (SELECT {', '.join(aliases)} FROM (VALUES {values}) AS x) AS v "
            f"WHERE {table}.{name('id')} = v.{name('v_id')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*constant_params, *(value for row in batch for value in row)])


def reply_subject(first_subject: str) -> str:
    subject = first_subject.strip()
    while subject[:3].lower() == "re:":
        subject = subject[3:].strip()
    return f"Re: {subject}"


def _threads(followups: list[Candidate]) -> dict[int, dict[str, str]]:
    """In-Reply-To, References and subject for each follow-up, from the earlier steps."""
    if not followups:
        return {}
    by_lead = {c.lead_id: c for c in followups}
    earlier: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for lead_id, campaign_id, position, message_id, subject in OutboundMessage.objects.filter(
        lead_id__in=list(by_lead), state__in=CLAIMED_STATES
    ).values_list("lead_id", "campaign_id", "step__position", "message_id", "subject"):
        candidate = by_lead[lead_id]
        if campaign_id == candidate.campaign_id and position < candidate.step:
            earlier[lead_id].append((position, message_id, subject))
    threads = {}
    for lead_id, messages in earlier.items():
        messages.sort()
        chain = [message_id for _, message_id, _ in messages if message_id]
        if not chain:
            continue
        threads[by_lead[lead_id].enrollment_id] = {
            "in_reply_to": chain[-1],
            "references": " ".join(chain),
            "subject": reply_subject(messages[0][2]),
        }
    return threads


def _stop(candidates: list[Candidate], reason: Callable[[Candidate], str]) -> int:
    groups: dict[str, list[int]] = defaultdict(list)
    for candidate in candidates:
        groups[reason(candidate)].append(candidate.enrollment_id)
    stopped = 0
    for why, ids in groups.items():
        stopped += Enrollment.objects.filter(pk__in=ids, status=EnrollmentStatus.ACTIVE).update(
            status=EnrollmentStatus.STOPPED, stop_reason=why[:64]
        )
    return stopped


def _enqueue_all(message_pks: list[int], enqueue: Callable[[int], None]) -> None:
    for pk in message_pks:
        try:
            enqueue(pk)
        except Exception:
            # Still queued in the database: the next ticks enqueue it again.
            log.exception("could not enqueue message %s", pk)


def requeue_stale(
    now: datetime,
    older_than: timedelta,
    campaign_ids: Iterable[int] | None = None,
    enqueue: Callable[[int], None] | None = None,
) -> int:
    """Enqueue again queued messages whose job was lost (a worker killed after taking it, a
    queue flushed). The delivery claims queued → sending conditionally, so a job that was only
    late, not lost, makes the duplicate harmless."""
    stale = OutboundMessage.objects.filter(
        state=MessageState.QUEUED,
        scheduled_at__lt=now - older_than,
        mailbox__status=MailboxStatus.ACTIVE,
        campaign__status=CampaignStatus.RUNNING,
        enrollment__status=EnrollmentStatus.ACTIVE,
    )
    if campaign_ids is not None:
        stale = stale.filter(campaign_id__in=list(campaign_ids))
    pks = list(stale.order_by("scheduled_at").values_list("pk", flat=True)[:1000])
    _enqueue_all(pks, enqueue or enqueue_send)
    return len(pks)
