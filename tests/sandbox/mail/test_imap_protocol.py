"""IMAP behaviour any real server shares; runs on the sandbox, and on COLDFLOW_TEST_IMAP too."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from imapclient.exceptions import LoginError

from .harness import ImapAccount, connect_imap


def message(message_id: str, subject: str = "Hello", sender: str = "anna@acme.test") -> bytes:
    return (
        f"From: Anna <{sender}>\r\nTo: sam@sender.test\r\nSubject: {subject}\r\n"
        f"Message-ID: {message_id}\r\nDate: Tue, 25 Nov 2025 10:00:00 +0000\r\n\r\n"
        "Body line one.\r\nBody line two.\r\n"
    ).encode()


@pytest.fixture
def client(imap_account: ImapAccount, scratch_folder: str):
    with imap_account.client() as client:
        yield client


def test_a_wrong_password_is_refused(imap_account):
    connection = connect_imap(imap_account.host, imap_account.port)
    with pytest.raises(LoginError, match="AUTHENTICATIONFAILED"):
        connection.login(imap_account.username, "not-the-password")
    connection.shutdown()


def test_authenticate_plain_logs_in(imap_account):
    with connect_imap(imap_account.host, imap_account.port) as client:
        client.plain_login(imap_account.username, imap_account.password)
        assert client.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"] > 0


def test_it_advertises_what_coldflow_relies_on(client):
    capabilities = set(client.capabilities())
    assert {b"IMAP4REV1", b"IDLE", b"UIDPLUS"} <= capabilities


def test_an_appended_message_can_be_fetched_whole(client, scratch_folder):
    raw = message("<append-1@test>")
    response = client.append(scratch_folder, raw, flags=[b"\\Draft"])
    assert b"APPENDUID" in response
    selected = client.select_folder(scratch_folder)
    assert selected[b"EXISTS"] == 1
    [uid] = client.search("ALL")
    data = client.fetch([uid], ["BODY.PEEK[]", "FLAGS", "RFC822.SIZE", "INTERNALDATE"])[uid]
    assert data[b"BODY[]"] == raw
    assert data[b"RFC822.SIZE"] == len(raw)
    assert b"\\Draft" in data[b"FLAGS"]
    assert b"\\Seen" not in data[b"FLAGS"], "PEEK must not mark the message read"


def test_fetching_the_body_marks_the_message_seen(client, scratch_folder):
    client.append(scratch_folder, message("<seen-1@test>"))
    client.select_folder(scratch_folder)
    [uid] = client.search("UNSEEN")
    client.fetch([uid], ["BODY[]"])
    assert client.search("UNSEEN") == []
    assert client.search("SEEN") == [uid]


def test_it_finds_a_message_by_its_message_id_header(client, scratch_folder):
    for n in range(3):
        client.append(scratch_folder, message(f"<find-{n}@test>"))
    client.select_folder(scratch_folder)
    found = client.search(["HEADER", "Message-ID", "<find-1@test>"])
    assert len(found) == 1
    data = client.fetch(found, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])[found[0]]
    assert data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].strip() == b"Message-ID: <find-1@test>"


def test_search_combines_criteria(client, scratch_folder):
    client.append(scratch_folder, message("<a@test>", "Invoice question", "anna@acme.test"))
    client.append(scratch_folder, message("<b@test>", "Lunch", "bob@acme.test"))
    client.append(scratch_folder, message("<c@test>", "Invoice overdue", "carl@grey.test"))
    client.select_folder(scratch_folder)
    a, b, c = client.search("ALL")
    assert client.search(["SUBJECT", "invoice"]) == [a, c]
    assert client.search(["FROM", "bob@acme.test"]) == [b]
    assert client.search(["NOT", "FROM", "bob@acme.test"]) == [a, c]
    assert client.search(["OR", "FROM", "bob", "FROM", "carl"]) == [b, c]
    assert client.search(["UID", f"{b}:*"]) == [b, c]
    assert client.search(["BODY", "line two"]) == [a, b, c]
    today = datetime.now(UTC).date()
    assert client.search(["SINCE", today]) == [a, b, c]
    assert client.search(["BEFORE", today]) == []
    assert client.search(["SENTON", datetime(2025, 11, 25).date()]) == [a, b, c]


def test_flags_can_be_added_removed_and_replaced(client, scratch_folder):
    client.append(scratch_folder, message("<flags@test>"))
    client.select_folder(scratch_folder)
    [uid] = client.search("ALL")
    assert b"\\Flagged" in client.add_flags([uid], [b"\\Flagged", b"\\Seen"])[uid]
    assert b"\\Seen" not in client.remove_flags([uid], [b"\\Seen"])[uid]
    assert set(client.set_flags([uid], [b"\\Answered"])[uid]) - {b"\\Recent"} == {b"\\Answered"}
    assert client.search("ANSWERED") == [uid]


def test_deleted_messages_are_expunged(client, scratch_folder):
    for n in range(3):
        client.append(scratch_folder, message(f"<del-{n}@test>"))
    client.select_folder(scratch_folder)
    first, second, third = client.search("ALL")
    client.delete_messages([second])
    client.expunge()
    assert client.search("ALL") == [first, third]


def test_copy_puts_the_message_in_another_folder(client, scratch_folder):
    client.append(scratch_folder, message("<copy@test>"), flags=[b"\\Flagged"])
    client.select_folder(scratch_folder)
    target = scratch_folder + "-copy"
    client.create_folder(target)
    try:
        client.copy(client.search("ALL"), target)
        client.select_folder(target)
        [uid] = client.search(["HEADER", "Message-ID", "<copy@test>"])
        assert b"\\Flagged" in client.get_flags([uid])[uid]
        client.select_folder(scratch_folder)
        assert len(client.search("ALL")) == 1
    finally:
        client.delete_folder(target)


def test_uidvalidity_stays_the_same_and_uids_only_grow(client, scratch_folder):
    first = client.select_folder(scratch_folder)
    client.append(scratch_folder, message("<u1@test>"))
    client.append(scratch_folder, message("<u2@test>"))
    [one, two] = client.search("ALL")
    client.delete_messages([two])
    client.expunge()
    client.append(scratch_folder, message("<u3@test>"))
    again = client.select_folder(scratch_folder)
    assert again[b"UIDVALIDITY"] == first[b"UIDVALIDITY"]
    assert client.search("ALL")[-1] > two > one


def test_status_counts_messages_and_unseen(client, scratch_folder):
    client.append(scratch_folder, message("<s1@test>"), flags=[b"\\Seen"])
    client.append(scratch_folder, message("<s2@test>"))
    status = client.folder_status(scratch_folder, [b"MESSAGES", b"UNSEEN", b"UIDNEXT"])
    assert status[b"MESSAGES"] == 2
    assert status[b"UNSEEN"] == 1


def test_idle_reports_new_mail(client, scratch_folder, imap_account):
    client.select_folder(scratch_folder)
    client.idle()

    def deliver_later():
        time.sleep(0.2)
        with imap_account.client() as other:
            other.append(scratch_folder, message("<idle@test>"))

    thread = threading.Thread(target=deliver_later)
    thread.start()
    responses = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (1, b"EXISTS") not in responses:
        responses += client.idle_check(timeout=1)
    client.idle_done()
    thread.join()
    assert (1, b"EXISTS") in responses
