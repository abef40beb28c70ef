"""`coldflow verify`: is this address deliverable?"""

from __future__ import annotations

import asyncio

import click

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings


def verify_settings(config, network):
    from coldflow.contacts.verify import VerifySettings

    return VerifySettings(
        nameserver=network.nameserver,
        nameserver_port=network.nameserver_port,
        allow_loopback=network.allow_loopback,
        port_map={25: network.smtp_port(25)} if network.port_map else {},
        smtp_probe=config["VERIFY_SMTP_PROBE"],
        helo_name=config["VERIFY_HELO_NAME"],
        greylist_retry_delay=config["VERIFY_GREYLIST_RETRY"],
    )


@click.command()
@click.argument("addresses", nargs=-1)
@click.option(
    "--file",
    "address_file",
    type=click.File("r", encoding="utf-8"),
    help="A file with one address per line.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per address, in order.")
@click.option(
    "--fresh", is_flag=True, help="Probe again even where a cached result has not expired."
)
def verify(addresses, address_file, as_json, fresh) -> None:
    """Verify addresses: syntax, disposable and role checks, MX lookup, SMTP RCPT probe.

    Verdicts: valid, invalid, accept_all (the server accepts any address), unknown (we could
    not tell, and say why), disposable, role. Every step's result is shown.

    In an initialised installation results (30 days; unknown ones an hour) and domain facts
    (a day) are cached in the database, so verifying the same addresses again probes nothing.
    """
    from coldflow.contacts.verify import verify_many
    from coldflow.network import network_from_config

    wanted = list(addresses)
    if address_file is not None:
        wanted += [line.strip() for line in address_file if line.strip()]
    if not wanted:
        raise click.UsageError("give one or more addresses, or --file")
    config = load_settings()
    settings = verify_settings(config, network_from_config(config))
    if not settings.smtp_probe and not as_json:
        console.print("SMTP probe switched off (VERIFY_SMTP_PROBE=false): verdicts rest on DNS.")
    # Without an installation (no keys yet) there is no database to remember results in.
    if config["SECRET_KEY"] and config["ENCRYPTION_KEY"]:
        instance.boot_django(config)
        instance.require_initialised(config)
        from coldflow.contacts.verification_cache import verify_with_database

        results = verify_with_database(wanted, settings, fresh=fresh)
    else:
        results = asyncio.run(verify_many(wanted, settings))
    for result in results:
        if as_json:
            click.echo(result.to_json())
            continue
        console.print(
            f"{result.address}  {result.verdict}  ({result.confidence:.2f})",
            markup=False,
            highlight=False,
        )
        for step in result.steps:
            console.print(
                f"  {step.name:<10} {step.outcome:<14} {step.detail}", markup=False, highlight=False
            )
