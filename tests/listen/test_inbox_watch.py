"""Watching a mailbox with IMAP IDLE: against the sandbox server and, when COLDFLOW_TEST_IMAP is
set (CI: Debian's Dovecot), against a real one."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from coldflow.listen.inbox import ListenSettings
from coldflow.listen.models import InboundMessage
from coldflow.listen.watch import WatchHooks, WatchSettings, watch_mailbox
from coldflow.send.models import Enrollment
from tests.listen.factory import Factory, reply_to
from tests.sandbox.mail.harness import SAM, ImapAccount, external_imap, running_mail_servers

# The watcher runs on its own thread with its own database connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["sandbox", "dovecot"] if external_imap() else ["sandbox"])
def account(request) -> Iterator[tuple[ImapAccount, str]]:
    """An IMAP account and a fresh folder on it to watch."""
    folder = f"coldflow-watch-{uuid.uuid4().hex[:10]}"
    if request.param == "dovecot":
        imap = external_imap()
        with imap.client() as client:
            client.create_folder(folder)
        yield imap, folder
        with imap.client() as client:
            client.delete_folder(folder)
        return
    with running_mail_servers() as servers:
        endpoint = servers.endpoints()["imap"]
        imap = ImapAccount(endpoint["host"], endpoint["port"], SAM.username, SAM.password)
        with imap.client() as client:
            client.create_folder(folder)
        yield imap, folder


class Watcher:
    """watch_mailbox on a thread, with what it did."""

    def __init__(self, mailbox, folder: str, watch: WatchSettings):
        self.stop = threading.Event()
        self.idles = 0
        self.idling = threading.Event()
        self.passes = []
        hooks = WatchHooks(on_pass=self.passes.append, on_idle=self._on_idle)
        self.thread = threading.Thread(
            target=self._run,
            args=(mailbox, folder, watch, hooks),
            daemon=True,
        )

    def _run(self, mailbox, folder, watch, hooks) -> None:
        from django.db import connection

        try:
            watch_mailbox(
                mailbox,
                ListenSettings(timeout=10.0),
                self.stop,
                watch=watch,
                folders=[folder],
                hooks=hooks,
            )
        finally:
            connection.close()

    def _on_idle(self) -> None:
        self.idles += 1
        self.idling.set()

    def __enter__(self):
        self.thread.start()
        assert self.idling.wait(10), f"never went idle; passes: {self.passes}"
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()


def _seconds_until_stored(watcher: Watcher) -> float:
    """Until a pass stored new mail (the pass has acted on it when it reports). The test's
    thread leaves the database alone meanwhile: SQLite's shared in-memory test database
    locks tables between connections."""
    started = time.monotonic()
    while not any(p.new for p in watcher.passes):
        assert time.monotonic() - started < 10, "the reply was never stored"
        time.sleep(0.01)
    return time.monotonic() - started


def test_a_reply_appended_while_idling_is_stored_and_acted_on_within_two_seconds(account):
    imap, folder = account
    world = Factory(imap.host, imap.port, imap.username, imap.password)
    sent = world.sent("anna@acme.test")
    # The polling interval is far away: only IDLE can bring the reply in quickly.
    with Watcher(world.mailbox, folder, WatchSettings(poll_seconds=600)) as watcher:
        with imap.client() as client:
            client.append(folder, reply_to(sent.message, "Sounds good, let's talk on Monday."))
        elapsed = _seconds_until_stored(watcher)
    assert elapsed < 2.0, elapsed
    assert InboundMessage.objects.get(matched_message=sent.message).intent == "interested"
    enrollment = Enrollment.objects.get(pk=sent.enrollment.pk)
    assert (enrollment.status, enrollment.stop_reason) == ("stopped", "replied")
    # One pass at the start and one for the reply: IDLE woke it, not a timer.
    assert len(watcher.passes) == 2
    assert [p.new for p in watcher.passes] == [0, 1]


def test_idle_is_reissued_before_the_server_would_drop_it_and_still_brings_mail_in(account):
    imap, folder = account
    world = Factory(imap.host, imap.port, imap.username, imap.password)
    sent = world.sent("bob@acme.test")
    watch = WatchSettings(poll_seconds=600, idle_renew_seconds=0.3, check_seconds=0.1)
    with Watcher(world.mailbox, folder, watch) as watcher:
        deadline = time.monotonic() + 5
        while watcher.idles < 4:
            assert time.monotonic() < deadline, watcher.idles
            time.sleep(0.05)
        assert len(watcher.passes) == 1  # renewing IDLE is not a pass
        with imap.client() as client:
            client.append(folder, reply_to(sent.message, "Not interested, thanks."))
        assert _seconds_until_stored(watcher) < 2.0
    assert InboundMessage.objects.filter(matched_message=sent.message).exists()


def test_without_new_mail_a_full_pass_still_runs_every_polling_interval(account):
    imap, folder = account
    world = Factory(imap.host, imap.port, imap.username, imap.password)
    with Watcher(world.mailbox, folder, WatchSettings(poll_seconds=0.5, check_seconds=0.1)) as w:
        time.sleep(1.8)
    assert 3 <= len(w.passes) <= 5, len(w.passes)
    assert all(p.new == 0 and not p.error for p in w.passes)


def test_a_refused_login_pauses_the_mailbox_and_ends_the_watch(account):
    imap, folder = account
    world = Factory(imap.host, imap.port, imap.username, "wrong-password")
    stop = threading.Event()
    passes = []
    watch_mailbox(
        world.mailbox,
        ListenSettings(timeout=10.0),
        stop,
        folders=[folder],
        hooks=WatchHooks(on_pass=passes.append),
    )
    assert len(passes) == 1 and passes[0].paused
    world.mailbox.refresh_from_db()
    assert world.mailbox.status == "paused_by_system"


def test_a_full_read_comes_as_often_as_the_workers_inbox_schedule():
    assert WatchSettings.from_config({"SCHEDULE_INBOX_POLL": "*/5 * * * *"}).poll_seconds == 300
    assert WatchSettings.from_config({"SCHEDULE_INBOX_POLL": "0 * * * *"}).poll_seconds == 3600
    # The worker's read switched off: the watcher still reads in full every two minutes.
    assert WatchSettings.from_config({"SCHEDULE_INBOX_POLL": "off"}).poll_seconds == 120
