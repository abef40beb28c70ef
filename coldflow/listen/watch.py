"""Watching mailboxes: IMAP IDLE where the server offers it, polling otherwise.

Every wake-up runs the same pass as `coldflow inbox poll` (coldflow.listen.inbox.poll_mailbox:
store, match, act). IDLE only tells us that something arrived in the watched folder; the pass
reads every inbound folder, and a pass also runs every `poll_seconds` regardless, so mail in
the spam folder (which nobody IDLEs on) is read on the polling schedule.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from imapclient.exceptions import IMAPClientError

from coldflow.config.registry import BY_NAME
from coldflow.jobs.schedules import parse_cron, period
from coldflow.listen.inbox import (
    LOGIN_FAILED,
    ListenSettings,
    PollReport,
    TokenRefused,
    endpoint_of,
    poll_mailbox,
)
from coldflow.listen.models import FolderState
from coldflow.listen.reader import (
    CONNECTION_ERRORS,
    AuthenticationFailed,
    ServerUnreachable,
    connect,
)
from coldflow.send.models import Mailbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WatchSettings:
    # A full pass at least this often, IDLE or not.
    poll_seconds: float = 300.0
    # RFC 2177: servers may drop an IDLE after 30 minutes; re-issue it well before.
    idle_renew_seconds: float = 25 * 60
    # How often the IDLE loop looks at the stop signal.
    check_seconds: float = 1.0
    # After a pass that could not reach the server.
    retry_seconds: float = 60.0

    @classmethod
    def from_config(cls, config) -> WatchSettings:
        """A full pass as often as the worker's periodic read runs (the shortest gap of
        SCHEDULE_INBOX_POLL); with that schedule off, as often as its default would."""
        fields = parse_cron(config["SCHEDULE_INBOX_POLL"]) or parse_cron(
            BY_NAME["SCHEDULE_INBOX_POLL"].default
        )
        return cls(poll_seconds=period(fields).total_seconds())


@dataclass(frozen=True)
class WatchHooks:
    """For the CLI's output and for tests: each finished pass, each IDLE (re-)issued."""

    on_pass: Callable[[PollReport], None] | None = None
    on_idle: Callable[[], None] | None = None


def watch_mailbox(
    mailbox: Mailbox,
    settings: ListenSettings,
    stop: threading.Event,
    *,
    watch: WatchSettings = WatchSettings(),
    folders: list[str] | None = None,
    hooks: WatchHooks = WatchHooks(),
) -> None:
    """Run passes over `mailbox` until `stop` is set or its login is refused (the pass then
    pauses the mailbox; watching cannot help until the user fixes it)."""
    folder = folders[0] if folders else "INBOX"
    pause = watch.check_seconds
    while not stop.is_set():
        report = poll_mailbox(mailbox, settings, folders=folders)
        if hooks.on_pass:
            hooks.on_pass(report)
        if report.error.startswith(LOGIN_FAILED):
            return
        if report.error:
            stop.wait(watch.retry_seconds)
            continue
        if wait_for_mail(mailbox, settings, folder, stop, watch, hooks) == "error":
            # The IDLE connection broke: read again at once, but back off if it keeps breaking.
            stop.wait(pause)
            pause = min(pause * 2, watch.retry_seconds)
        else:
            pause = watch.check_seconds


def wait_for_mail(
    mailbox: Mailbox,
    settings: ListenSettings,
    folder: str,
    stop: threading.Event,
    watch: WatchSettings,
    hooks: WatchHooks = WatchHooks(),
) -> str:
    """Block until mail arrives in `folder` ("mail"), the polling interval is over ("due"),
    `stop` is set ("stopped"), or the connection failed ("error"; the next pass says why)."""
    deadline = time.monotonic() + watch.poll_seconds
    try:
        client = connect(endpoint_of(mailbox, settings.timeout))
    except (AuthenticationFailed, TokenRefused, ServerUnreachable, *CONNECTION_ERRORS) as error:
        log.info("inbox %s: cannot watch (%s); polling", mailbox.email, error)
        return "stopped" if stop.wait(watch.poll_seconds) else "due"
    try:
        if b"IDLE" not in client.capabilities():
            return "stopped" if stop.wait(max(deadline - time.monotonic(), 0)) else "due"
        selected = client.select_folder(folder, readonly=True)
        if _arrived_since_last_pass(client, mailbox, folder, int(selected[b"UIDVALIDITY"])):
            return "mail"
        while True:
            outcome = _idle_once(client, stop, deadline, watch, hooks)
            if outcome != "renew":
                return outcome
    except (*CONNECTION_ERRORS, IMAPClientError) as error:
        log.info("inbox %s: IDLE ended (%s)", mailbox.email, error)
        return "error"
    finally:
        _close(client)


def _arrived_since_last_pass(client, mailbox: Mailbox, folder: str, uidvalidity: int) -> bool:
    """Mail that came between the last pass and this IDLE: IDLE only reports later mail."""
    state = FolderState.objects.filter(mailbox=mailbox, folder=folder).first()
    if state is None or state.uidvalidity != uidvalidity:
        return True
    # "N:*" always matches the highest UID, even when it is below N.
    return any(uid > state.last_uid for uid in client.search(["UID", f"{state.last_uid + 1}:*"]))


def _idle_once(client, stop: threading.Event, deadline: float, watch, hooks) -> str:
    """One IDLE command, ended for new mail, stop, the deadline, or renewal ("renew")."""
    renew_at = min(deadline, time.monotonic() + watch.idle_renew_seconds)
    client.idle()
    if hooks.on_idle:
        hooks.on_idle()
    outcome = "renew"
    try:
        while outcome == "renew":
            if stop.is_set():
                outcome = "stopped"
                break
            now = time.monotonic()
            if now >= renew_at:
                outcome = "due" if now >= deadline else "renew"
                break
            responses = client.idle_check(timeout=min(watch.check_seconds, renew_at - now))
            if any(_new_mail(response) for response in responses):
                outcome = "mail"
    finally:
        # Mail that arrived while IDLE was ending is reported in DONE's answer.
        _, responses = client.idle_done()
    if outcome == "renew" and any(_new_mail(response) for response in responses):
        outcome = "mail"
    return outcome


def _new_mail(response) -> bool:
    """`* N EXISTS` (new message) or `* N RECENT`."""
    return (
        isinstance(response, tuple) and len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT")
    )


def _close(client) -> None:
    # Closing a connection that may be gone already.
    with contextlib.suppress(Exception):
        client.logout()
    with contextlib.suppress(Exception):
        client.shutdown()


def watch_mailboxes(
    mailboxes: list[Mailbox],
    settings: ListenSettings,
    stop: threading.Event,
    *,
    watch: WatchSettings = WatchSettings(),
    hooks: WatchHooks = WatchHooks(),
) -> None:
    """Watch each mailbox on its own thread until `stop` is set."""
    from django.db import connection

    def run(mailbox: Mailbox) -> None:
        try:
            watch_mailbox(mailbox, settings, stop, watch=watch, hooks=hooks)
        except Exception:  # noqa: BLE001 - one mailbox's failure must not end the others
            log.exception("inbox %s: watching failed", mailbox.email)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(m,), name=f"watch {m.email}", daemon=True)
        for m in mailboxes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.5)
