"""Business days and sending windows: which local days and hours a campaign may send in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def parse_holidays(values: Iterable[str | date]) -> frozenset[date]:
    """Campaign holidays as stored ("YYYY-MM-DD" strings) → dates; bad entries are errors."""
    days = set()
    for value in values:
        days.add(value if isinstance(value, date) else date.fromisoformat(str(value).strip()))
    return frozenset(days)


@dataclass(frozen=True)
class BusinessCalendar:
    """ISO weekdays (1 = Monday) that are working days, minus holidays."""

    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    holidays: frozenset[date] = field(default_factory=frozenset)

    def is_business_day(self, day: date) -> bool:
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def add_business_days(self, day: date, count: int) -> date:
        """The `count`-th business day after `day` (`day` itself when count is 0)."""
        if count <= 0:
            return day
        if not self.weekdays:
            raise ValueError("a calendar without working weekdays has no business days")
        current = day
        while count:
            current += timedelta(days=1)
            if self.is_business_day(current):
                count -= 1
        return current

    def next_business_day(self, day: date) -> date:
        """`day` itself if it is a business day, else the next one."""
        if not self.weekdays:
            raise ValueError("a calendar without working weekdays has no business days")
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day


def after_business_days(
    sent_at: datetime, count: int, calendar: BusinessCalendar, tz: str
) -> datetime:
    """When a step `count` business days after `sent_at` becomes due.

    Counted in `tz` (the recipient's zone): the same local clock time `count` business days
    later. The sending window then decides the exact minute.
    """
    if count <= 0:
        return sent_at
    local = sent_at.astimezone(zone(tz))
    day = calendar.add_business_days(local.date(), count)
    wall = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone(tz))
    return wall.astimezone(sent_at.tzinfo)


@dataclass(frozen=True)
class SendingWindow:
    """Local hours on business days: [start, end), wrapping past midnight when start > end;
    start == end means the whole day."""

    start: time
    end: time
    calendar: BusinessCalendar

    def is_open(self, local: datetime) -> bool:
        if not self.calendar.is_business_day(local.date()):
            return False
        now = local.time().replace(tzinfo=None)
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def next_open(self, moment: datetime, tz: str) -> datetime | None:
        """The first instant at or after `moment` when the window is open in `tz`."""
        local = moment.astimezone(zone(tz))
        if self.is_open(local):
            return moment
        if not self.calendar.weekdays:
            return None
        day = local.date()
        first = time(0) if self.start == self.end else self.start
        for _ in range(400):
            opening = datetime.combine(day, first, tzinfo=zone(tz))
            if opening >= local and self.is_open(opening):
                return opening.astimezone(moment.tzinfo)
            day += timedelta(days=1)
        return None
