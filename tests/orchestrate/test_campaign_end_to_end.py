"""A campaign run by the orchestrator against the sandbox, from its ICP to the answers."""

import time
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from coldflow.accounts.models import Workspace
from coldflow.analytics.models import Event
from coldflow.campaigns.models import Campaign
from coldflow.cli.demo_outreach import inline_sender, listen, sandbox_mailboxes
from coldflow.compose.sequences import create_sequence, parse_sequence
from coldflow.config.loader import load_settings
from coldflow.discover.icp import icp_to_mapping, load_icp
from coldflow.orchestrate import engine
from coldflow.orchestrate.policy import LIMITS, StageLimits
from coldflow.orchestrate.progress import campaign_progress
from coldflow.orchestrate.stages import StageEnv
from coldflow.orchestrate.workitems import enqueue
from coldflow.send.models import OutboundMessage

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RULES = engine.RetryRules(max_attempts=3, backoff_seconds=30, lease_seconds=600)


@pytest.fixture
def sandbox_config(sandbox, monkeypatch):
    monkeypatch.setenv("SANDBOX", "true")
    monkeypatch.setenv("SANDBOX_STATE_DIR", str(sandbox.state_dir))
    monkeypatch.setenv("CRAWL_DELAY", "0.05")
    monkeypatch.setenv("VERIFY_GREYLIST_RETRY", "1.5")
    return load_settings()


def test_a_running_campaign_reaches_every_ready_lead_exactly_once_and_completes(
    sandbox, sandbox_config, monkeypatch
):
    # In-memory SQLite cannot be shared between threads, so this test's worker has one: with
    # research batches smaller than the campaign it shows the streaming batch by batch (with
    # several threads, as in `coldflow worker`, the batches themselves overlap).
    monkeypatch.setitem(LIMITS, "research", StageLimits(batch=8, concurrency=96))
    workspace = Workspace.objects.create(name="E2E", slug="e2e-orchestrate")
    icp = load_icp(resources.files("coldflow.cli").joinpath("demo_icp.toml").read_text("utf-8"))
    sequence = parse_sequence((Path(__file__).parent / "one_step_sequence.toml").read_text())
    campaign = Campaign.objects.create(
        workspace=workspace,
        name="e2e",
        icp=icp_to_mapping(icp),
        sequence=create_sequence(workspace, sequence),
        # Every ready lead today: the daily cap on new leads (50) is tested with the dispatcher.
        new_leads_per_day=1000,
    )
    mailboxes = sandbox_mailboxes(workspace, campaign, sandbox)
    sender = inline_sender(campaign)
    env = StageEnv(sandbox_config, hand_over=sender.send)
    batches = []

    engine.start(campaign, "end-to-end test", config=sandbox_config)
    engine.work_until_idle(env, RULES, worker="test", on_batch=batches.append)

    # Streaming: the first emails left before the last company was researched.
    order = [b.stage for b in batches]
    assert order.index("compose") < len(order) - 1 - order[::-1].index("research")

    sent = OutboundMessage.objects.filter(campaign=campaign, state="sent")
    ready = campaign.leads.exclude(status__in=["new", "disqualified"])
    assert sent.count() == ready.count() > 20
    ours = set(sent.values_list("message_id", flat=True))
    delivered = _deliveries_of(sandbox, ours)
    # Each prospect received its one email exactly once, from what we recorded as sent.
    assert set(delivered.values()) == {1}
    assert {r for r, _ in delivered} == {
        a.lower() for a in sent.values_list("to_address", flat=True)
    }
    assert len(delivered) == sent.count()

    # A second pass over every stage changes nothing: no new lead, draft or send.
    before = (campaign.leads.count(), campaign.messages.count())
    for stage in ("research", "contacts", "leads", "compose"):
        done = campaign.work_items.filter(stage=stage).values_list("subject_id", flat=True)
        enqueue(campaign, stage, list(done))
    engine.work_until_idle(env, RULES, worker="test")
    assert (campaign.leads.count(), campaign.messages.count()) == before
    assert sent.count() == len(delivered)

    # The sandbox's prospects answer within a few seconds of the last send.
    listen(mailboxes, time.monotonic())
    report = engine.advance(RULES, lambda stage: None)
    campaign.refresh_from_db()
    assert campaign.status == "completed", campaign_progress(campaign)
    assert report.completed == ["e2e"]
    assert Event.objects.filter(campaign=campaign, kind="campaign.completed").exists()
    progress = campaign_progress(campaign)
    stages = {s["stage"]: s for s in progress["stages"]}
    assert stages["send"]["done"] == sent.count()
    assert all(stages[s]["queued"] == stages[s]["running"] == 0 for s in stages)
    assert progress["answers"], "the prospects' answers were read"


def _deliveries_of(sandbox, message_ids: set[str], wait_seconds: float = 20.0) -> Counter:
    """(recipient, Message-ID) counts at the prospects' MX hosts. A greylisting host takes a
    message only at its provider's retry, seconds after we sent it: wait (bounded) for that."""
    deadline = time.monotonic() + wait_seconds
    while True:
        delivered = Counter(
            (d.recipient.lower(), d.message_id)
            for d in sandbox.mail.deliveries()
            if d.message_id in message_ids
        )
        if {m for _, m in delivered} >= message_ids or time.monotonic() > deadline:
            return delivered
        time.sleep(0.2)
