"""Reading mailboxes over IMAP: against the sandbox server and, when COLDFLOW_TEST_IMAP is set
(CI: Debian's Dovecot), against a real one."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from coldflow.listen.inbox import ListenSettings, mailboxes_to_poll, poll_mailbox
from coldflow.listen.models import FolderState, InboundMessage
from coldflow.listen.reader import ReadLimits
from coldflow.send.models import Mailbox
from tests.listen.factory import Factory, reply_to
from tests.listen.flaky_proxy import FlakyProxy
from tests.sandbox.mail.harness import (
    SAM,
    ImapAccount,
    external_imap,
    running_mail_servers,
)

pytestmark = pytest.mark.django_db

FAST = ReadLimits(attempts=4, backoff_seconds=0.01)


@dataclass
class Imap:
    account: ImapAccount
    folder: str
    servers: object | None = None

    def append(self, *messages: bytes, folder: str | None = None) -> None:
        with self.account.client() as client:
            for raw in messages:
                client.append(folder or self.folder, raw)

    def renumber(self) -> None:
        """Give the folder a new UIDVALIDITY, as a server does after rebuilding its index:
        the same messages, new UIDs."""
        with self.account.client() as client:
            client.select_folder(self.folder, readonly=True)
            uids = client.search(["ALL"])
            raws = [v[b"BODY[]"] for v in client.fetch(uids, ["BODY.PEEK[]"]).values()]
            client.unselect_folder()
            client.delete_folder(self.folder)
            client.create_folder(self.folder)
            for raw in raws:
                client.append(self.folder, raw)


@pytest.fixture(params=["sandbox", "dovecot"] if external_imap() else ["sandbox"])
def imap(request) -> Iterator[Imap]:
    folder = f"coldflow-listen-{uuid.uuid4().hex[:10]}"
    if request.param == "dovecot":
        account = external_imap()
        with account.client() as client:
            client.create_folder(folder)
        yield Imap(account, folder)
        with account.client() as client:
            client.delete_folder(folder)
        return
    with running_mail_servers() as servers:
        endpoint = servers.endpoints()["imap"]
        account = ImapAccount(endpoint["host"], endpoint["port"], SAM.username, SAM.password)
        with account.client() as client:
            client.create_folder(folder)
        yield Imap(account, folder, servers)


@pytest.fixture
def world(imap: Imap) -> Factory:
    return Factory(
        imap.account.host, imap.account.port, imap.account.username, imap.account.password
    )


def poll(world: Factory, imap: Imap, **settings):
    limits = settings.pop("limits", FAST)
    return poll_mailbox(
        Mailbox.objects.get(pk=world.mailbox.pk),
        ListenSettings(**settings),
        folders=[imap.folder],
        limits=limits,
    )


def test_new_mail_is_stored_once_and_the_next_poll_reads_only_what_came_after(imap, world):
    anna = world.sent("anna@acme.test")
    imap.append(reply_to(anna.message, "Sounds good, send me some time slots for a call."))
    first = poll(world, imap)
    assert (first.new, first.error) == (1, "")
    assert first.kinds == {"reply": 1} and first.matched == 1

    bob = world.sent("bob@acme.test")
    imap.append(reply_to(bob.message, "Thanks, but we're not interested."))
    second = poll(world, imap)
    assert second.new == 1 and second.duplicates == 0
    assert poll(world, imap).new == 0
    assert InboundMessage.objects.filter(mailbox=world.mailbox).count() == 2
    state = FolderState.objects.get(mailbox=world.mailbox, folder=imap.folder)
    assert state.last_uid == max(InboundMessage.objects.values_list("uid", flat=True))


def test_reading_the_same_messages_again_stores_each_once(imap, world):
    anna = world.sent("anna@acme.test")
    imap.append(
        reply_to(anna.message, "Could you send me pricing?"),
        reply_to(None, "A newsletter-ish message", subject="Hello"),
    )
    assert poll(world, imap).new == 2
    FolderState.objects.filter(mailbox=world.mailbox).update(last_uid=0)
    again = poll(world, imap)
    assert (again.new, again.duplicates) == (0, 2)
    assert InboundMessage.objects.count() == 2


def test_a_uidvalidity_change_reads_the_folder_again_without_duplicates(imap, world):
    anna = world.sent("anna@acme.test")
    imap.append(reply_to(anna.message, "Interested, let's talk next week."))
    assert poll(world, imap).new == 1
    before = FolderState.objects.get(mailbox=world.mailbox).uidvalidity
    imap.renumber()
    bob = world.sent("bob@acme.test")
    imap.append(reply_to(bob.message, "Please remove me from your list."))
    report = poll(world, imap)
    assert report.uidvalidity_changed == [imap.folder]
    assert (report.new, report.duplicates) == (1, 1)
    assert FolderState.objects.get(mailbox=world.mailbox).uidvalidity != before
    assert sorted(InboundMessage.objects.values_list("kind", flat=True)) == ["reply", "unsubscribe"]


def test_a_refused_login_pauses_the_mailbox_with_the_reason_in_words(imap, world):
    Mailbox.objects.filter(pk=world.mailbox.pk).update(imap_password="wrong password")
    report = poll(world, imap)
    mailbox = Mailbox.objects.get(pk=world.mailbox.pk)
    assert report.paused and mailbox.status == "paused_by_system"
    assert mailbox.status_reason.startswith("IMAP login failed for sam at ")
    assert "user name and password" in mailbox.status_reason
    assert mailbox not in mailboxes_to_poll()


def test_a_connection_lost_mid_fetch_resumes_without_losing_or_repeating_messages(imap, world):
    sent = [world.sent(f"lead{i}@acme.test") for i in range(30)]
    padding = "We would like to hear more. " * 200
    imap.append(*(reply_to(s.message, f"Interested! {padding}") for s in sent))
    proxy = FlakyProxy(imap.account.host, imap.account.port, cut_after_bytes=60_000)
    try:
        Mailbox.objects.filter(pk=world.mailbox.pk).update(imap_port=proxy.port)
        report = poll(world, imap)
    finally:
        proxy.close()
    assert report.reconnects >= 1 and proxy.connections >= 2
    assert report.error == ""
    assert InboundMessage.objects.count() == 30
    assert report.new + report.duplicates >= 30


def test_a_huge_message_is_stored_truncated_and_still_matched(imap, world):
    anna = world.sent("anna@acme.test")
    attachment = "x" * 400_000
    huge = reply_to(anna.message, f"Yes, interested. Here is our catalogue:\n\n{attachment}")
    imap.append(huge, reply_to(None, "small one", subject="Hi"))
    report = poll(world, imap, limits=ReadLimits(max_message_bytes=100_000, partial_bytes=20_000))
    assert report.new == 2 and report.truncated == 1
    stored = InboundMessage.objects.get(from_address="anna@acme.test")
    assert stored.classification["truncated"] is True
    assert stored.raw_size >= len(huge) - 100
    assert len(bytes(stored.raw)) < 30_000
    assert stored.match_method == "in_reply_to" and stored.kind == "reply"


def test_a_malformed_message_is_stored_as_other_and_the_rest_is_read(imap, world):
    anna = world.sent("anna@acme.test")
    garbage = b"\xff\xfe this is not\r\n\tan email \x80\x81 at all\r\n\r\n<<<>>>\r\n"
    broken_mime = (
        b"From: x@y.test\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed\r\n\r\nno boundary anywhere\r\n"
    )
    imap.append(garbage, broken_mime, reply_to(anna.message, "Interested, call me."))
    report = poll(world, imap)
    assert report.new == 3 and report.failed == 0
    assert report.malformed >= 1
    rows = list(InboundMessage.objects.order_by("uid"))
    assert rows[0].kind == "other" and rows[0].classification["parse_error"]
    assert rows[1].kind == "other" and "defects" in rows[1].classification
    assert rows[2].kind == "reply"


def test_an_unreachable_server_is_reported_without_pausing_the_mailbox(world, imap):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    Mailbox.objects.filter(pk=world.mailbox.pk).update(imap_port=closed_port)
    report = poll(world, imap)
    assert "cannot reach the IMAP server" in report.error
    assert Mailbox.objects.get(pk=world.mailbox.pk).status == "active"


def test_a_server_whose_address_the_rules_refuse_is_never_connected_to(world, imap, monkeypatch):
    """Saved while allowed, or a name that now resolves inside the network: reading checks the
    address again before connecting."""
    anna = world.sent("anna@acme.test")
    imap.append(reply_to(anna.message, "Interested, let's talk next week."))
    monkeypatch.delenv("MAILBOX_ALLOW_PRIVATE_SERVERS")
    monkeypatch.delenv("SANDBOX", raising=False)
    report = poll(world, imap)
    assert "IMAP server 127.0.0.1 is refused: loopback address" in report.error
    assert not InboundMessage.objects.filter(mailbox=world.mailbox).exists()


def test_inbox_and_the_spam_folder_are_read_by_default():
    with running_mail_servers() as servers:
        endpoint = servers.endpoints()["imap"]
        account = ImapAccount(endpoint["host"], endpoint["port"], SAM.username, SAM.password)
        world = Factory(endpoint["host"], endpoint["port"], SAM.username, SAM.password)
        anna, bob = world.sent("anna@acme.test"), world.sent("bob@acme.test")
        with account.client() as client:
            client.create_folder("Junk")
            client.append("INBOX", reply_to(anna.message, "Interested!"))
            client.append("Junk", reply_to(bob.message, "Not interested, thanks."))
        report = poll_mailbox(world.mailbox, limits=FAST)
    assert report.folders == ["INBOX", "Junk"]
    assert report.new == 2 and report.matched == 2
