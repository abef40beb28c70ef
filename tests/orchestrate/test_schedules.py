from datetime import timedelta

import pytest

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
