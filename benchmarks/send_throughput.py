"""Send throughput: messages per second through one worker to a local SMTP submission server.

The same run measures, against the sandbox's submission server on loopback (in a process of
its own, so this process does only the sending side's work):

- coldflow's `deliver_batch`: claim, render, one reused SMTP connection, record the answer;
- coldflow's `deliver` message by message: the same bookkeeping, a new connection each time;
- the baselines: plain `smtplib` sending the same rendered bytes, no database at all, with one
  connection (connect, EHLO, AUTH, send, QUIT) per message and with one reused connection.

and prints the ratios and coldflow's database statements and commits per message. A fresh
SQLite installation in a temporary directory holds the rows.

    .venv/bin/python benchmarks/send_throughput.py [--messages 300]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import smtplib
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coldflow.sandbox.mail_world import SenderMailbox  # noqa: E402

SENDER = SenderMailbox("sam@sender.test", "sam", "s3cret", "Sam Seller", True)


def _environment(data_dir: Path) -> None:
    from cryptography.fernet import Fernet

    config = data_dir.parent / "coldflow.toml"
    config.write_text("", encoding="utf-8")
    os.environ.update(
        COLDFLOW_DATA_DIR=str(data_dir),
        COLDFLOW_CONFIG=str(config),
        SECRET_KEY="benchmark-secret",
        ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DJANGO_SETTINGS_MODULE="coldflow.config.django_settings",
        # The benchmark's mail servers run on this machine.
        MAILBOX_ALLOW_PRIVATE_SERVERS="true",
        LOG_LEVEL="WARNING",
    )
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    data_dir.mkdir(parents=True, exist_ok=True)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _serve_mail(count: int, pipe) -> None:
    """The child process: the sandbox's mail servers until the parent says stop."""
    from coldflow.sandbox.mail import MailServers
    from coldflow.sandbox.mail_world import DomainPolicy, MailWorld

    world = MailWorld(
        domains={"acme.test": DomainPolicy("acme.test", frozenset(f"p{i}" for i in range(count)))},
        senders=(SENDER,),
    )
    servers = MailServers(world)

    async def run() -> None:
        await servers.start()
        pipe.send(servers.endpoints()["submission"])
        await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
        pipe.send(sum(len(servers.received(f"p{i}@acme.test")) for i in range(count)))
        await servers.stop()

    asyncio.run(run())


@contextlib.contextmanager
def _mail_servers(count: int):
    """The SMTP server in a process of its own, so the measured process does only the client's
    work (on a shared 2-core machine the server would otherwise compete for our GIL). Yields
    the submission endpoint and a function that stops the servers and says how many messages
    they received."""
    parent, child = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve_mail, args=(count, child), daemon=True
    )
    process.start()
    received: list[int] = []

    def stop() -> int:
        parent.send("stop")
        received.append(parent.recv())
        return received[0]

    try:
        yield parent.recv(), stop
    finally:
        if not received:
            stop()
        process.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    n = args.messages

    with tempfile.TemporaryDirectory(prefix="coldflow-send-bench-") as tmp:
        _environment(Path(tmp) / "data")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from coldflow.send.delivery import deliver, deliver_batch, render
        from coldflow.send.models import OutboundMessage
        from coldflow.send.settings import current_send_settings
        from tests.send.factory import SendWorld

        sender = SENDER
        warm_up, counted = 5, 20
        with _mail_servers(4 * n + warm_up + counted) as (endpoint, stop_servers):
            world = SendWorld()
            mailbox = world.mailbox(
                sender.address,
                host=endpoint["host"],
                port=endpoint["port"],
                username=sender.username,
                password=sender.password,
                append_to_sent=False,
                daily_cap=10**6,
            )
            settings = current_send_settings()
            addresses = iter(f"p{i}@acme.test" for i in range(4 * n + warm_up + counted))

            def queued(count: int) -> list[OutboundMessage]:
                return [world.message(next(addresses), mailbox) for _ in range(count)]

            warm = [m.pk for m in queued(warm_up)]
            batch = [m.pk for m in queued(n)]
            single = [m.pk for m in queued(n)]
            # The baselines send the very bytes coldflow would send (same size, same headers).
            raws = [(m.to_address, render(m, mailbox, settings)) for m in queued(2 * n)]
            plain_raws, reused_raws = raws[:n], raws[n:]
            for_queries = [m.pk for m in queued(counted)]

            deliver_batch(warm, settings=settings)  # imports, first connection, caches

            started = time.perf_counter()
            for to, raw in plain_raws:
                with smtplib.SMTP(endpoint["host"], endpoint["port"], timeout=10) as client:
                    client.login(sender.username, sender.password)
                    client.sendmail(sender.address, [to], raw)
            plain = n / (time.perf_counter() - started)

            started = time.perf_counter()
            with smtplib.SMTP(endpoint["host"], endpoint["port"], timeout=10) as client:
                client.login(sender.username, sender.password)
                for to, raw in reused_raws:
                    client.sendmail(sender.address, [to], raw)
            plain_reused = n / (time.perf_counter() - started)

            started = time.perf_counter()
            results = deliver_batch(batch, settings=settings)
            reused = n / (time.perf_counter() - started)
            assert all(r.outcome == "sent" for r in results), results[:3]

            started = time.perf_counter()
            for pk in single:
                assert deliver(pk, settings=settings).outcome == "sent"
            per_message = n / (time.perf_counter() - started)

            # Counted apart from the timed runs: capturing queries costs time of its own.
            with CaptureQueriesContext(connection) as queries:
                assert all(
                    r.outcome == "sent" for r in deliver_batch(for_queries, settings=settings)
                )
            commits = sum(q["sql"].upper().startswith("COMMIT") for q in queries)
            received = stop_servers()

        sent = OutboundMessage.objects.filter(state="sent").count()
        print(
            f"messages per method: {n} (sent and recorded by coldflow: {sent}, "
            f"received by the server: {received})"
        )
        print(f"coldflow deliver_batch, one reused connection:  {reused:8.1f} msg/s")
        print(f"coldflow deliver, one connection per message:   {per_message:8.1f} msg/s")
        print(f"baseline smtplib, one connection per message:   {plain:8.1f} msg/s (no database)")
        print(
            f"baseline smtplib, one reused connection:        {plain_reused:8.1f} msg/s (no database)"
        )
        print(
            f"coldflow database work per message (deliver_batch): {len(queries) / counted:.1f} "
            f"statements, {commits / counted:.2f} commits"
        )
        print(f"ratio reused / smtplib baseline: {reused / plain:.2f}x")
        print(f"ratio reused / smtplib reused-connection baseline: {reused / plain_reused:.2f}x")
        print(f"ratio reused / coldflow per-message connection: {reused / per_message:.2f}x")


if __name__ == "__main__":
    main()
