"""`coldflow campaign …`: campaigns made from an ICP."""

from __future__ import annotations

from pathlib import Path

import click

from coldflow.cli import instance
from coldflow.cli.output import console, fail
from coldflow.config.loader import load_settings


@click.group()
def campaign() -> None:
    """Create and manage campaigns."""


@campaign.command("create")
@click.argument("name")
@click.option(
    "--icp",
    "icp_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The ideal customer profile as TOML (format: docs/icp.md).",
)
@click.option(
    "--workspace", default=None, help="Workspace to create it in (default: the only one)."
)
def create(name: str, icp_file: Path, workspace: str | None) -> None:
    """Create a campaign named NAME for the ICP in --icp FILE (a draft: nothing is sent)."""
    from coldflow.discover.icp import ICPError, icp_to_mapping, load_icp

    name = name.strip()
    if not name:
        raise click.UsageError("the campaign needs a name")
    try:
        icp = load_icp(icp_file.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {icp_file}: {exc.strerror}")
    except ICPError as exc:
        fail("the ICP has problems: " + "; ".join(exc.problems), code=2)

    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.campaigns.models import Campaign

    target = resolve_workspace(workspace)
    made, created = Campaign.objects.get_or_create(
        workspace=target, name=name, defaults={"icp": icp_to_mapping(icp)}
    )
    if not created:
        fail(f"workspace {target.name} already has a campaign named {name!r}")
    console.print(
        f"Created campaign {made.name} (draft). Next: `coldflow leads --campaign "
        f"{made.name} --build` once its companies are researched.",
        markup=False,
    )
