"""One dispatcher tick over 100,000 active enrollments across 1,000 mailboxes, on PostgreSQL.

Creates a fresh database (from DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/
postgres, as scripts/services_pass.py does), fills it with 10 running campaigns of 100
mailboxes and 10,000 enrollments each (40 % new leads due now, 35 % follow-ups due now, 25 %
follow-ups due later; recipients in eight countries, some in the US and Australia with cities),
plus yesterday's and today's sends so the limits have something to count. Other sizes: the
enrollments are split evenly among the 10 campaigns (rounded down to a multiple of 10) and the
mailboxes dealt out in blocks, every mailbox used; with fewer mailboxes than campaigns,
campaigns share them. Then times:

- the tick: `dispatch_tick` end to end (advance, enrol, lock, snapshot, plan, claim);
- its parts, read-only: loading the snapshot and planning;
- the baseline: the naive way, one round of queries per due enrollment (its draft, its
  company, its mailbox's and domain's counts today, its suppression), on a sample of 2,000,
  scaled to every due enrollment.

Prints the figures and the ratio; exits 1 when the tick misses the 2 s target.

    .venv/bin/python benchmarks/dispatch.py [--enrollments 100000] [--mailboxes 1000]
    .venv/bin/python benchmarks/dispatch.py --enrollments 2000 --mailboxes 5   # a quick run
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from fresh_postgres import admin, boot  # noqa: E402

TARGET_SECONDS = 2.0
CAMPAIGNS = 10
BASELINE_SAMPLE = 2000
# Tuesday 4 March 2025, 15:00 in Berlin, 09:00 in New York.
NOW = datetime(2025, 3, 4, 14, 0, tzinfo=UTC)
PLACES = [
    ("DE", "Berlin"),
    ("GB", "London"),
    ("FR", "Paris"),
    ("NL", "Amsterdam"),
    ("US", "New York"),
    ("US", "Chicago"),
    ("US", "Austin, TX"),
    ("ES", "Madrid"),
    ("IT", "Milan"),
    ("AU", "Sydney"),
]


def deal(mailboxes: list, campaigns: int) -> list[list]:
    """Each campaign's mailboxes: consecutive blocks as equal as can be, every mailbox used;
    with fewer mailboxes than campaigns, one each, shared in turn."""
    if not mailboxes:
        raise ValueError("no mailboxes to deal out")
    if len(mailboxes) < campaigns:
        return [[mailboxes[c % len(mailboxes)]] for c in range(campaigns)]
    size, extra = divmod(len(mailboxes), campaigns)
    blocks, start = [], 0
    for c in range(campaigns):
        end = start + size + (1 if c < extra else 0)
        blocks.append(mailboxes[start:end])
        start = end
    return blocks


def populate(enrollments: int, mailboxes: int) -> dict[str, int]:
    from coldflow.accounts.models import Workspace
    from coldflow.campaigns.models import Campaign, Sequence, SequenceStep
    from coldflow.contacts.models import EmailAddress, Lead, Person
    from coldflow.research.models import Company
    from coldflow.send.models import (
        CampaignMailbox,
        Enrollment,
        Mailbox,
        OutboundMessage,
        Suppression,
    )

    rng = random.Random(7)
    batch = 5000
    workspace = Workspace.objects.create(name="Bench", slug="bench")
    per_campaign = enrollments // CAMPAIGNS
    counts = {"due_new": 0, "due_follow_up": 0, "waiting": 0, "sent_earlier": 0}

    all_mailboxes = Mailbox.objects.bulk_create(
        [
            Mailbox(
                workspace=workspace,
                email=f"sender{n}@sender{n % 50}.test",
                smtp_host="127.0.0.1",
                smtp_username=f"sender{n}",
                daily_cap=40,
                ramp_start=40,
                ramp_step=0,
                min_gap_seconds=120,
                max_gap_seconds=360,
                timezone="Europe/Berlin",
            )
            for n in range(mailboxes)
        ],
        batch_size=batch,
    )
    companies = Company.objects.bulk_create(
        [
            Company(
                workspace=workspace,
                domain=f"company{n}.test",
                country=PLACES[n % len(PLACES)][0],
                city=PLACES[n % len(PLACES)][1],
            )
            for n in range(enrollments // 5)
        ],
        batch_size=batch,
    )
    Suppression.objects.bulk_create(
        [
            Suppression(
                workspace=workspace,
                kind="address",
                value=f"p{n}@company{n // 5}.test",
                reason="unsubscribe",
            )
            for n in range(0, enrollments, 97)
        ],
        batch_size=batch,
    )
    for c, boxes in enumerate(deal(all_mailboxes, CAMPAIGNS)):
        sequence = Sequence.objects.create(workspace=workspace, name=f"Sequence {c}")
        steps = [
            SequenceStep.objects.create(sequence=sequence, position=p, delay_business_days=d)
            for p, d in enumerate((0, 3, 4))
        ]
        campaign = Campaign.objects.create(
            workspace=workspace,
            name=f"Campaign {c}",
            sequence=sequence,
            status="running",
            timezone="Europe/Berlin",
            new_leads_per_day=400,
            per_domain_daily_cap=5,
        )
        CampaignMailbox.objects.bulk_create(
            [CampaignMailbox(campaign=campaign, mailbox=m) for m in boxes]
        )
        offset = c * per_campaign
        people = Person.objects.bulk_create(
            [
                Person(
                    workspace=workspace,
                    company=companies[(offset + n) // 5],
                    full_name=f"Person {offset + n}",
                    name_key=f"person {offset + n}",
                )
                for n in range(per_campaign)
            ],
            batch_size=batch,
        )
        emails = EmailAddress.objects.bulk_create(
            [
                EmailAddress(
                    workspace=workspace,
                    address=f"p{offset + n}@company{(offset + n) // 5}.test",
                    domain=f"company{(offset + n) // 5}.test",
                    person=person,
                    company_id=person.company_id,
                    origin="found",
                )
                for n, person in enumerate(people)
            ],
            batch_size=batch,
        )
        kinds = [rng.choices(("new", "follow", "waiting"), (40, 35, 25))[0] for _ in people]
        leads = Lead.objects.bulk_create(
            [
                Lead(
                    workspace=workspace,
                    campaign=campaign,
                    person=person,
                    company_id=person.company_id,
                    email=email,
                    status="enrolled" if kind == "new" else "contacted",
                )
                for person, email, kind in zip(people, emails, kinds, strict=True)
            ],
            batch_size=batch,
        )
        rows = []
        for lead, kind in zip(leads, kinds, strict=True):
            mailbox = rng.choice(boxes)
            if kind == "new":
                rows.append(
                    Enrollment(
                        campaign=campaign,
                        lead=lead,
                        next_step=0,
                        next_action_at=NOW - timedelta(hours=1),
                    )
                )
            else:
                due = NOW - timedelta(hours=2) if kind == "follow" else NOW + timedelta(days=2)
                rows.append(
                    Enrollment(
                        campaign=campaign,
                        lead=lead,
                        mailbox=mailbox,
                        next_step=1,
                        next_action_at=due,
                        thread_message_id=f"<first-{lead.pk}@b>",
                    )
                )
        enrolled = Enrollment.objects.bulk_create(rows, batch_size=batch)
        messages = []
        for enrollment, lead, email, kind in zip(enrolled, leads, emails, kinds, strict=True):
            common = dict(
                workspace=workspace,
                campaign=campaign,
                lead=lead,
                to_address=email.address,
                body_text="Hello",
            )
            if kind == "new":
                counts["due_new"] += 1
                messages.append(
                    OutboundMessage(
                        **common,
                        enrollment=enrollment,
                        step=steps[0],
                        state="approved",
                        subject="Idea",
                        message_id=f"<m0-{lead.pk}@coldflow.local>",
                        idempotency_key=f"lead:{lead.pk}:step:{steps[0].pk}",
                    )
                )
                continue
            counts["due_follow_up" if kind == "follow" else "waiting"] += 1
            counts["sent_earlier"] += 1
            # The first email went out in the last two days: today's counts see some of them.
            sent_at = NOW - timedelta(minutes=rng.randint(10, 2 * 24 * 60))
            messages.append(
                OutboundMessage(
                    **common,
                    enrollment=enrollment,
                    step=steps[0],
                    state="sent",
                    mailbox_id=enrollment.mailbox_id,
                    subject="Idea",
                    sent_at=sent_at,
                    scheduled_at=sent_at,
                    sending_started_at=sent_at,
                    message_id=f"<first-{lead.pk}@b>",
                    idempotency_key=f"lead:{lead.pk}:step:{steps[0].pk}",
                )
            )
            messages.append(
                OutboundMessage(
                    **common,
                    enrollment=enrollment,
                    step=steps[1],
                    state="approved",
                    subject="Following up",
                    message_id=f"<m1-{lead.pk}@coldflow.local>",
                    idempotency_key=f"lead:{lead.pk}:step:{steps[1].pk}",
                )
            )
        OutboundMessage.objects.bulk_create(messages, batch_size=batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def time_tick() -> tuple[float, int, float, float]:
    from django.db import transaction

    from coldflow.send.schedule.dispatch import (
        dispatch_tick,
        load_snapshot,
        planner_seed,
        running_campaigns,
    )
    from coldflow.send.schedule.planner import plan

    enqueued: list[int] = []
    started_tick = time.perf_counter()
    result = dispatch_tick(NOW, enqueue=enqueued.append)
    tick_seconds = time.perf_counter() - started_tick
    # The parts, read-only, on what is left due (rolled back).
    with transaction.atomic():
        started = time.perf_counter()
        snapshot, _ = load_snapshot(NOW, running_campaigns())
        loaded = time.perf_counter()
        plan(snapshot, seed=planner_seed())
        planned = time.perf_counter()
        transaction.set_rollback(True)
    return tick_seconds, len(result.claimed), loaded - started, planned - loaded


def time_baseline(sample: int) -> tuple[float, int]:
    """Seconds per due enrollment the naive way, and how many are due."""
    from django.db.models import Q

    from coldflow.send.models import Enrollment, OutboundMessage, Suppression

    due = list(
        Enrollment.objects.filter(status="active", next_action_at__lte=NOW)
        .order_by("?")
        .values_list("pk", flat=True)[:sample]
    )
    total_due = Enrollment.objects.filter(status="active", next_action_at__lte=NOW).count()
    day_start = NOW.replace(hour=0, minute=0)
    started = time.perf_counter()
    for pk in due:
        enrollment = Enrollment.objects.select_related("lead__company", "campaign").get(pk=pk)
        draft = OutboundMessage.objects.filter(
            lead_id=enrollment.lead_id, step__position=enrollment.next_step, state="approved"
        ).first()
        if draft is None:
            continue
        domain = draft.to_address.rsplit("@", 1)[1]
        Suppression.objects.filter(
            Q(kind="address", value=draft.to_address) | Q(kind="domain", value=domain)
        ).exists()
        OutboundMessage.objects.filter(
            campaign_id=enrollment.campaign_id,
            to_address__endswith=f"@{domain}",
            scheduled_at__gte=day_start,
        ).count()
        if enrollment.mailbox_id:
            OutboundMessage.objects.filter(
                mailbox_id=enrollment.mailbox_id, scheduled_at__gte=day_start
            ).count()
    return (time.perf_counter() - started) / max(len(due), 1), total_due


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--enrollments",
        type=int,
        default=100_000,
        help=f"active enrollments, split evenly among the {CAMPAIGNS} campaigns (rounded down to "
        f"a multiple of {CAMPAIGNS}; at least {CAMPAIGNS}; default 100000)",
    )
    parser.add_argument(
        "--mailboxes",
        type=int,
        default=1_000,
        help=f"sending mailboxes, dealt out among the {CAMPAIGNS} campaigns; with fewer than "
        f"{CAMPAIGNS}, campaigns share them (at least 1; default 1000)",
    )
    args = parser.parse_args()
    if args.enrollments < CAMPAIGNS:
        parser.error(f"--enrollments must be at least {CAMPAIGNS} (one per campaign)")
    if args.mailboxes < 1:
        parser.error("--mailboxes must be at least 1")

    base = os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    if not base.startswith("postgres"):
        print("benchmarks/dispatch.py needs PostgreSQL: set DATABASE_URL=postgresql://…")
        return 2
    name = f"coldflow_bench_{uuid.uuid4().hex[:10]}"
    admin(base, f'CREATE DATABASE "{name}"')
    try:
        boot(urlunsplit(urlsplit(base)._replace(path=f"/{name}")))
        started = time.perf_counter()
        counts = populate(args.enrollments, args.mailboxes)
        enrolled = counts["due_new"] + counts["due_follow_up"] + counts["waiting"]
        print(
            f"data: {enrolled:,} active enrollments in {CAMPAIGNS} campaigns across "
            f"{args.mailboxes:,} mailboxes "
            f"({counts['due_new']:,} new leads due, {counts['due_follow_up']:,} follow-ups due, "
            f"{counts['waiting']:,} waiting; {counts['sent_earlier']:,} earlier sends) "
            f"in {time.perf_counter() - started:.0f} s"
        )
        per_enrollment, total_due = time_baseline(BASELINE_SAMPLE)
        tick, claimed, load, planning = time_tick()
        baseline = per_enrollment * total_due
        print(
            f"tick:      {tick:.2f} s end to end, {claimed:,} messages claimed and enqueued "
            f"(target < {TARGET_SECONDS:.0f} s)"
        )
        print(f"  parts:   snapshot {load:.2f} s, planning {planning:.2f} s (read-only rerun)")
        print(
            f"baseline:  {per_enrollment * 1000:.2f} ms per due enrollment (sample of "
            f"{BASELINE_SAMPLE:,}) × {total_due:,} due = {baseline:.1f} s"
        )
        print(f"ratio:     {baseline / tick:.1f}× faster than the per-enrollment loop")
        return 0 if tick < TARGET_SECONDS else 1
    finally:
        from django.db import connections

        connections.close_all()
        admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
