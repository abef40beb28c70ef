"""Scale-out: a sandbox campaign run by three `coldflow worker` processes and one scheduler on
PostgreSQL + Redis, one worker SIGKILLed mid-run."""

import json
import os
import signal
import time
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from tests.conftest import services_url

pytestmark = [
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.skipif(
        services_url() is None,
        reason="needs DATABASE_URL=postgresql://… and REDIS_URL (the services pass of make test)",
    ),
]

DEADLINE_SECONDS = 300
SETUP = """
import json
from types import SimpleNamespace
from coldflow.accounts.users import create_user
from coldflow.campaigns.models import Campaign
from coldflow.cli.demo_outreach import sandbox_mailboxes
from coldflow.sandbox.world import generate_world
_, _, workspace = create_user(username="owner", email="", password="pw", workspace="W",
                              role="owner")
"""
MAILBOXES = """
import json
from types import SimpleNamespace
from coldflow.campaigns.models import Campaign
from coldflow.cli.demo_outreach import sandbox_mailboxes
from coldflow.sandbox.world import generate_world
campaign = Campaign.objects.get(name="spread")
# Every ready lead today: the daily cap on new leads (50) is tested with the dispatcher.
Campaign.objects.filter(pk=campaign.pk).update(new_leads_per_day=1000)
campaign.refresh_from_db()
world = SimpleNamespace(world=generate_world(), endpoints=json.loads({endpoints!r}))
print(len(sandbox_mailboxes(campaign.workspace, campaign, world)))
"""
STATE = """
import json
from collections import Counter
from coldflow.campaigns.models import Campaign, WorkItem
c = Campaign.objects.get(name="spread")
running = list(WorkItem.objects.filter(campaign=c, state="running")
               .values_list("stage", "claimed_by"))
done = WorkItem.objects.filter(campaign=c, stage="research", state="done").count()
print(json.dumps({"status": c.status, "running": running, "research_done": done}))
"""
SUMMARY = """
import json
from collections import Counter
from coldflow.campaigns.models import Campaign, WorkItem
from coldflow.contacts.models import Lead
from coldflow.send.models import OutboundMessage
c = Campaign.objects.get(name="spread")
sent = OutboundMessage.objects.filter(campaign=c, state="sent")
print(json.dumps({
    "status": c.status,
    "reason": c.status_reason,
    "sent": list(sent.values_list("message_id", "to_address")),
    "not_done": list(OutboundMessage.objects.filter(campaign=c)
                     .exclude(state="sent").values_list("state", flat=True)),
    # Why each unsent message is where it is, for the failure message.
    "unsent": [[m.state, m.attempts, str(m.scheduled_at), m.error, m.mailbox.email,
                m.mailbox.status]
               for m in OutboundMessage.objects.filter(campaign=c).exclude(state="sent")
               .select_related("mailbox")],
    "stuck_leads": Lead.objects.filter(campaign=c, status__in=["ready", "enrolled"]).count(),
    "items": Counter(WorkItem.objects.filter(campaign=c).values_list("state", flat=True)),
    "retried": WorkItem.objects.filter(campaign=c, attempts__gte=2).count(),
}))
"""


def _json(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_three_workers_and_a_scheduler_finish_a_campaign_after_one_is_killed(
    instance, sandbox, tmp_path
):
    instance.env.update(
        SANDBOX="true",
        SANDBOX_STATE_DIR=str(sandbox.state_dir),
        CRAWL_DELAY="0.05",
        VERIFY_GREYLIST_RETRY="1.5",
        ORCHESTRATE_LEASE_SECONDS="20",
        SEND_REAPER_MINUTES="1",
        SEND_RESOLVE_GRACE_MINUTES="1",
        SEND_REQUEUE_MINUTES="1",
        SCHEDULE_SEND_RECOVERY="* * * * *",
        SCHEDULE_INBOX_POLL="* * * * *",
    )
    assert instance.run("init").returncode == 0
    assert instance.python(SETUP).returncode == 0
    icp = tmp_path / "icp.toml"
    icp.write_text(resources.files("coldflow.cli").joinpath("demo_icp.toml").read_text("utf-8"))
    sequence = Path(__file__).parent / "one_step_sequence.toml"
    created = instance.run(
        "campaign", "create", "--name", "spread", "--icp", str(icp), "--sequence", str(sequence)
    )
    assert created.returncode == 0, created.stdout + created.stderr
    endpoints = json.dumps(sandbox.endpoints)
    mailboxes = instance.python(MAILBOXES.format(endpoints=endpoints), timeout=120)
    assert mailboxes.stdout.strip() == "3", mailboxes.stderr

    workers = [instance.popen("worker", "--workers", "2") for _ in range(3)]
    scheduler = instance.popen("worker", "--workers", "1", "--scheduler")
    killed = None
    kills = 0
    try:
        started = instance.run("campaign", "run", "spread")
        assert started.returncode == 0, started.stdout + started.stderr
        deadline = time.monotonic() + DEADLINE_SECONDS
        status = "running"
        while time.monotonic() < deadline and status == "running":
            state = _json(instance.python(STATE))
            status = state["status"]
            # At most two kills, so a worker always survives.
            if killed is None and kills < 2 and state["research_done"] >= 1:
                holders = {c.split("/")[0].rsplit(":", 1)[-1] for _, c in state["running"]}
                victim = next(
                    (w for w in workers if w.poll() is None and str(w.pid) in holders), None
                )
                if victim is not None:
                    os.kill(victim.pid, signal.SIGKILL)
                    victim.wait(timeout=10)
                    kills += 1
                    # It may have finished its item between our look and the kill: only a
                    # worker that died holding an item proves anything about taking it over.
                    after = _json(instance.python(STATE))["running"]
                    if any(c.split("/")[0].rsplit(":", 1)[-1] == str(victim.pid) for _, c in after):
                        killed = victim
            time.sleep(0.5)
    finally:
        for process in [*workers, scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*workers, scheduler]:
            try:
                process.wait(timeout=30)
            except Exception:
                process.kill()

    summary = _json(instance.python(SUMMARY))
    assert killed is not None, "a worker holding a work item was killed mid-run"
    assert summary["status"] == "completed", summary["unsent"] or summary
    assert summary["retried"] >= 1, "the killed worker's items were taken over"
    assert summary["not_done"] == [] and summary["stuck_leads"] == 0, summary
    assert set(summary["items"]) <= {"done", "parked"}, summary["items"]
    sent = {mid: to for mid, to in summary["sent"]}
    assert len(sent) > 20
    delivered = Counter(
        (d.message_id, d.recipient.lower())
        for d in sandbox.mail.deliveries()
        if d.message_id in sent
    )
    assert set(delivered.values()) == {1}, "each message reached the sandbox MX exactly once"
    assert {mid for mid, _ in delivered} == set(sent)
    assert len({to.lower() for to in sent.values()}) == len(sent), "one email per prospect"
