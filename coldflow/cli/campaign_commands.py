"""`coldflow campaign …`: campaigns made from an ICP."""

from __future__ import annotations

from pathlib import Path

import click

from coldflow.cli import instance
from coldflow.cli.output import console, fail
from coldflow.config.loader import load_settings
from coldflow.errors import UserError


@click.group()
def campaign() -> None:
    """Create and manage campaigns."""


@campaign.command("create")
@click.argument("name", required=False)
@click.option("--name", "name_option", default=None, help="The campaign's name (or give NAME).")
@click.option(
    "--icp",
    "icp_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The ideal customer profile as TOML (format: docs/icp.md).",
)
@click.option(
    "--sequence",
    "sequence_file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The email sequence as TOML (format: docs/sequences.md; default: the built-in one).",
)
@click.option(
    "--mailbox",
    "mailboxes",
    multiple=True,
    help="Send from this mailbox (its address; repeat for several). Add mailboxes first with "
    "`coldflow mailbox add`.",
)
@click.option(
    "--workspace", default=None, help="Workspace to create it in (default: the only one)."
)
def create(
    name: str | None,
    name_option: str | None,
    icp_file: Path,
    sequence_file: Path | None,
    mailboxes: tuple[str, ...],
    workspace: str | None,
) -> None:
    """Create a campaign named NAME (or --name) for the ICP in --icp FILE, with an optional
    sequence and mailboxes. It starts as a draft: nothing runs until `coldflow campaign run`."""
    from coldflow.compose.sequences import parse_sequence
    from coldflow.discover.icp import ICPError, icp_to_mapping, load_icp

    if name and name_option and name.strip() != name_option.strip():
        raise click.UsageError("give the name once: NAME or --name")
    name = (name_option or name or "").strip()
    if not name:
        raise click.UsageError("the campaign needs a name")
    try:
        icp = load_icp(icp_file.read_text(encoding="utf-8"))
        sequence = (
            parse_sequence(sequence_file.read_text(encoding="utf-8")) if sequence_file else None
        )
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror}")
    except ICPError as exc:
        fail("the ICP has problems: " + "; ".join(exc.problems), code=2)
    except UserError as exc:
        fail(str(exc), code=2)

    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from django.db import transaction

    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.campaigns.models import Campaign
    from coldflow.compose.sequences import create_sequence
    from coldflow.send.models import CampaignMailbox, Mailbox

    target = resolve_workspace(workspace)
    chosen = []
    for address in mailboxes:
        mailbox = Mailbox.objects.filter(workspace=target, email__iexact=address.strip()).first()
        if mailbox is None:
            fail(f"no mailbox {address} in workspace {target.name} (`coldflow mailbox list`)")
        chosen.append(mailbox)
    with transaction.atomic():
        made, created = Campaign.objects.get_or_create(
            workspace=target, name=name, defaults={"icp": icp_to_mapping(icp)}
        )
        if not created:
            fail(f"workspace {target.name} already has a campaign named {name!r}")
        if sequence is not None:
            made.sequence = create_sequence(target, sequence)
            made.save(update_fields=["sequence"])
        for mailbox in chosen:
            CampaignMailbox.objects.get_or_create(campaign=made, mailbox=mailbox)
    console.print(
        f"Created campaign {made.name} (draft"
        + (f", {len(chosen)} mailboxes" if chosen else "")
        + f"). Next: `coldflow campaign run {made.name}` runs every stage by itself (workers "
        f"must be running: `coldflow run`), or step by step: `coldflow leads --campaign "
        f"{made.name} --build` once its companies are researched.",
        markup=False,
    )


def _campaign(name: str, workspace: str | None):
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.campaigns.models import Campaign

    target = resolve_workspace(workspace)
    found = Campaign.objects.filter(workspace=target, name=name).first()
    if found is None:
        fail(f"no campaign named {name!r} in workspace {target.name}")
    return config, found


_WORKSPACE = click.option(
    "--workspace", default=None, help="Its workspace (default: the only one)."
)
_REASON = click.option("--reason", default="", help="Why (written to the event log).")


