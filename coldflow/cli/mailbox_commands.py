"""`coldflow mailbox add|set|list|test|check-domain|remove`: the user's sending mailboxes.
The dashboard's mailbox pages go through the same functions (coldflow.send.mailboxes)."""

from __future__ import annotations

import json
import os
import sys

import click

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings

SECURITY = click.Choice(["starttls", "tls", "plain"])


def _boot():
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    return config


def _find(email: str, workspace: str | None):
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.errors import UserError
    from coldflow.send.models import Mailbox

    target = resolve_workspace(workspace)
    mailbox = Mailbox.objects.filter(workspace=target, email__iexact=email).first()
    if mailbox is None:
        raise UserError(f"no mailbox {email} in workspace {target.name}")
    return mailbox


@click.group()
def mailbox() -> None:
    """Sending mailboxes: add, set rules, list, test the login, check SPF/DKIM/DMARC, remove."""


@mailbox.command("add")
@click.argument("email")
@click.option("--smtp-host", required=True, help="SMTP submission server.")
@click.option("--smtp-port", type=int, default=587, show_default=True)
@click.option(
    "--smtp-security",
    type=SECURITY,
    default="starttls",
    show_default=True,
    help="plain is allowed to loopback servers only.",
)
@click.option("--smtp-user", default="", help="SMTP user name (default: the address).")
@click.option("--imap-host", default="", help="IMAP server (replies, Sent folder).")
@click.option("--imap-port", type=int, default=993, show_default=True)
@click.option("--imap-security", type=SECURITY, default="tls", show_default=True)
@click.option("--imap-user", default="", help="IMAP user name (default: the SMTP user).")
@click.option("--display-name", default="", help="Name shown in From.")
@click.option("--daily-cap", type=int, default=30, show_default=True)
@click.option(
    "--oauth-provider",
    type=click.Choice(["", "google", "microsoft"]),
    default="",
    help="XOAUTH2 instead of a password (refresh token in COLDFLOW_OAUTH_REFRESH_TOKEN).",
)
@click.option("--oauth-token-url", default="", help="Token endpoint (default: the provider's).")
@click.option("--oauth-client-id", default="", help="OAuth2 client id.")
@click.option(
    "--no-append-to-sent",
    is_flag=True,
    help="The server files sent mail in Sent itself (Gmail does): coldflow won't.",
)
@click.option("--sent-folder", default="Sent", show_default=True)
@click.option("--dkim-selector", default="", help="DKIM selector of the domain.")
@click.option(
    "--dkim-key-file",
    type=click.File("r"),
    default=None,
    help="PEM private key: coldflow signs with it (when your server does not).",
)
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def add(
    email,
    smtp_host,
    smtp_port,
    smtp_security,
    smtp_user,
    imap_host,
    imap_port,
    imap_security,
    imap_user,
    display_name,
    daily_cap,
    oauth_provider,
    oauth_token_url,
    oauth_client_id,
    no_append_to_sent,
    sent_folder,
    dkim_selector,
    dkim_key_file,
    workspace,
) -> None:
    """Add (or update) a mailbox; a removed one comes back. The password is read from
    COLDFLOW_MAILBOX_PASSWORD or prompted for; OAuth2 secrets from COLDFLOW_OAUTH_CLIENT_SECRET
    and COLDFLOW_OAUTH_REFRESH_TOKEN. Credentials are stored encrypted and never printed.
    Servers must be on public addresses (MAILBOX_ALLOW_PRIVATE_SERVERS for a local relay)."""
    _boot()
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.send.mailboxes import MailboxSpec, add_mailbox

    oauth = bool(oauth_provider or oauth_token_url or oauth_client_id)
    password = ""
    if not oauth:
        password = os.environ.get("COLDFLOW_MAILBOX_PASSWORD") or click.prompt(
            "Password", hide_input=True
        )
    spec = MailboxSpec(
        email=email,
        smtp_host=smtp_host,
        smtp_port=smtp_port,
        smtp_security=smtp_security,
        smtp_username=smtp_user,
        imap_host=imap_host,
        imap_port=imap_port,
        imap_security=imap_security,
        imap_username=imap_user,
        password=password,
        display_name=display_name,
        daily_cap=daily_cap,
        oauth_provider=oauth_provider,
        oauth_token_url=oauth_token_url,
        oauth_client_id=oauth_client_id,
        oauth_client_secret=os.environ.get("COLDFLOW_OAUTH_CLIENT_SECRET", "") if oauth else "",
        oauth_refresh_token=os.environ.get("COLDFLOW_OAUTH_REFRESH_TOKEN", "") if oauth else "",
        append_to_sent=not no_append_to_sent,
        sent_folder=sent_folder,
        dkim_selector=dkim_selector,
        dkim_private_key=dkim_key_file.read() if dkim_key_file else "",
    )
    box, created = add_mailbox(resolve_workspace(workspace), spec)
    console.print(
        f"{'Added' if created else 'Updated'} mailbox {box.email}. "
        f"Next: `coldflow mailbox test {box.email}`.",
        markup=False,
    )


