"""`coldflow schedule` and `coldflow send` on a fresh installation."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

SETUP = """
from datetime import time
from tests.send.schedule.factories import make_campaign
make_campaign(
    name="Spring", leads=3, mailboxes=2, delays=(0, 2), status="draft",
    window_start=time(0), window_end=time(0), weekdays=[1, 2, 3, 4, 5, 6, 7],
)
"""


def test_schedule_previews_and_send_queues_without_sending_twice(instance):
    assert instance.run("init").returncode == 0
    setup = instance.python(SETUP)
    assert setup.returncode == 0, setup.stderr

    preview = instance.run("schedule", "--campaign", "Spring", "--days", "3", "--json")
    assert preview.returncode == 0, preview.stderr
    planned = json.loads(preview.stdout)
    assert sorted(row["step"] for row in planned) == [0, 0, 0, 1, 1, 1]
    assert {row["recipient_timezone"] for row in planned} == {"Europe/Berlin"}
    assert len({row["mailbox"] for row in planned if row["step"] == 0}) == 2
    table = instance.run("schedule", "--campaign", "Spring")
    assert "first email" in table.stdout and "follow-up 1" in table.stdout
    nothing_queued = instance.python(
        "from coldflow.send.models import OutboundMessage\n"
        "print(OutboundMessage.objects.filter(state='queued').count())"
    )
    assert nothing_queued.stdout.strip() == "0"

    sent = instance.run("send", "--campaign", "Spring")
    assert sent.returncode == 0, sent.stderr
    assert "Started campaign Spring" in sent.stdout
    assert sent.stdout.count("queued  ") == 3
    assert "3 queued, 3 enrolled" in sent.stdout
    again = instance.run("send", "--campaign", "Spring", "--json")
    assert json.loads(again.stdout)["queued"] == []
    states = instance.python(
        "from coldflow.send.models import OutboundMessage\n"
        "print(sorted(OutboundMessage.objects.values_list('state', flat=True)))"
    )
    assert states.stdout.strip() == str(["approved"] * 3 + ["queued"] * 3)


def test_unknown_campaigns_are_one_line_errors(instance):
    assert instance.run("init").returncode == 0
    result = instance.run("send", "--campaign", "Nope")
    assert result.returncode == 1
    assert result.stderr.strip() == "coldflow: error: no campaign named 'Nope'"
    assert instance.run("schedule", "--help").returncode == 0
