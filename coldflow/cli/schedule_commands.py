"""`coldflow schedule` (what the dispatcher will send) and `coldflow send` (one dispatch now)."""

from __future__ import annotations

import json

import click
from rich.table import Table

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings
from coldflow.errors import UserError


class CampaignNotFound(UserError):
    pass


class CampaignNotSendable(UserError):
    pass


def _campaign(name: str, workspace: str | None):
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.campaigns.models import Campaign

    found = Campaign.objects.filter(workspace=resolve_workspace(workspace), name=name).first()
    if found is None:
        raise CampaignNotFound(f"no campaign named {name!r}")
    if found.sequence_id is None:
        raise CampaignNotSendable(f"campaign {name!r} has no sequence yet")
    return found


@click.command()
@click.option("--campaign", "campaign_name", required=True, help="The campaign's name.")
@click.option(
    "--days", type=click.IntRange(1, 60), default=3, show_default=True, help="How far ahead."
)
@click.option("--json", "as_json", is_flag=True, help="Print the planned sends as JSON.")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def schedule(campaign_name: str, days: int, as_json: bool, workspace: str | None) -> None:
    """Show the sends the dispatcher will make in the next days, without sending anything.

    Runs the dispatcher forward on a simulated clock from now, with every rule it applies:
    sending windows in each recipient's time zone, weekdays and holidays, mailbox caps with
    ramp-up and gaps, the per-domain cap, new leads per day, business-day delays between
    steps. Assumes follow-up drafts get approved in time and nobody replies.
    """
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from django.utils import timezone

    from coldflow.send.schedule.preview import preview

    campaign = _campaign(campaign_name, workspace)
    rows = preview(campaign, timezone.now(), days)
    if as_json:
        click.echo(json.dumps([row.as_dict() for row in rows], indent=2))
        return
    if not rows:
        console.print(f"Nothing would be sent for {campaign.name} in the next {days} days.")
        return
    table = Table(title=f"{campaign.name}: {len(rows)} sends in the next {days} days")
    for column in ("recipient's time", "mailbox", "lead", "step"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            f"{row.local_time:%a %Y-%m-%d %H:%M} {row.recipient_tz}",
            row.mailbox,
            f"{row.lead} <{row.to_address}>",
            "first email" if row.step == 0 else f"follow-up {row.step}",
        )
    console.print(table)


@click.command()
@click.option("--campaign", "campaign_name", required=True, help="The campaign's name.")
@click.option("--json", "as_json", is_flag=True, help="Print the queued messages as JSON.")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def send(campaign_name: str, as_json: bool, workspace: str | None) -> None:
    """Run the dispatcher once for a campaign: enrol ready leads and queue what is due now.

    A draft campaign is started first; a paused, completed or cancelled one is refused. The
    queued messages are sent by a worker (`coldflow run` or `coldflow worker`): with the
    embedded queue they wait in the data directory until one runs.
    """
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from django.utils import timezone

    from coldflow.campaigns.models import CampaignStatus
    from coldflow.send.schedule.dispatch import dispatch_tick

    campaign = _campaign(campaign_name, workspace)
    if campaign.status == CampaignStatus.DRAFT:
        campaign.status, campaign.started_at = CampaignStatus.RUNNING, timezone.now()
        campaign.save(update_fields=["status", "started_at"])
        if not as_json:
            console.print(f"Started campaign {campaign.name}.")
    elif campaign.status != CampaignStatus.RUNNING:
        raise CampaignNotSendable(f"campaign {campaign.name!r} is {campaign.status}")
    result = dispatch_tick(campaign_ids=[campaign.pk])
    if as_json:
        click.echo(
            json.dumps(
                {
                    "queued": [
                        {
                            "message": c.message_pk,
                            "mailbox": c.mailbox_email,
                            "to": c.to_address,
                            "step": c.step,
                            "recipient_timezone": c.recipient_tz,
                        }
                        for c in result.claimed
                    ],
                    "enrolled": result.enrolled,
                    "advanced": result.advanced,
                    "completed": result.completed,
                    "stopped": result.stopped,
                },
                indent=2,
            )
        )
        return
    for claimed in result.claimed:
        step = "first email" if claimed.step == 0 else f"follow-up {claimed.step}"
        console.print(f"queued  {claimed.mailbox_email} → {claimed.to_address}  ({step})")
    console.print(
        f"{len(result.claimed)} queued, {result.enrolled} enrolled, {result.advanced} advanced, "
        f"{result.completed} completed, {result.stopped} stopped."
    )
    if result.claimed:
        console.print("A worker sends them: `coldflow run` or `coldflow worker`.")