@mailbox.command("set")
@click.argument("email")
@click.option("--display-name", default=None, help="Name shown in From.")
@click.option(
    "--signature-file", type=click.File("r"), default=None, help="Signature under every email."
)
@click.option("--daily-cap", type=int, default=None, help="Most emails a day, once ramped up.")
@click.option("--ramp-start", type=int, default=None, help="Emails on the first sending day.")
@click.option("--ramp-step", type=int, default=None, help="Emails added each further day.")
@click.option("--min-gap", type=int, default=None, help="Fewest seconds between two sends.")
@click.option("--max-gap", type=int, default=None, help="Most seconds between two sends.")
@click.option("--timezone", default=None, help="The mailbox's day for its cap (Europe/Berlin).")
@click.option("--pause", "pause_reason", default=None, help="Stop sending from it, with why.")
@click.option("--resume", "resume_it", is_flag=True, help="Let a paused mailbox send again.")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def set_rules(
    email, display_name, signature_file, daily_cap, ramp_start, ramp_step, min_gap, max_gap,
    timezone, pause_reason, resume_it, workspace,
) -> None:  # fmt: skip
    """Change a mailbox's sending rules (caps, ramp-up, gaps, time zone, signature) or pause
    and resume it. Only the options given change."""
    _boot()
    from coldflow.errors import UserError
    from coldflow.send.mailboxes import pause_mailbox, resume, set_sending_rules

    if pause_reason is not None and resume_it:
        raise UserError("--pause and --resume contradict each other: give one")
    box = _find(email, workspace)
    given = {
        "display_name": display_name,
        "signature": signature_file.read().strip() if signature_file else None,
        "daily_cap": daily_cap,
        "ramp_start": ramp_start,
        "ramp_step": ramp_step,
        "min_gap_seconds": min_gap,
        "max_gap_seconds": max_gap,
        "timezone": timezone,
    }
    changed = set_sending_rules(box, **{k: v for k, v in given.items() if v is not None})
    lines = [f"{name.replace('_', ' ')}: {getattr(box, name)}" for name in changed]
    if pause_reason is not None:
        paused = pause_mailbox(box, pause_reason or "paused from the command line", by="cli")
        lines.append("paused" if paused else f"not paused: it is {box.status}")
    if resume_it:
        before = resume(box, by="cli")
        lines.append(f"resumed (was {before})" if before else "already active")
    console.print(f"{box.email}: " + ("; ".join(lines) or "nothing to change"), markup=False)


