import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections
from django.utils import timezone

from coldflow.campaigns.models import WorkItem
from coldflow.orchestrate import workitems
from coldflow.orchestrate.engine import RetryRules, work_batch
from coldflow.orchestrate.policy import LIMITS, backoff, claimable, query_batches
from coldflow.orchestrate.stages import RUNNERS, StageResult
from tests.orchestrate.factory import campaign

RULES = RetryRules(max_attempts=3, backoff_seconds=30, lease_seconds=60)


def test_backoff_doubles_and_is_capped():
    assert [backoff(n, 30).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(30, 30).total_seconds() == 3600


def test_a_claim_never_exceeds_the_batch_or_the_stage_concurrency():
    limits = LIMITS["research"]
    assert claimable("research", 0) == limits.batch
    assert claimable("research", limits.concurrency - 3) == 3
    assert claimable("research", limits.concurrency) == 0


def test_query_batches_cover_every_query_once():
    assert query_batches(25, 10) == [(0, 10), (10, 20), (20, 25)]
    assert query_batches(0, 10) == []


@pytest.mark.django_db
def test_enqueueing_twice_keeps_one_item_per_subject():
    made = campaign("running")
    workitems.enqueue(made, "research", [1, 2, 3])
    workitems.enqueue(made, "research", [2, 3, 4])
    assert sorted(made.work_items.values_list("subject_id", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_two_workers_claiming_the_same_stage_never_take_the_same_item():
    made = campaign("running")
    workitems.enqueue(made, "compose", range(1, 41))
    first = workitems.claim("compose", "worker-a")
    second = workitems.claim("compose", "worker-b")
    third = workitems.claim("compose", "worker-c")
    ids = [i.pk for i in first + second + third]
    assert len(ids) == len(set(ids)) == 40
    assert {i.claimed_by.split("/")[0] for i in first} == {"worker-a"}
    assert all(i.attempts == 1 and i.state == "running" for i in first + second)


@pytest.mark.django_db(transaction=True)
def test_workers_racing_in_threads_split_the_items_without_overlap():
    made = campaign("running")
    workitems.enqueue(made, "compose", range(1, 201))
    taken: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def work(name: str) -> None:
        try:
            start.wait()
            while items := workitems.claim("compose", name):
                taken[name] += [i.pk for i in items]
                workitems.finish(items)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=work, args=(n,)) for n in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = taken["a"] + taken["b"]
    assert len(everything) == len(set(everything)) == 200


@pytest.mark.django_db
def test_a_paused_campaign_has_nothing_to_claim():
    made = campaign("paused")
    workitems.enqueue(made, "compose", [1])
    assert workitems.claim("compose", "w") == []


@pytest.fixture
def failing_stage(monkeypatch):
    calls = []

    def broken(campaign, items, env):
        calls.append([i.subject_id for i in items])
        return StageResult(failed={i.pk: "the site answered 500" for i in items})

    monkeypatch.setitem(RUNNERS, "leads", broken)
    return calls


def _due_now(made):
    made.work_items.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db
def test_a_poison_item_is_retried_with_backoff_then_parked_with_its_error(failing_stage):
    made = campaign("running")
    workitems.enqueue(made, "leads", [7])
    first = work_batch("leads", "w", None, RULES)
    item = made.work_items.get()
    assert (first.failed, item.state, item.attempts) == (1, "queued", 1)
    assert item.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert work_batch("leads", "w", None, RULES).items == 0, "not before its backoff"
    _due_now(made)
    work_batch("leads", "w", None, RULES)
    _due_now(made)
    last = work_batch("leads", "w", None, RULES)
    item.refresh_from_db()
    assert (last.parked, item.state, item.attempts) == (1, "parked", 3)
    assert item.last_error == "the site answered 500"
    assert failing_stage == [[7], [7], [7]]


@pytest.mark.django_db
def test_an_exception_in_a_stage_fails_its_batch_without_stopping_other_campaigns(monkeypatch):
    healthy, broken = campaign("running"), campaign("running")

    def runner(campaign, items, env):
        if campaign.pk == broken.pk:
            raise RuntimeError("boom")
        return StageResult()

    monkeypatch.setitem(RUNNERS, "leads", runner)
    workitems.enqueue(healthy, "leads", [1])
    workitems.enqueue(broken, "leads", [1])
    report = work_batch("leads", "w", None, RULES)
    assert (report.done, report.failed) == (1, 1)
    assert broken.work_items.get().last_error == "RuntimeError: boom"
    assert healthy.work_items.get().state == "done"


@pytest.mark.django_db
def test_items_of_a_killed_worker_are_queued_again_after_the_lease_and_parked_when_spent():
    made = campaign("running")
    workitems.enqueue(made, "compose", [1, 2])
    workitems.claim("compose", "killed")
    assert workitems.requeue_expired(60, max_attempts=3) == (0, 0), "lease still valid"
    long_ago = timezone.now() - timedelta(seconds=120)
    made.work_items.filter(subject_id=2).update(attempts=3)
    made.work_items.update(claimed_at=long_ago)
    assert workitems.requeue_expired(60, max_attempts=3) == (1, 1)
    states = dict(made.work_items.values_list("subject_id", "state"))
    assert states == {1: "queued", 2: "parked"}
    assert [i.subject_id for i in workitems.claim("compose", "other")] == [1]


@pytest.mark.django_db
def test_a_late_finish_by_a_worker_whose_item_was_taken_over_changes_nothing():
    made = campaign("running")
    workitems.enqueue(made, "compose", [1])
    [old] = workitems.claim("compose", "slow")
    made.work_items.update(claimed_at=timezone.now() - timedelta(hours=1))
    workitems.requeue_expired(60, max_attempts=5)
    [new] = workitems.claim("compose", "fast")
    assert workitems.finish([old]) == 0
    assert WorkItem.objects.get(pk=new.pk).state == "running"
    assert workitems.finish([new]) == 1


@pytest.mark.django_db
def test_running_a_stage_again_queues_done_items_once_more(monkeypatch):
    made = campaign("running")
    seen = []
    monkeypatch.setitem(
        RUNNERS, "leads", lambda c, items, env: seen.append(len(items)) or StageResult()
    )
    workitems.enqueue(made, "leads", [1, 2])
    work_batch("leads", "w", None, RULES)
    assert workitems.enqueue(made, "leads", [1, 2], again=False) == 0
    assert work_batch("leads", "w", None, RULES).items == 0
    assert workitems.enqueue(made, "leads", [1, 2]) == 2
    work_batch("leads", "w", None, RULES)
    assert seen == [2, 2]
    assert made.work_items.filter(state="done").count() == 2
