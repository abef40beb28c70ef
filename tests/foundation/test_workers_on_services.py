"""Scale-out: PostgreSQL + Redis, several worker processes, one queue."""

import time

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

JOBS = 200


def test_init_migrates_postgresql(instance):
    result = instance.run("init")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PostgreSQL" in result.stdout
    tables = instance.python(
        "from django.db import connection\n"
        "print(connection.vendor, 'send_outboundmessage' in connection.introspection.table_names())"
    )
    assert tables.stdout.strip() == "postgresql True", tables.stderr


def test_two_workers_drain_one_redis_queue_executing_each_job_exactly_once(instance):
    assert instance.run("init").returncode == 0

    def enqueue(first: int) -> None:
        code = (
            "from coldflow.jobs.tasks import ping\n"
            f"for i in range({first}, {first + JOBS}):\n    ping(f'job-{{i}}')\n"
        )
        result = instance.python(code)
        assert result.returncode == 0, result.stderr

    def executed() -> tuple[int, int]:
        counted = instance.python(
            "from coldflow.analytics.models import Event\n"
            "rows = Event.objects.filter(kind='system.ping')\n"
            "print(rows.count(), len({d['worker'] for d in rows.values_list('data', flat=True)}))"
        )
        done, workers = counted.stdout.split() or ("0", "0")
        return int(done), int(workers)

    workers = [instance.popen("worker", "--workers", "2") for _ in range(2)]
    enqueued = 0
    try:
        # On a loaded machine one worker can drain a batch while the other still boots: then
        # another batch, until both have taken jobs (at most three).
        for _ in range(3):
            enqueue(enqueued)
            enqueued += JOBS
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and (done := executed())[0] < enqueued:
                time.sleep(0.5)
            if done[1] == 2:
                break
        time.sleep(1)  # a duplicate would show up now
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)

    summary = instance.python(
        "from collections import Counter\n"
        "from coldflow.analytics.models import Event\n"
        "events = list(Event.objects.filter(kind='system.ping').values_list('data', flat=True))\n"
        "tokens = Counter(e['token'] for e in events)\n"
        "workers = {e['worker'] for e in events}\n"
        "print(len(events), len(tokens), max(tokens.values()), len(workers))"
    )
    total, distinct, most, worker_count = map(int, summary.stdout.split())
    assert (total, distinct, most) == (enqueued, enqueued, 1)
    assert worker_count == 2, "both worker processes should have taken jobs"