def _change(name: str, workspace: str | None, action: str, reason: str, done: str) -> None:
    config, found = _campaign(name, workspace)
    from coldflow.orchestrate.engine import act
    from coldflow.orchestrate.lifecycle import CampaignStateError

    try:
        act(found, action, reason or f"{done} from the command line", by="cli", config=config)
    except CampaignStateError as exc:
        fail(str(exc), code=2)
    if action in ("run", "resume"):
        # Start the workers on it now rather than at the scheduler's next sweep.
        from coldflow.campaigns.tasks import work_stage
        from coldflow.orchestrate.engine import due_batches

        for stage, jobs in due_batches().items():
            for _ in range(jobs):
                work_stage(stage)
    console.print(f"Campaign {found.name} {done}.", markup=False)


@campaign.command("run")
@click.argument("name")
@_WORKSPACE
@_REASON
def run_campaign(name: str, workspace: str | None, reason: str) -> None:
    """Start the draft campaign NAME: the workers discover, research, find contacts, build
    leads, compose and send by themselves (`coldflow campaign status NAME` follows it)."""
    _change(name, workspace, "run", reason, "is running")


@campaign.command("pause")
@click.argument("name")
@_WORKSPACE
@_REASON
def pause_campaign(name: str, workspace: str | None, reason: str) -> None:
    """Pause the running campaign NAME: no work item is started and nothing is sent."""
    _change(name, workspace, "pause", reason, "is paused")


@campaign.command("resume")
@click.argument("name")
@_WORKSPACE
@_REASON
def resume_campaign(name: str, workspace: str | None, reason: str) -> None:
    """Resume the paused campaign NAME where it stopped."""
    _change(name, workspace, "resume", reason, "is running again")


@campaign.command("cancel")
@click.argument("name")
@_WORKSPACE
@_REASON
def cancel_campaign(name: str, workspace: str | None, reason: str) -> None:
    """Cancel the campaign NAME for good (what was sent stays recorded)."""
    _change(name, workspace, "cancel", reason, "is cancelled")


@campaign.command("status")
@click.argument("name")
@_WORKSPACE
@click.option("--json", "as_json", is_flag=True, help="Print the progress as JSON.")
@click.option("--watch", is_flag=True, help="Redraw every two seconds until it stops running.")
def status(name: str, workspace: str | None, as_json: bool, watch: bool) -> None:
    """Progress of the campaign NAME per stage: queued, running, done, failed and parked work,
    throughput and the time left."""
    import json
    import time

    _, found = _campaign(name, workspace)
    from coldflow.orchestrate.progress import campaign_progress

    if as_json:
        click.echo(json.dumps(campaign_progress(found), indent=2))
        return
    if not watch:
        console.print(_progress_view(campaign_progress(found)))
        return
    from rich.live import Live

    with Live(console=console, refresh_per_second=1) as live:
        while True:
            found.refresh_from_db()
            progress = campaign_progress(found)
            live.update(_progress_view(progress))
            if found.status != "running":
                return
            time.sleep(2)


def _progress_view(progress: dict):
    from rich.progress import BarColumn, Progress, TextColumn
    from rich.table import Table

    table = Table.grid(padding=(0, 1))
    table.add_row(
        f"Campaign {progress['campaign']}: {progress['status']}"
        + (f" ({progress['status_reason']})" if progress["status_reason"] else "")
    )
    bars = Progress(
        TextColumn("{task.description:<9}"),
        BarColumn(bar_width=30),
        TextColumn("{task.fields[detail]}"),
        auto_refresh=False,
    )
    for stage in progress["stages"]:
        total = stage["total"]
        detail = (
            f"{stage['done']}/{total} done, {stage['queued']} queued, {stage['running']} "
            f"running, {stage['failed']} failed, {stage['parked']} parked"
        )
        if stage["per_minute"]:
            detail += f", {stage['per_minute']:.1f}/min"
        if stage["eta_seconds"]:
            detail += f", ETA {stage['eta_seconds']:.0f} s"
        bars.add_task(stage["stage"], total=total or 1, completed=stage["done"], detail=detail)
    table.add_row(bars)
    if progress["answers"]:
        table.add_row(
            "Answers: "
            + ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in progress["answers"].items())
        )
    if progress["drafts_awaiting_review"]:
        table.add_row(f"{progress['drafts_awaiting_review']} drafts await review")
    return table
