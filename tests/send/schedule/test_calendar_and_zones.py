"""Business days, sending windows and recipient time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from coldflow.send.schedule.business_days import (
    BusinessCalendar,
    SendingWindow,
    after_business_days,
    parse_holidays,
    zone,
)
from coldflow.send.schedule.timezones import recipient_timezone

FRIDAY = date(2025, 3, 7)


def test_business_days_skip_weekends_and_holidays():
    calendar = BusinessCalendar(holidays=parse_holidays(["2025-03-10"]))
    assert calendar.add_business_days(FRIDAY, 0) == FRIDAY
    assert calendar.add_business_days(FRIDAY, 1) == date(2025, 3, 11)  # Monday is a holiday
    assert calendar.add_business_days(FRIDAY, 3) == date(2025, 3, 13)
    assert calendar.next_business_day(date(2025, 3, 8)) == date(2025, 3, 11)


def test_custom_weekdays_count_only_those_days():
    sunday_to_thursday = BusinessCalendar(frozenset({7, 1, 2, 3, 4}))
    assert sunday_to_thursday.add_business_days(date(2025, 3, 6), 1) == date(2025, 3, 9)


def test_a_follow_up_is_due_at_the_same_local_time_across_a_dst_change():
    sent = datetime(2025, 3, 28, 9, 30, tzinfo=UTC)  # Friday 10:30 in Berlin (CET)
    due = after_business_days(sent, 1, BusinessCalendar(), "Europe/Berlin")
    local = due.astimezone(zone("Europe/Berlin"))
    assert (local.date(), local.time()) == (date(2025, 3, 31), time(10, 30))  # CEST by then


def test_windows_are_local_half_open_and_may_wrap_or_cover_the_day():
    calendar = BusinessCalendar()
    berlin = zone("Europe/Berlin")
    office = SendingWindow(time(9), time(17), calendar)
    assert office.is_open(datetime(2025, 3, 4, 9, 0, tzinfo=berlin))
    assert not office.is_open(datetime(2025, 3, 4, 17, 0, tzinfo=berlin))
    assert not office.is_open(datetime(2025, 3, 8, 12, 0, tzinfo=berlin))  # Saturday
    night = SendingWindow(time(22), time(2), calendar)
    assert night.is_open(datetime(2025, 3, 4, 1, 0, tzinfo=berlin))
    assert not night.is_open(datetime(2025, 3, 4, 12, 0, tzinfo=berlin))
    all_day = SendingWindow(time(0), time(0), calendar)
    assert all_day.is_open(datetime(2025, 3, 4, 23, 59, tzinfo=berlin))
    friday_evening = datetime(2025, 3, 7, 18, 0, tzinfo=UTC)
    opening = office.next_open(friday_evening, "Europe/Berlin")
    assert opening.astimezone(berlin) == datetime(2025, 3, 10, 9, 0, tzinfo=berlin)


@pytest.mark.parametrize(
    ("country", "city", "zone_name"),
    [
        ("DE", "", "Europe/Berlin"),
        ("DE", "München", "Europe/Berlin"),
        ("FR", "Lyon", "Europe/Paris"),
        ("gb", "", "Europe/London"),
        ("UK", "London", "Europe/London"),
        ("US", "", "America/New_York"),
        ("US", "San Francisco", "America/Los_Angeles"),
        ("US", "Austin, TX", "America/Chicago"),
        ("US", "Denver", "America/Denver"),
        ("US", "Somewhere, AZ", "America/Phoenix"),
        ("CA", "Vancouver", "America/Vancouver"),
        ("CA", "Calgary, AB", "America/Edmonton"),
        ("AU", "Perth", "Australia/Perth"),
        ("AU", "", "Australia/Sydney"),
        ("BR", "São Paulo", "America/Sao_Paulo"),
        ("ES", "Las Palmas de Gran Canaria", "Atlantic/Canary"),
        ("RU", "Novosibirsk", "Asia/Novosibirsk"),
        ("IN", "Bengaluru", "Asia/Kolkata"),
    ],
)
def test_recipient_time_zones_come_from_country_and_city(country, city, zone_name):
    assert recipient_timezone(country, city) == zone_name


def test_an_unknown_country_falls_back_to_the_campaigns_zone():
    assert recipient_timezone("", "", fallback="Europe/Paris") == "Europe/Paris"
    assert recipient_timezone("ZZ", "Nowhere", fallback="Asia/Tokyo") == "Asia/Tokyo"
