"""Send throughput: messages per second through one worker to a local SMTP submission server.

With caps lifted, the same run measures, against the sandbox's submission server on loopback:

- coldflow's `deliver_batch`: claim, render, one reused SMTP connection, record the answer;
- coldflow's `deliver` message by message: the same bookkeeping, a new connection each time;
- the baseline: plain `smtplib`, one connection (connect, EHLO, AUTH, send, QUIT) per message,
  no database at all.

and prints the ratios. A fresh SQLite installation in a temporary directory holds the rows.

    .venv/bin/python benchmarks/send_throughput.py [--messages 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import smtplib
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


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
        LOG_LEVEL="WARNING",
    )
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    data_dir.mkdir(parents=True, exist_ok=True)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _mail_servers(count: int):
    from coldflow.sandbox.mail import MailServers
    from coldflow.sandbox.mail_world import DomainPolicy, MailWorld, SenderMailbox

    sender = SenderMailbox("sam@sender.test", "sam", "s3cret", "Sam Seller", True)
    world = MailWorld(
        domains={"acme.test": DomainPolicy("acme.test", frozenset(f"p{i}" for i in range(count)))},
        senders=(sender,),
    )
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    servers = MailServers(world)
    asyncio.run_coroutine_threadsafe(servers.start(), loop).result(10)
    return servers, sender


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    n = args.messages

    with tempfile.TemporaryDirectory(prefix="coldflow-send-bench-") as tmp:
        _environment(Path(tmp) / "data")
        from coldflow.send.delivery import deliver, deliver_batch, render
        from coldflow.send.models import OutboundMessage
        from coldflow.send.settings import current_send_settings
        from tests.send.factory import SendWorld

        servers, sender = _mail_servers(3 * n)
        endpoint = servers.endpoints()["submission"]
        world = SendWorld()
        world.campaign.per_domain_daily_cap = 10**6
        world.campaign.save()
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
        batch = [world.message(f"p{i}@acme.test", mailbox).pk for i in range(n)]
        single = [world.message(f"p{n + i}@acme.test", mailbox).pk for i in range(n)]
        baseline = [world.message(f"p{2 * n + i}@acme.test", mailbox) for i in range(n)]
        raws = [(m.to_address, render(m, mailbox, settings)) for m in baseline]

        started = time.perf_counter()
        results = deliver_batch(batch, settings=settings)
        reused = n / (time.perf_counter() - started)
        assert all(r.outcome == "sent" for r in results), results[:3]

        started = time.perf_counter()
        for pk in single:
            assert deliver(pk, settings=settings).outcome == "sent"
        per_message = n / (time.perf_counter() - started)

        started = time.perf_counter()
        for to, raw in raws:
            with smtplib.SMTP(endpoint["host"], endpoint["port"], timeout=10) as client:
                client.login(sender.username, sender.password)
                client.sendmail(sender.address, [to], raw)
        plain = n / (time.perf_counter() - started)

        sent = OutboundMessage.objects.filter(state="sent").count()
        print(f"messages per method: {n} (sent and recorded by coldflow: {sent})")
        print(f"coldflow deliver_batch, one reused connection:  {reused:8.1f} msg/s")
        print(f"coldflow deliver, one connection per message:   {per_message:8.1f} msg/s")
        print(f"baseline smtplib, one connection per message:   {plain:8.1f} msg/s (no database)")
        print(f"ratio reused / smtplib baseline: {reused / plain:.2f}x")
        print(f"ratio reused / coldflow per-message connection: {reused / per_message:.2f}x")


if __name__ == "__main__":
    main()
