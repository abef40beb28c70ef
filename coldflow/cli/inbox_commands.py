"""`coldflow inbox …`: reading the mailboxes' inboxes."""

from __future__ import annotations

import json

import click

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings
from coldflow.errors import UserError


class NoMailbox(UserError):
    pass


@click.group()
def inbox() -> None:
    """Read the mailboxes' inboxes (the worker does this on SCHEDULE_INBOX_POLL)."""


@inbox.command()
@click.option("--mailbox", "email", default=None, help="Only this mailbox (its address).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per mailbox.")
def poll(email: str | None, as_json: bool) -> None:
    """Read every mailbox once over IMAP (INBOX and the spam folder).

    New mail is stored once, tied to the message it answers, classified, and acted on at once:
    replies stop the sequence, out-of-office answers postpone it, hard bounces, complaints and
    unsubscribe requests suppress the address. A refused IMAP login pauses the mailbox with the
    reason. Exit 1 when a mailbox could not be read.
    """
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.listen.inbox import ListenSettings, mailboxes_to_poll, poll_mailbox

    mailboxes = mailboxes_to_poll(email)
    if not mailboxes:
        raise NoMailbox(
            f"no mailbox {email} with IMAP settings" if email else "no mailbox with IMAP settings"
        )
    settings = ListenSettings.from_config(config)
    failed = False
    for mailbox in mailboxes:
        report = poll_mailbox(mailbox, settings)
        failed = failed or bool(report.error)
        if as_json:
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            _print(report)
    if failed:
        raise SystemExit(1)


@inbox.command()
@click.option("--mailbox", "email", default=None, help="Only this mailbox (its address).")
def watch(email: str | None) -> None:
    """Watch the mailboxes and act on new mail as it arrives, until interrupted.

    Uses IMAP IDLE where the server offers it (re-issued every 25 minutes), and reads in full
    as often as the worker's SCHEDULE_INBOX_POLL in any case (the spam folder too; every two
    minutes when that schedule is off); servers without IDLE are read that often. Each wake-up
    runs the same pass as `coldflow inbox poll`. A mailbox whose login is refused is paused and
    no longer watched.
    """
    import threading

    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.listen.inbox import ListenSettings, mailboxes_to_poll
    from coldflow.listen.watch import WatchHooks, WatchSettings, watch_mailboxes

    mailboxes = mailboxes_to_poll(email)
    if not mailboxes:
        raise NoMailbox(
            f"no mailbox {email} with IMAP settings" if email else "no mailbox with IMAP settings"
        )
    watch_settings = WatchSettings.from_config(config)
    minutes = watch_settings.poll_seconds / 60
    console.print(
        f"watching {len(mailboxes)} mailbox(es), a full read at least every {minutes:g} min;"
        " Ctrl-C stops",
        markup=False,
        highlight=False,
    )

    def on_pass(report) -> None:
        if report.new or report.error:
            _print(report)

    stop = threading.Event()
    try:
        watch_mailboxes(
            mailboxes,
            ListenSettings.from_config(config),
            stop,
            watch=watch_settings,
            hooks=WatchHooks(on_pass=on_pass),
        )
    except KeyboardInterrupt:
        stop.set()


def _print(report) -> None:
    say = lambda text: console.print(text, markup=False, highlight=False)  # noqa: E731
    if report.error:
        say(f"{report.mailbox}: {report.error}")
        if report.paused:
            say("  the mailbox is paused until the login works again")
        return
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(report.kinds.items()))
    say(
        f"{report.mailbox}: {report.new} new ({kinds or 'nothing'}), {report.matched} matched"
        f" to sent mail, {report.duplicates} already stored"
    )
    if report.consequences:
        done = ", ".join(f"{kind} ×{count}" for kind, count in sorted(report.consequences.items()))
        say(f"  consequences: {done}")
    notes = []
    if report.truncated:
        notes.append(f"{report.truncated} too big, stored truncated")
    if report.malformed:
        notes.append(f"{report.malformed} malformed, stored as other")
    if report.failed:
        notes.append(f"{report.failed} failed and skipped (see the log)")
    if report.uidvalidity_changed:
        notes.append("folders renumbered, read again: " + ", ".join(report.uidvalidity_changed))
    if report.reconnects:
        notes.append(f"{report.reconnects} reconnects")
    if notes:
        say("  " + "; ".join(notes))
