import time
import urllib.request
import uuid

import pytest

from tests.foundation.ports import free_port

pytestmark = pytest.mark.slow


def wait_for(predicate, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except OSError:
        return None


def test_run_serves_the_login_page_and_executes_a_job_enqueued_before_it_started(instance):
    assert instance.run("init").returncode == 0
    token = uuid.uuid4().hex
    enqueue = instance.python(f"from coldflow.jobs.tasks import ping\nping({token!r})")
    assert enqueue.returncode == 0, enqueue.stderr

    port = free_port()
    process = instance.popen("run", "--port", str(port))
    try:
        page = wait_for(lambda: get(f"http://127.0.0.1:{port}/login/"))
        assert page is not None, "the web server did not answer"
        status, body = page
        assert status == 200
        assert 'name="password"' in body

        def ping_count():
            result = instance.python(
                "from coldflow.analytics.models import Event\n"
                f"print(Event.objects.filter(kind='system.ping', data__token={token!r}).count())"
            )
            return int(result.stdout.strip() or 0)

        assert wait_for(ping_count) == 1
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_second_scheduler_is_refused(instance):
    assert instance.run("init").returncode == 0
    first = instance.popen("worker", "--scheduler")
    try:
        held = wait_for(
            lambda: (
                instance.python(
                    "from coldflow.jobs.models import SchedulerLease\n"
                    "print(SchedulerLease.objects.count())"
                ).stdout.strip()
                == "1"
            )
        )
        assert held
        second = instance.run("worker", "--scheduler", timeout=60)
        assert second.returncode == 1
        assert "another scheduler is running" in second.stderr
    finally:
        first.terminate()
        first.wait(timeout=20)
