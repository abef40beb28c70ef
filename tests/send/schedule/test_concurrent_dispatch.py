"""Two processes dispatching at once: no message claimed twice, no cap exceeded.

On SQLite in the first pass, on PostgreSQL in the services pass (the `instance` fixture gives
each test its own database there).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

SETUP = """
from datetime import time
from coldflow.send.models import CampaignMailbox
from tests.send.schedule.factories import make_campaign
rules = dict(
    leads=60, daily_cap=2, delays=(0,), new_leads_per_day=100, per_domain_daily_cap=100,
    window_start=time(0), window_end=time(0), weekdays=[1, 2, 3, 4, 5, 6, 7],
)
first = make_campaign(name="Race A", mailboxes=20, **rules)
second = make_campaign(name="Race B", mailboxes=0, **rules)
# The two campaigns share the same 20 mailboxes: their caps are shared too.
for link in CampaignMailbox.objects.filter(campaign=first):
    CampaignMailbox.objects.create(campaign=second, mailbox_id=link.mailbox_id)
print(first.pk, second.pk)
"""

WORKER = """
import django, json, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coldflow.config.django_settings")
django.setup()
from coldflow.send.schedule.dispatch import dispatch_tick
campaign = int(os.environ["CAMPAIGN"])
start = float(os.environ["START_AT"])
time.sleep(max(0, start - time.time()))
claimed = []
for _ in range(6):
    result = dispatch_tick(campaign_ids=[campaign], enqueue=lambda pk: None)
    claimed += [c.message_pk for c in result.claimed]
print(json.dumps(claimed))
"""


def test_two_processes_dispatching_at_once_never_claim_a_message_twice_or_break_a_shared_cap(
    instance,
):
    assert instance.run("init").returncode == 0
    setup = instance.python(SETUP)
    assert setup.returncode == 0, setup.stderr

    campaigns = setup.stdout.split()
    start_at = str(time.time() + 3)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER],
            env={**instance.env, "START_AT": start_at, "CAMPAIGN": campaign},
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for campaign in campaigns
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_, stderr) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, stderr
    claims = [json.loads(stdout) for stdout, _ in outputs]
    everything = claims[0] + claims[1]
    assert len(everything) == len(set(everything)), "a message was claimed twice"
    # 20 shared mailboxes × a cap of 2 a day: 40 first emails, whichever campaign got them.
    assert len(everything) == 40

    counts = instance.python(
        "import json\n"
        "from django.db.models import Count\n"
        "from coldflow.send.models import OutboundMessage, Enrollment\n"
        "per_mailbox = list(OutboundMessage.objects.filter(state='queued')"
        ".values('mailbox_id').annotate(n=Count('id')).values_list('n', flat=True))\n"
        "waiting = Enrollment.objects.filter(next_action_at__isnull=True).count()\n"
        "print(json.dumps([per_mailbox, waiting]))"
    )
    per_mailbox, waiting = json.loads(counts.stdout)
    assert max(per_mailbox) == 2 and sum(per_mailbox) == 40
    assert waiting == 40
