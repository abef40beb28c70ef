"""Several worker processes delivering one mailbox's messages at once, through the sandbox's
SMTP submission server: the mailbox's daily cap and minimum gap hold exactly.

On SQLite in the first pass, on PostgreSQL in the services pass (the `instance` fixture gives
each test its own database there).
"""

from __future__ import annotations

import email
import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import REPO
from tests.sandbox.mail.harness import SAM, running_mail_servers

from .conftest import send_world

pytestmark = pytest.mark.slow

CAP = 4
GAP_SECONDS = 1
MESSAGES = 10
WORKERS = 3

SETUP = """
import json, os
from django.utils import timezone
from tests.send.factory import SendWorld
world = SendWorld()
mailbox = world.mailbox(
    os.environ["ADDRESS"], host=os.environ["HOST"], port=int(os.environ["PORT"]),
    username=os.environ["USERNAME"], password=os.environ["PASSWORD"],
    daily_cap=int(os.environ["CAP"]), ramp_start=int(os.environ["CAP"]), ramp_step=0,
    min_gap_seconds=int(os.environ["GAP"]), max_gap_seconds=int(os.environ["GAP"]),
    timezone=os.environ["ZONE"],
    append_to_sent=False,
)
now = timezone.now()
pks = [
    world.message(f"p{i}@acme.test", mailbox, scheduled_at=now).pk
    for i in range(int(os.environ["MESSAGES"]))
]
print(json.dumps({"mailbox": mailbox.pk, "pks": pks}))
"""

# A worker delivers whatever of the messages is queued and due, again and again, until none is
# due within the next minute (what is left waits for the mailbox's next day). A denied slot
# puts a message off until the slot opens.
WORKER = """
import django, json, os, random, time
from datetime import timedelta
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coldflow.config.django_settings")
django.setup()
from django.utils import timezone
from coldflow.send.delivery import deliver_batch
from coldflow.send.models import OutboundMessage
pks = json.loads(os.environ["PKS"])
time.sleep(max(0, float(os.environ["START_AT"]) - time.time()))
outcomes = []
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    queued = OutboundMessage.objects.filter(pk__in=pks, state="queued")
    soon = timezone.now() + timedelta(minutes=1)
    if not queued.filter(scheduled_at__lte=soon).exists():
        break
    due = list(queued.filter(scheduled_at__lte=timezone.now()).values_list("pk", flat=True))
    if not due:
        # Every worker wakes at the same moment, when the next slot opens: the hardest case.
        next_at = min(queued.values_list("scheduled_at", flat=True))
        time.sleep(max(0, (next_at - timezone.now()).total_seconds()))
        continue
    # Each worker in its own order: they go for different messages of the one mailbox.
    random.shuffle(due)
    outcomes += [[r.outcome, r.detail] for r in deliver_batch(due)]
print(json.dumps(outcomes))
"""

REPORT = """
import json
from coldflow.send.models import Mailbox, OutboundMessage
rows = OutboundMessage.objects.filter(pk__in=json.loads(os.environ["PKS"]))
print(json.dumps({
    "messages": [
        [m.state, m.message_id, m.attempts, m.sending_started_at and m.sending_started_at.isoformat(),
         m.scheduled_at and m.scheduled_at.isoformat()]
        for m in rows
    ],
    "last_sent_at": Mailbox.objects.get(pk=int(os.environ["MAILBOX"])).last_sent_at.isoformat(),
}))
"""


def _midday_zone() -> tuple[str, datetime]:
    """A zone where it is around noon now (the test must not straddle the mailbox's midnight),
    and that zone's next midnight."""
    now = datetime.now(UTC)
    offset = 12 - now.hour  # hours east of UTC, -11 … +12
    name = f"Etc/GMT{-offset:+d}"  # the Etc zones' signs are inverted (POSIX)
    local = now + timedelta(hours=offset)
    midnight = datetime(local.year, local.month, local.day, tzinfo=UTC) + timedelta(days=1)
    return name, midnight - timedelta(hours=offset)


def test_workers_delivering_one_mailbox_at_once_keep_its_daily_cap_and_minimum_gap(instance):
    assert instance.run("init").returncode == 0
    zone, next_midnight = _midday_zone()
    with running_mail_servers(send_world()) as mail:
        submission = mail.endpoints()["submission"]
        setup = instance.python(
            SETUP,
            ADDRESS=SAM.address,
            HOST=submission["host"],
            PORT=str(submission["port"]),
            USERNAME=SAM.username,
            PASSWORD=SAM.password,
            ZONE=zone,
            CAP=str(CAP),
            GAP=str(GAP_SECONDS),
            MESSAGES=str(MESSAGES),
        )
        assert setup.returncode == 0, setup.stderr
        rows = json.loads(setup.stdout)
        pks = json.dumps(rows["pks"])

        start_at = str(time.time() + 3)
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER],
                env={**instance.env, "START_AT": start_at, "PKS": pks},
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(WORKERS)
        ]
        outputs = [worker.communicate(timeout=120) for worker in workers]
        for worker, (_, stderr) in zip(workers, outputs, strict=True):
            assert worker.returncode == 0, stderr
        time.sleep(0.2)
        received = [
            " ".join(str(email.message_from_bytes(raw)["Message-ID"]).split())
            for i in range(MESSAGES)
            for raw in mail.received(f"p{i}@acme.test")
        ]

    report = instance.python("import os\n" + REPORT, PKS=pks, MAILBOX=str(rows["mailbox"]))
    assert report.returncode == 0, (report.stderr, outputs)
    state = json.loads(report.stdout)
    sent = [m for m in state["messages"] if m[0] == "sent"]
    waiting = [m for m in state["messages"] if m[0] != "sent"]

    # The cap, exactly: no more, and no fewer (the rest was put off, not lost).
    assert len(sent) == CAP
    assert sorted(received) == sorted(m[1] for m in sent)
    # The gap, between every two sends the mailbox started.
    starts = sorted(datetime.fromisoformat(m[3]) for m in sent)
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= GAP_SECONDS, gaps
    assert datetime.fromisoformat(state["last_sent_at"]) == starts[-1]
    # The rest waits, queued, for the mailbox's next day, no attempt counted.
    assert {m[0] for m in waiting} == {"queued"}
    assert {m[2] for m in waiting} == {0}
    assert {datetime.fromisoformat(m[4]) for m in waiting} == {next_midnight}

    outcomes = [outcome for stdout, _ in outputs for outcome, _ in json.loads(stdout)]
    assert outcomes.count("sent") == CAP
    # The workers did compete for the mailbox: slots were refused for the gap and for the cap.
    details = [detail for stdout, _ in outputs for _, detail in json.loads(stdout)]
    assert any("minimum gap" in d for d in details) and any("daily cap" in d for d in details)
