"""Crash test: a worker killed with SIGKILL at random points while delivering a batch through
the sandbox's SMTP server, 20 times. Afterwards the reaper and the Sent-folder resolver run and
what they queue again is delivered: every message must end delivered exactly once, or failed
with a reason and delivered at most once; never twice."""

from __future__ import annotations

import email
import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests.sandbox.mail.harness import SAM, TINA, running_mail_servers

from .conftest import send_world

pytestmark = pytest.mark.slow

RUNS = 20
PER_RUN = 8


def _received_ids(mail) -> Counter:
    counts: Counter = Counter()
    for i in range(RUNS * PER_RUN):
        for raw in mail.received(f"p{i}@acme.test"):
            counts[" ".join(str(email.message_from_bytes(raw)["Message-ID"]).split())] += 1
    return counts


def test_a_worker_killed_mid_batch_never_sends_a_message_twice(instance):
    assert instance.run("init").returncode == 0
    rng = random.Random(20251125)
    with running_mail_servers(send_world()) as mail:
        endpoints = mail.endpoints()
        controller = subprocess.Popen(
            [sys.executable, "-m", "tests.send.crash_processes", "controller"],
            env=instance.env,
            cwd=instance.data_dir.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

        def ask(**command):
            controller.stdin.write(json.dumps(command) + "\n")
            controller.stdin.flush()
            return json.loads(controller.stdout.readline())

        try:
            senders = [
                {
                    "address": s.address,
                    "username": s.username,
                    "password": s.password,
                    "append_to_sent": not s.server_appends_to_sent,
                }
                for s in (SAM, TINA)
            ]
            runs = ask(
                do="setup",
                host=endpoints["submission"]["host"],
                port=endpoints["submission"]["port"],
                imap_port=endpoints["imap"]["port"],
                senders=senders,
                runs=RUNS,
                per_run=PER_RUN,
            )["runs"]
            final: dict[str, dict] = {}
            totals = Counter()
            for pks in runs:
                worker = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "tests.send.crash_processes",
                        "worker",
                        ",".join(map(str, pks)),
                    ],
                    env=instance.env,
                    cwd=instance.data_dir.parent,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                assert worker.stdout.readline().strip() == "ready"
                worker.stdin.write("go\n")
                worker.stdin.flush()
                time.sleep(rng.uniform(0, 0.12))
                worker.send_signal(signal.SIGKILL)
                worker.wait(10)
                time.sleep(0.2)  # let the server finish what the dead client handed it
                outcome = ask(do="recover", pks=pks)
                assert outcome["errors"] == []
                for name in ("reaped", "found_sent", "requeued", "failed"):
                    totals[name] += outcome[name]
                final.update(outcome["states"])
        finally:
            controller.stdin.close()
            controller.wait(30)
        time.sleep(0.2)
        received = _received_ids(mail)

    assert len(final) == RUNS * PER_RUN
    states = Counter(m["state"] for m in final.values())
    assert set(states) <= {"sent", "failed"}, states
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    assert duplicates == {}
    for message in final.values():
        copies = received[message["message_id"]]
        if message["state"] == "sent":
            assert copies == 1, message
        else:
            assert copies <= 1 and "avoid a duplicate" in message["error"], message
    # The kills must actually have landed mid-send for this test to mean anything.
    assert totals["reaped"] >= 3, totals
    print(f"crash test: {dict(states)}, recovery {dict(totals)}")