@mailbox.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def list_mailboxes(as_json: bool, workspace) -> None:
    """List mailboxes with servers, caps, health and the last check (never credentials)."""
    _boot()
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.send.models import Mailbox

    rows = [
        {
            "email": m.email,
            "display_name": m.display_name,
            "smtp": f"{m.smtp_host}:{m.smtp_port} ({m.smtp_security})",
            "imap": f"{m.imap_host}:{m.imap_port} ({m.imap_security})" if m.imap_host else "",
            "auth": m.auth_method,
            "daily_cap": m.daily_cap,
            "status": m.status,
            "status_reason": m.status_reason,
            "check_ok": m.check_ok,
            "checked_at": m.checked_at.isoformat() if m.checked_at else None,
        }
        for m in Mailbox.objects.filter(workspace=resolve_workspace(workspace)).order_by("email")
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("No mailboxes yet: `coldflow mailbox add EMAIL --smtp-host …`.")
    for row in rows:
        reason = f" ({row['status_reason']})" if row["status_reason"] else ""
        console.print(
            f"{row['email']}  {row['status']}{reason}  smtp {row['smtp']}  imap "
            f"{row['imap'] or '-'}  {row['auth']}  cap {row['daily_cap']}/day",
            markup=False,
        )


def _print_domain(report) -> None:
    marks = {"ok": "✓", "warn": "!", "fail": "✗"}
    for f in report.findings:
        console.print(f"{marks[f.status]} {f.check:<6} {f.detail}", markup=False)
        if f.advice:
            console.print(f"         → {f.advice}", markup=False)


@mailbox.command("test")
@click.argument("email")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def test(email: str, as_json: bool, workspace) -> None:
    """Log in to the mailbox's SMTP and IMAP servers (nothing is sent), say what failed in
    words (DNS, TCP, TLS, authentication), and check the domain's SPF/DKIM/DMARC. The result
    is stored, as the dashboard's check stores it. Exit 1 when a login fails."""
    config = _boot()
    from coldflow.errors import UserError
    from coldflow.send.mailbox_checks import run_check

    box = _find(email, workspace)
    if box.status == "archived":
        raise UserError(f"{box.email} was removed: add it again with `coldflow mailbox add`")
    outcome = run_check(box, config)
    report, domain = outcome.servers, outcome.domain
    if as_json:
        click.echo(
            json.dumps(
                {
                    "email": box.email,
                    "ok": report.ok,
                    "servers": [c.as_dict() for c in report.checks],
                    "domain": [f.as_dict() for f in domain.findings],
                },
                indent=2,
            )
        )
    else:
        for check in report.checks:
            console.print(
                f"{'✓' if check.ok else '✗'} {check.server:<6} {check.detail}", markup=False
            )
        _print_domain(domain)
    if not report.ok:
        sys.exit(1)


@mailbox.command("check-domain")
@click.argument("domain")
@click.option("--dkim-selector", default="", help="DKIM selector to look up.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check_domain_command(domain: str, dkim_selector: str, as_json: bool) -> None:
    """SPF, DKIM and DMARC of a sending domain (or an address's domain), with advice.
    Exit 1 when one fails."""
    from coldflow.send.domain_check import domain_report

    config = load_settings()
    report = domain_report(config, domain.rpartition("@")[2], dkim_selector)
    if as_json:
        click.echo(
            json.dumps(
                {"domain": report.domain, "findings": [f.as_dict() for f in report.findings]},
                indent=2,
            )
        )
    else:
        _print_domain(report)
    if not report.ok:
        sys.exit(1)


@mailbox.command("remove")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def remove(email: str, yes: bool, workspace) -> None:
    """Remove a mailbox: it sends and reads nothing more, leaves its campaigns, its stored
    credentials are wiped, and leads mid-sequence through it stop. What it sent and received
    stays in the history and analytics. Refused while emails are on their way out through it.
    `coldflow mailbox add` with the address brings it back."""
    _boot()
    from coldflow.send.mailboxes import removal_preview, remove_mailbox

    box = _find(email, workspace)
    preview = removal_preview(box)
    if not preview.blocker and not yes:
        click.confirm(
            f"Remove {box.email}? {preview.enrollments} leads mid-sequence through it stop",
            abort=True,
        )
    done = remove_mailbox(box, by="cli")
    console.print(
        f"Removed {box.email}: {done.enrollments} sequences stopped"
        + (f", left campaigns {', '.join(done.campaigns)}" if done.campaigns else "")
        + ".",
        markup=False,
    )
