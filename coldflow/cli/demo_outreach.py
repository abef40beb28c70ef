"""The demo's outreach: the sandbox's three mailboxes, sending as the orchestrator hands
drafted leads over, reading what the prospects answer, and the funnel.

Everything goes through the same functions a real campaign uses (the dispatcher's tick,
exactly-once delivery, the inbox poll). Two things differ from a real setup, and the demo says
so: the sandbox mailboxes are treated as warmed up (no ramp-up, no gap between sends), and the
campaign's window is the whole day, so the demo sends now instead of at 9:00 tomorrow.
"""

from __future__ import annotations

import time
from collections import Counter

from coldflow.cli.output import console

# Sandbox prospects answer within a few (sandbox) seconds; late bounces come after three.
ANSWER_WAIT_SECONDS = 8.0
DEMO_DAILY_CAP = 25


def warmed_sandbox_mailboxes(workspace, world) -> list:
    """The sandbox's three sending mailboxes, added to the workspace and treated as warmed up
    (full cap at once, no pause between sends)."""
    from coldflow.send.mailboxes import MailboxSpec, add_mailbox
    from coldflow.send.models import Mailbox

    submission, imap = world.endpoints["submission"], world.endpoints["imap"]
    domain = world.world.sending
    mailboxes = []
    for sender in domain.senders:
        mailbox, _ = add_mailbox(
            workspace,
            MailboxSpec(
                email=sender.address,
                display_name=sender.display_name,
                smtp_host=submission["host"],
                smtp_port=submission["port"],
                smtp_security="plain",
                smtp_username=sender.username,
                imap_host=imap["host"],
                imap_port=imap["port"],
                imap_security="plain",
                imap_username=sender.username,
                password=sender.password,
                daily_cap=DEMO_DAILY_CAP,
                append_to_sent=not sender.server_appends_to_sent,
                dkim_selector=domain.dkim_selector,
                dkim_private_key=domain.dkim_private_key_pem,
            ),
        )
        Mailbox.objects.filter(pk=mailbox.pk).update(
            ramp_start=DEMO_DAILY_CAP, min_gap_seconds=0, max_gap_seconds=0
        )
        mailboxes.append(Mailbox.objects.get(pk=mailbox.pk))
    return mailboxes


def sandbox_mailboxes(workspace, campaign, world) -> list:
    """The warmed-up sandbox mailboxes, sending for the campaign all day, every day."""
    from coldflow.send.models import CampaignMailbox

    mailboxes = warmed_sandbox_mailboxes(workspace, world)
    for mailbox in mailboxes:
        CampaignMailbox.objects.get_or_create(campaign=campaign, mailbox=mailbox)
    # The whole day, every day: the demo sends now, whatever the time.
    campaign.window_start = campaign.window_end
    campaign.weekdays = [1, 2, 3, 4, 5, 6, 7]
    campaign.save(update_fields=["window_start", "weekdays"])
    return mailboxes


class InlineSender:
    """The dispatcher run in-process: each time compose hands leads over, tick until nothing
    more is claimed and deliver what was claimed (exactly once, over one connection per
    mailbox). A real installation does the same from its worker's jobs."""

    def __init__(self, campaign) -> None:
        self.campaign = campaign
        self.outcomes: Counter[str] = Counter()
        self.last_sent_at: float | None = None

    def send(self, campaign) -> None:
        from coldflow.send.delivery import deliver_batch
        from coldflow.send.schedule.dispatch import dispatch_tick

        queued: list[int] = []
        while dispatch_tick(campaign_ids=[campaign.pk], enqueue=queued.append).claimed:
            pass
        if queued:
            self.outcomes.update(r.outcome for r in deliver_batch(queued))
            self.last_sent_at = time.monotonic()

    def summary(self) -> str:
        from coldflow.send.schedule.dispatch import advance_sent_enrollments

        # What the next tick does first: each sent step schedules the next one.
        advance_sent_enrollments()
        per_mailbox = Counter(
            self.campaign.messages.filter(state="sent").values_list("mailbox__email", flat=True)
        )
        others = ", ".join(f"{n} {o}" for o, n in self.outcomes.items() if o != "sent")
        return (
            f"{self.outcomes.get('sent', 0)} first emails sent exactly once from "
            f"{len(per_mailbox)} mailboxes ("
            + ", ".join(f"{email.split('@')[0]} {n}" for email, n in sorted(per_mailbox.items()))
            + f"), each under its daily cap of {DEMO_DAILY_CAP}"
            + (f"; {others}" if others else "")
        )


def inline_sender(campaign) -> InlineSender:
    return InlineSender(campaign)


def listen(mailboxes, sent_at: float) -> None:
    from coldflow.listen.inbox import ListenSettings, poll_mailbox

    time.sleep(max(0.0, sent_at + ANSWER_WAIT_SECONDS - time.monotonic()))
    clock = time.monotonic()
    kinds: Counter[str] = Counter()
    for mailbox in mailboxes:
        report = poll_mailbox(mailbox, ListenSettings(timeout=10.0))
        kinds.update(report.kinds)
    console.print(
        f"[green]✓[/] listen     {sum(kinds.values())} answers read over IMAP: "
        + ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in kinds.most_common())
        + f"; consequences applied  ({time.monotonic() - clock:.1f} s)"
    )


def print_funnel(campaign) -> None:
    from coldflow.send.models import Enrollment

    statuses = Counter(campaign.leads.values_list("status", flat=True))
    intents = Counter(
        campaign.leads.filter(inbound__kind="reply").values_list("inbound__intent", flat=True)
    )
    followups = Enrollment.objects.filter(
        campaign=campaign, status="active", next_action_at__isnull=False
    ).count()
    contacted = sum(
        statuses[s]
        for s in (
            "contacted",
            "replied",
            "interested",
            "not_interested",
            "bounced",
            "unsubscribed",
            "stopped",
        )
    )
    console.print(
        f"\nFunnel for campaign {campaign.name}: {contacted} contacted, "
        f"{statuses['interested']} interested, {statuses['not_interested']} not interested, "
        f"{statuses['replied']} other replies ("
        + ", ".join(
            f"{n} {intent.replace('_', ' ') or 'unclassified'}"
            for intent, n in intents.most_common()
            if intent not in ("interested", "not_interested")
        )
        + f"), {statuses['bounced']} bounced, "
        f"{statuses['unsubscribed']} unsubscribed; {followups} follow-ups scheduled "
        f"(`coldflow schedule --campaign {campaign.name}` lists them)."
    )
