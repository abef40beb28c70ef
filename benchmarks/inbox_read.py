"""How fast coldflow reads a mailbox: N messages in one folder, read over IMAP.

    .venv/bin/python benchmarks/inbox_read.py [--messages 1000] [--imap HOST:PORT:USER:PASSWORD]

Fills a fresh folder with N messages (the real bounce, auto-reply and complaint samples in
tests/listen/fixtures/sisimai, and replies threaded under messages we sent), then times
(1) the IMAP reader alone and (2) a full poll: read, classify, match, store and act, on a
fresh SQLite database. Uses the sandbox's IMAP server unless --imap names another (e.g. the
Dovecot of tests/sandbox/mail/real_servers.sh).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--imap", help="HOST:PORT:USER:PASSWORD of another IMAP server")
    arguments = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="coldflow-bench-inbox-"))
    (root / "data").mkdir()
    (root / "coldflow.toml").write_text("", encoding="utf-8")
    os.environ.update(
        COLDFLOW_DATA_DIR=str(root / "data"),
        COLDFLOW_CONFIG=str(root / "coldflow.toml"),
        SECRET_KEY="benchmark",
        ENCRYPTION_KEY="q2Yj8JmHkFvA3W0y1Qp5rXb7c9Td2EeGfLhNiOjUkSs=",
        DJANGO_SETTINGS_MODULE="coldflow.config.django_settings",
        # The benchmark's mail servers run on this machine.
        MAILBOX_ALLOW_PRIVATE_SERVERS="true",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from coldflow.sandbox.runner import background_world

    if arguments.imap:
        host, port, user, password = arguments.imap.split(":", 3)
        return run(arguments.messages, host, int(port), user, password, "external")
    with background_world(root / "sandbox") as running:
        imap = running.endpoints["imap"]
        sender = running.endpoints["senders"][0]
        return run(
            arguments.messages,
            imap["host"],
            imap["port"],
            sender["username"],
            sender["password"],
            "sandbox",
            sender["address"],
        )


def run(count, host, port, user, password, label, address="sam@sender.test") -> int:
    from coldflow.listen.inbox import ListenSettings, poll_mailbox
    from coldflow.listen.reader import FolderCursor, ImapEndpoint, MailboxReader, connect
    from tests.listen.factory import Factory, reply_to

    world = Factory(host, port, user, password)
    world.mailbox.email = address
    world.mailbox.save()
    samples = sorted((REPO / "tests/listen/fixtures/sisimai/eml").glob("*.eml"))
    folder = f"coldflow-bench-{uuid.uuid4().hex[:8]}"
    endpoint = ImapEndpoint(host, port, "plain", user, password)
    client = connect(endpoint)
    client.create_folder(folder)
    replies = [world.sent(f"lead{i}@acme.test") for i in range(count // 2)]
    total_bytes = 0
    for i in range(count):
        if i % 2 == 0 and i // 2 < len(replies):
            raw = reply_to(replies[i // 2].message, "Sounds interesting, can we talk next week?")
        else:
            raw = samples[i % len(samples)].read_bytes()
        total_bytes += len(raw)
        client.append(folder, raw)
    client.logout()

    started = time.perf_counter()
    seen = []
    MailboxReader(endpoint).read(
        {folder: FolderCursor()}, seen.append, lambda *_: None, folders=[folder]
    )
    reading = time.perf_counter() - started

    started = time.perf_counter()
    report = poll_mailbox(world.mailbox, ListenSettings(), folders=[folder])
    polling = time.perf_counter() - started

    client = connect(endpoint)
    client.delete_folder(folder)
    client.logout()
    print(
        f"inbox read benchmark ({label} IMAP, SQLite): {count} messages, {total_bytes / 1e6:.1f} MB"
    )
    print(f"  IMAP reader alone      {len(seen) / reading:8.0f} messages/s ({reading:.2f} s)")
    print(
        f"  full poll              {report.new / polling:8.0f} messages/s ({polling:.2f} s: "
        "read, classify, match, store, act)"
    )
    print(f"  kinds {dict(report.kinds)}, matched {report.matched}, failed {report.failed}")
    return 0 if report.new == count and report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
