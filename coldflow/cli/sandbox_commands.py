"""`coldflow sandbox …`: the local internet of companies, search, DNS and mail."""

from __future__ import annotations

from pathlib import Path

import click

from coldflow.cli.output import console


@click.group()
def sandbox() -> None:
    """The built-in sandbox: a seeded, local world for the demo, tests and benchmarks."""


@sandbox.command()
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Where sandbox.json (endpoints, credentials) and truth.json are written.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same world.")
@click.option("--companies", type=int, default=60, show_default=True, help="Number of companies.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def serve(state_dir: Path, seed: int, companies: int, host: str) -> None:
    """Run the whole world in the foreground until Ctrl-C.

    Company websites, a SearXNG-compatible search engine, a DNS server, MX hosts, and the
    demo mailboxes over SMTP submission and IMAP, all on free ports of 127.0.0.1.
    """
    from coldflow.sandbox.runner import serve as serve_world

    def ready(running) -> None:
        endpoints = running.endpoints
        console.print(f"sandbox: {companies} companies, seed {seed}")
        for name in ("http", "dns", "mx", "submission", "imap"):
            where = endpoints.get(name)
            if where:
                console.print(f"  {name:<11} {where['host']}:{where['port']}")
        console.print(f"  {'search':<11} {endpoints['search']['url']}")
        console.print(f"endpoints and credentials: {running.state_dir / 'sandbox.json'}")
        console.print(f"ground truth:              {running.state_dir / 'truth.json'}")
        console.print("Ctrl-C stops it.")

    if companies < 1:
        raise click.BadParameter("must be at least 1", param_hint="--companies")
    serve_world(state_dir, on_ready=ready, seed=seed, companies=companies, host=host)
