"""`coldflow apikey create|list|revoke`: keys for the REST API (docs/api.md)."""

from __future__ import annotations

import json

import click

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings


def _workspace(name: str | None):
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.accounts.workspaces import resolve_workspace

    return resolve_workspace(name)


def _row(key) -> dict:
    return {
        "id": key.pk,
        "name": key.name,
        "prefix": key.prefix,
        "read_only": key.read_only,
        "created_at": key.created_at.isoformat(),
        "last_used_at": key.last_used_at.isoformat() if key.last_used_at else None,
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }


@click.group()
def apikey() -> None:
    """API keys for the REST API at /api/ (full or read-only, one workspace each)."""


@apikey.command("create")
@click.argument("name")
@click.option(
    "--workspace", default=None, help="Workspace the key acts in (default: the only one)."
)
@click.option("--read-only", is_flag=True, help="The key may read but never change anything.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the key).")
def create(name: str, workspace: str | None, read_only: bool, as_json: bool) -> None:
    """Make a key named NAME and print it: it is shown this once and stored only as a hash."""
    target = _workspace(workspace)
    from coldflow.accounts.api_keys import create_key

    made = create_key(target, name, read_only=read_only)
    if as_json:
        click.echo(json.dumps({**_row(made.record), "key": made.secret}, indent=2))
        return
    kind = "read-only" if read_only else "full"
    console.print(
        f"Created {kind} API key {made.record.name!r} ({made.record.prefix}…):", markup=False
    )
    click.echo(made.secret)
    console.print(
        "Store it now: it cannot be shown again. Send it as `Authorization: Bearer KEY`.",
        markup=False,
    )


@apikey.command("list")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked keys.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_keys(workspace: str | None, include_revoked: bool, as_json: bool) -> None:
    """List the workspace's keys by name and prefix (never the keys themselves)."""
    target = _workspace(workspace)
    from coldflow.accounts.api_keys import list_keys as keys_of

    rows = [_row(k) for k in keys_of(target, include_revoked=include_revoked)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("No API keys: `coldflow apikey create NAME`.", markup=False)
    for row in rows:
        state = "revoked" if row["revoked_at"] else ("read-only" if row["read_only"] else "full")
        used = row["last_used_at"] or "never used"
        console.print(f"{row['prefix']}…  {state:<9}  {row['name']}  ({used})", markup=False)


@apikey.command("revoke")
@click.argument("prefix")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def revoke(prefix: str, workspace: str | None) -> None:
    """Revoke the key whose prefix (as `apikey list` shows it, or id) is PREFIX."""
    target = _workspace(workspace)
    from coldflow.accounts.api_keys import revoke_key

    key = revoke_key(target, prefix.rstrip("…"))
    console.print(f"Revoked API key {key.name!r} ({key.prefix}…).", markup=False)
