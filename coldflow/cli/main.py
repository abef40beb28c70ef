"""The `coldflow` command."""

from __future__ import annotations

import sys

import click

from coldflow.cli import instance
from coldflow.cli.apikey_commands import apikey
from coldflow.cli.campaign_commands import campaign
from coldflow.cli.compose_commands import compose, drafts
from coldflow.cli.contacts_commands import email_guess
from coldflow.cli.demo import demo
from coldflow.cli.discover_commands import discover
from coldflow.cli.import_commands import import_file
from coldflow.cli.inbox_commands import inbox
from coldflow.cli.leads_commands import leads
from coldflow.cli.lint_commands import lint
from coldflow.cli.mail_commands import inspect_message
from coldflow.cli.mailbox_commands import mailbox
from coldflow.cli.output import console, fail
from coldflow.cli.research_commands import extract, research
from coldflow.cli.sandbox_commands import sandbox
from coldflow.cli.schedule_commands import schedule, send
from coldflow.cli.verify_commands import verify
from coldflow.cli.webhook_commands import webhook
from coldflow.config.loader import ConfigError, load_settings
from coldflow.errors import UserError


class ColdflowGroup(click.Group):
    """Turns the errors a user can fix into one plain line and a meaningful exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            fail(str(exc), code=2)
        except UserError as exc:
            fail(str(exc), code=1)


@click.group(cls=ColdflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coldflow")
def cli() -> None:
    """coldflow: find companies, research them, find and verify people, write, send, listen.

    Settings come from environment variables and coldflow.toml; `coldflow settings` lists them.
    """


@cli.command()
def init() -> None:
    """Create the data directory, keys and database schema (safe to run again)."""
    config = load_settings()
    instance.prepare_data_dir(config)
    config = instance.ensure_secrets(config)
    instance.boot_django(config)
    database = instance.check_database(config)
    queue = instance.check_queue(config)
    instance.migrate()
    instance.check_encryption_key(config)
    console.print(f"[green]✓[/] data directory  {config.data_dir}")
    console.print(f"[green]✓[/] database        {database} (schema up to date)")
    console.print(f"[green]✓[/] job queue       {queue}")
    console.print("Next: `coldflow createuser --workspace NAME` then `coldflow run`.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def check(as_json: bool) -> None:
    """Check configuration, data directory, database and job queue. Exit 1 if any fails."""
    from coldflow.cli.checks import run_checks

    results = run_checks()
    if as_json:
        import json

        click.echo(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        for result in results:
            mark = "[green]✓[/]" if result.ok else "[red]✗[/]"
            console.print(f"{mark} {result.name:<16} {result.detail}", soft_wrap=True)
    if not all(r.ok for r in results):
        sys.exit(1)


@cli.command()
@click.option("--username", required=True, help="Login name (an email address works well).")
@click.option("--email", default="", help="Email address, if different from the user name.")
@click.option(
    "--password",
    envvar="COLDFLOW_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password; prompted for when not given (or set COLDFLOW_PASSWORD).",
)
@click.option("--workspace", default="Default", show_default=True, help="Workspace to join.")
@click.option(
    "--role",
    type=click.Choice(["owner", "member", "read_only"]),
    default="owner",
    show_default=True,
)
def createuser(username: str, email: str, password: str, workspace: str, role: str) -> None:
    """Create a user (or reset their password) and add them to a workspace.

    The password must pass the same rules as in the dashboard (at least 8 characters, not a
    common password, not all digits, not like the user name). Owners can also add people and
    change roles on the dashboard's Settings page.
    """
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from django.contrib.auth import get_user_model

    from coldflow.accounts.users import create_user, require_valid_password

    require_valid_password(password, get_user_model()(username=username, email=email))
    user, created, workspace_obj = create_user(
        username=username, email=email, password=password, workspace=workspace, role=role
    )
    verb = "Created" if created else "Updated"
    console.print(f"{verb} user {user.username} ({role} of workspace {workspace_obj.name}).")


@cli.command()
@click.option("--host", default=None, help="Listen address (default: the HOST setting).")
@click.option("--port", type=int, default=None, help="Port (default: the PORT setting).")
@click.option("--workers", type=int, default=None, help="Worker threads (default: WORKERS).")
def run(host: str | None, port: int | None, workers: int | None) -> None:
    """Web server, worker and scheduler in one process: the one-machine setup.

    Initialises the installation first if needed.
    """
    config = load_settings()
    instance.prepare_data_dir(config)
    config = instance.ensure_secrets(config)
    instance.boot_django(config)
    instance.check_database(config)
    instance.check_queue(config)
    instance.migrate()
    instance.check_encryption_key(config)
    from coldflow.jobs.consumer import run_consumer
    from coldflow.web.server import serve_in_thread

    host, port = host or config["HOST"], port or config["PORT"]
    server = serve_in_thread(host, port)
    console.print(f"coldflow is running at http://{host}:{port}/ (Ctrl-C stops it)")
    try:
        _run_consumer(run_consumer, workers or config["WORKERS"], scheduler=True)
    finally:
        server.close()


@cli.command()
@click.option("--host", default=None, help="Listen address (default: the HOST setting).")
@click.option("--port", type=int, default=None, help="Port (default: the PORT setting).")
def web(host: str | None, port: int | None) -> None:
    """Only the web server (dashboard, API, unsubscribe links), for scale-out setups."""
    config = load_settings()
    instance.boot_django(config)
    instance.check_database(config)
    instance.require_initialised(config)
    from coldflow.web.server import make_server

    host, port = host or config["HOST"], port or config["PORT"]
    server = make_server(host, port)
    console.print(f"coldflow web at http://{host}:{port}/")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@cli.command()
@click.option("--workers", type=int, default=None, help="Worker threads (default: WORKERS).")
@click.option(
    "--scheduler",
    is_flag=True,
    help="Also run the scheduler (periodic jobs). Exactly one process may: a second is refused.",
)
def worker(workers: int | None, scheduler: bool) -> None:
    """A job worker. Start as many as you like, on as many machines as share the database."""
    config = load_settings()
    instance.boot_django(config)
    instance.check_database(config)
    instance.check_queue(config)
    instance.require_initialised(config)
    instance.check_encryption_key(config)
    from coldflow.jobs.consumer import run_consumer

    _run_consumer(run_consumer, workers or config["WORKERS"], scheduler=scheduler)


def _run_consumer(run_consumer, workers: int, *, scheduler: bool) -> None:
    from coldflow.jobs.scheduler import LeaseHeld

    try:
        run_consumer(workers=workers, scheduler=scheduler)
    except LeaseHeld as exc:
        fail(f"scheduler: {exc}", code=1)


@cli.command("settings")
@click.option("--markdown", is_flag=True, help="Print the table the README carries.")
def settings_command(markdown: bool) -> None:
    """List every setting with its current value and where it came from."""
    from coldflow.cli.settings_table import markdown_table, print_current

    if markdown:
        click.echo(markdown_table())
    else:
        print_current(load_settings())


cli.add_command(demo)
cli.add_command(apikey)
cli.add_command(verify)
cli.add_command(discover)
cli.add_command(import_file)
cli.add_command(research)
cli.add_command(extract)
cli.add_command(email_guess)
cli.add_command(campaign)
cli.add_command(leads)
cli.add_command(compose)
cli.add_command(drafts)
cli.add_command(inspect_message)
cli.add_command(inbox)
cli.add_command(lint)
cli.add_command(sandbox)
cli.add_command(mailbox)
cli.add_command(schedule)
cli.add_command(send)
cli.add_command(webhook)


def main() -> None:
    cli(prog_name="coldflow")


if __name__ == "__main__":
    main()
