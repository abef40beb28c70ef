"""Where a send test's mail goes and where it can be read: the sandbox or Postfix/Dovecot.

The sandbox: Sam writes to Tina, one of the sandbox's own mailboxes, whose INBOX can be read.
Debian's Postfix and Dovecot (tests/sandbox/mail/real_servers.sh, COLDFLOW_TEST_SUBMISSION and
COLDFLOW_TEST_IMAP): Sam writes to himself. The Postfix route is skipped when those are unset,
except under CI, where it must run. The `route` fixture (tests/send/conftest.py) gives both.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import pytest

from tests.sandbox.mail.harness import SAM, TINA, ImapAccount, external_imap, external_submission

DEADLINE_SECONDS = 30


@dataclass(frozen=True)
class Route:
    """Who sends through which submission server, and whose INBOX shows what arrived."""

    sender: str
    submission: tuple[str, int, str, str]
    recipient: str
    inbox: ImapAccount
    # Dovecot threads; the sandbox's IMAP server does not offer THREAD.
    thread_extension: bool


def sandbox_route(mail) -> Route:
    endpoints = mail.endpoints()
    submission, imap = endpoints["submission"], endpoints["imap"]
    return Route(
        sender=SAM.address,
        submission=(submission["host"], submission["port"], SAM.username, SAM.password),
        recipient=TINA.address,
        inbox=ImapAccount(imap["host"], imap["port"], TINA.username, TINA.password),
        thread_extension=False,
    )


def postfix_route() -> Route:
    submission, imap = external_submission(), external_imap()
    if submission is None or imap is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run this against Postfix and Dovecot: source real_servers.sh")
        pytest.skip("COLDFLOW_TEST_SUBMISSION / COLDFLOW_TEST_IMAP not set")
    return Route(
        sender=submission.address,
        submission=(submission.host, submission.port, submission.username, submission.password),
        recipient=submission.address,
        inbox=imap,
        thread_extension=True,
    )


def arrived_in_inbox(inbox: ImapAccount, message_ids: list[str]) -> dict[str, tuple[int, bytes]]:
    """Message-ID → (UID, header block) for each of `message_ids` in the INBOX, waiting until
    all of them are there."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        found = {}
        with inbox.client() as client:
            client.select_folder("INBOX", readonly=True)
            for message_id in message_ids:
                uids = client.search(["HEADER", "Message-ID", message_id])
                if uids:
                    data = client.fetch(uids[-1:], ["BODY.PEEK[HEADER]"])[uids[-1]]
                    found[message_id] = (uids[-1], data[b"BODY[HEADER]"])
        if len(found) == len(message_ids):
            return found
        assert time.monotonic() < deadline, f"not in the INBOX: {set(message_ids) - set(found)}"
        time.sleep(0.2)
