"""DATABASE_URL → Django's DATABASES entry."""

from __future__ import annotations

from typing import Any

import dj_database_url

from coldflow.config.loader import Config

# WAL lets the web server read while a worker writes; IMMEDIATE transactions take the write
# lock up front, so two writers queue on the busy timeout instead of failing with
# "database is locked" when a read transaction tries to upgrade.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
}


def database_settings(config: Config) -> dict[str, Any]:
    url = config["DATABASE_URL"]
    if not url:
        path = config.sqlite_path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": dict(SQLITE_OPTIONS),
            # Tests get a file too, not Django's shared-cache in-memory default: threads in a
            # test then wait on the busy timeout like production's do, instead of failing at
            # once with "database table is locked".
            "TEST": {"NAME": str(path.with_name(f"test-{path.name}"))},
        }
    settings = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        settings["OPTIONS"] = dict(SQLITE_OPTIONS)
        settings["CONN_MAX_AGE"] = 0
    else:
        settings.setdefault("OPTIONS", {})["connect_timeout"] = 5
    return settings
