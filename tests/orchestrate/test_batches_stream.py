"""Big batches that still stream: a research batch hands each site on as it finishes, and the
in-process worker runs batches in several threads like `coldflow worker`."""

import pytest

from coldflow.config.loader import load_settings
from coldflow.orchestrate import workitems
from coldflow.orchestrate.engine import RetryRules, work_batch, work_until_idle
from coldflow.orchestrate.stages import RUNNERS, StageEnv, StageResult
from coldflow.research.models import Company
from tests.orchestrate.factory import campaign

RULES = RetryRules(max_attempts=3, backoff_seconds=30, lease_seconds=60)


def _states(made, stage):
    return dict(made.work_items.filter(stage=stage).values_list("subject_id", "state"))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_research_batch_queues_contacts_for_each_site_while_the_others_are_still_crawling(
    sandbox, monkeypatch
):
    monkeypatch.setenv("SANDBOX", "true")
    monkeypatch.setenv("SANDBOX_STATE_DIR", str(sandbox.state_dir))
    monkeypatch.setenv("CRAWL_DELAY", "0.05")
    made = campaign("running")
    domains = [c.domain for c in sandbox.world.companies[:8]]
    ids = [Company.objects.create(workspace=made.workspace, domain=d).pk for d in domains]
    workitems.enqueue(made, "research", ids)
    still_running_at_each_handover = []

    def queued(stage):
        assert stage == "contacts"
        states = _states(made, "research")
        still_running_at_each_handover.append(sum(s == "running" for s in states.values()))

    report = work_batch("research", "w", StageEnv(load_settings()), RULES, on_queued=queued)

    assert report.items == 8
    assert report.done + report.failed + report.parked == 8
    # The first site went on to contacts while most of the batch was still being crawled.
    assert still_running_at_each_handover[0] >= 4
    assert len(still_running_at_each_handover) == report.done
    contacts = _states(made, "contacts")
    done = [s for s, state in _states(made, "research").items() if state == "done"]
    assert sorted(contacts) == sorted(done)
    assert Company.objects.filter(pk__in=done, research_status="researched").count() == len(done)


@pytest.mark.django_db
def test_items_settled_before_a_batch_breaks_stay_done_and_only_the_rest_are_retried(
    monkeypatch,
):
    made = campaign("running")
    workitems.enqueue(made, "research", [1, 2, 3])

    def half_then_crash(campaign, items, env, *, settle):
        settle(items[0], None, [items[0].subject_id])
        settle(items[1], "the site answered 500", [])
        raise RuntimeError("crawl thread died")

    monkeypatch.setitem(RUNNERS, "research", half_then_crash)
    report = work_batch("research", "w", None, RULES)
    assert (report.done, report.failed) == (1, 2)
    items = {i.subject_id: i for i in made.work_items.filter(stage="research")}
    assert items[1].state == "done"
    assert (items[2].state, items[2].last_error) == ("queued", "the site answered 500")
    assert (items[3].state, items[3].last_error) == ("queued", "RuntimeError: crawl thread died")
    assert _states(made, "contacts") == {1: "queued"}


@pytest.mark.django_db(transaction=True)
def test_the_threaded_in_process_worker_runs_every_item_once_and_stops_when_idle(monkeypatch):
    made = campaign("running")
    composed = []

    def leads(campaign, items, env):
        return StageResult(next_stage="compose", next_subjects={i.subject_id for i in items})

    def compose(campaign, items, env):
        composed.extend(i.subject_id for i in items)
        return StageResult()

    monkeypatch.setitem(RUNNERS, "leads", leads)
    monkeypatch.setitem(RUNNERS, "compose", compose)
    workitems.enqueue(made, "leads", range(1, 101))
    batches = []
    work_until_idle(None, RULES, worker="t", on_batch=batches.append, threads=3)
    assert sorted(composed) == list(range(1, 101))
    assert {b.stage for b in batches} == {"leads", "compose"}
    assert set(made.work_items.values_list("state", flat=True)) == {"done"}
