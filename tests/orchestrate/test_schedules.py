import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import coldflow
from coldflow.jobs.schedules import ScheduleError, parse_cron, period, run_exclusively


def test_schedules_are_five_cron_fields_or_off():
    assert parse_cron("*/5 * * * *") == ("*/5", "*", "*", "*", "*")
    assert parse_cron(" off ") is None
    with pytest.raises(ScheduleError):
        parse_cron("*/5 * *")


def test_the_period_of_a_schedule_is_its_shortest_gap():
    assert period(("*", "*", "*", "*", "*")) == timedelta(minutes=1)
    assert period(("*/5", "*", "*", "*", "*")) == timedelta(minutes=5)
    assert period(("30", "3", "*", "*", "*")) == timedelta(days=1)


@pytest.mark.django_db
def test_a_run_that_finds_the_previous_one_still_going_is_skipped():
    ran = []

    def inner():
        ran.append("inner")

    def outer():
        ran.append("outer")
        assert not run_exclusively("job", timedelta(minutes=1), inner)

    assert run_exclusively("job", timedelta(minutes=1), outer)
    assert run_exclusively("job", timedelta(minutes=1), inner), "released after the run"
    assert ran == ["outer", "inner"]


def test_periodic_jobs_use_one_mechanism():
    package = Path(coldflow.__file__).parent
    others = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"\b(db_)?periodic_task\(", path.read_text(encoding="utf-8"))
        and path != package / "jobs" / "schedules.py"
    ]
    assert not others, f"periodic jobs outside exclusive_periodic_task: {others}"


def test_the_inbox_read_and_the_webhook_sweep_run_on_their_default_schedules():
    from coldflow.listen.tasks import poll_inboxes
    from coldflow.webhooks.tasks import webhooks_tick

    inbox, webhooks = poll_inboxes.s(), webhooks_tick.s()
    assert inbox.validate_datetime(datetime(2024, 1, 1, 9, 4))
    assert not inbox.validate_datetime(datetime(2024, 1, 1, 9, 5))
    assert webhooks.validate_datetime(datetime(2024, 1, 1, 9, 5))
