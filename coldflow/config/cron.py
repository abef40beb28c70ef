"""Cron schedules in settings (`SCHEDULE_…`): five fields, or `off`. Checked when the
settings are read, so a typo stops `coldflow check` and every command with the setting's name,
not a worker at start-up."""

from __future__ import annotations

from coldflow.errors import UserError

Fields = tuple[str, str, str, str, str]


class ScheduleError(UserError):
    pass


def parse_cron(text: str) -> Fields | None:
    """Five cron fields (minute hour day month weekday), or None for `off`/empty."""
    from huey import crontab

    text = " ".join(text.split())
    if text.lower() in ("", "off", "never"):
        return None
    fields = text.split(" ")
    if len(fields) != 5:
        raise ScheduleError(
            f"schedule {text!r}: expected five cron fields (minute hour day month weekday)"
        )
    try:
        crontab(*fields)
    except ValueError as exc:
        raise ScheduleError(f"schedule {text!r}: {exc}") from None
    return tuple(fields)  # type: ignore[return-value]
