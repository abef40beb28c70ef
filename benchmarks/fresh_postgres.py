"""A benchmark's own PostgreSQL database: created and dropped through the server's admin
database, and Django booted on it with the schema migrated (no Redis, a throwaway data dir)."""

from __future__ import annotations

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit


def admin(url: str, statement: str) -> None:
    import psycopg

    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def boot(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["COLDFLOW_DATA_DIR"] = tempfile.mkdtemp(prefix="coldflow-bench-")
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")
    os.environ.setdefault("ENCRYPTION_KEY", "q2Yj8JmHkFvA3W0y1Qp5rXb7c9Td2EeGfLhNiOjUkSs=")
    os.environ["DJANGO_SETTINGS_MODULE"] = "coldflow.config.django_settings"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
