"""`coldflow demo`: a complete installation in a folder of its own, run against the sandbox."""

from __future__ import annotations

import os
from pathlib import Path

import click

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"

# What the pipeline can do in this version, stage by stage. The demo says this plainly rather
# than pretending: a stage is listed as available only when its code exists.
STAGES = (
    ("discover", False),
    ("research", False),
    ("contacts", False),
    ("compose", False),
    ("send", False),
    ("listen", False),
    ("analytics", False),
)


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("coldflow-demo"),
    show_default=True,
    help="Where the demo installation lives; kept apart from your real data.",
)
def demo(data_dir: Path) -> None:
    """Set up a demo installation and run the pipeline against the built-in sandbox."""
    os.environ["COLDFLOW_DATA_DIR"] = str(data_dir.resolve())
    os.environ["SANDBOX"] = "true"
    config = load_settings()
    instance.prepare_data_dir(config)
    config = instance.ensure_secrets(config)
    instance.boot_django(config)
    instance.check_database(config)
    instance.check_queue(config)
    instance.migrate()
    instance.check_encryption_key(config)

    from coldflow.accounts.users import create_user

    create_user(
        username=DEMO_USER, email="", password=DEMO_PASSWORD, workspace="Demo", role="owner"
    )
    console.print(f"[green]✓[/] demo installation ready in {config.data_dir}")
    console.print(
        f"[green]✓[/] dashboard login: user [bold]{DEMO_USER}[/], password [bold]{DEMO_PASSWORD}[/]"
    )
    console.print("\nPipeline stages in this version:")
    for stage, available in STAGES:
        mark = "[green]available[/]" if available else "[yellow]not built yet[/]"
        console.print(f"  {stage:<10} {mark}")
    console.print(
        "\nOnly the foundation exists so far, so the demo stops here. Start the dashboard with:\n"
        f"  COLDFLOW_DATA_DIR={data_dir} coldflow run"
    )
