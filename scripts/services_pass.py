"""The services pass of `make test`: the whole suite again on PostgreSQL and Redis.

Uses TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres) and
TEST_REDIS_URL (default redis://127.0.0.1:6379/15). Each run gets a fresh database, dropped at
the end. Where the servers are missing, the pass is skipped with the reason, except under
CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def unreachable() -> str | None:
    import psycopg
    import redis

    try:
        psycopg.connect(POSTGRES, connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL at {POSTGRES} unreachable ({str(exc).strip().splitlines()[0]})"
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis at {REDIS} unreachable ({exc})"
    return None


def admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(statement)


def main() -> int:
    reason = unreachable()
    if reason:
        if os.environ.get("CI") == "true":
            print(f"services pass FAILED: {reason}; CI requires PostgreSQL and Redis")
            return 1
        print(f"services pass SKIPPED: {reason}")
        return 0

    name = f"coldflow_ci_{uuid.uuid4().hex[:10]}"
    admin(f'CREATE DATABASE "{name}"')
    database_url = urlunsplit(urlsplit(POSTGRES)._replace(path=f"/{name}"))
    print(f"services pass: PostgreSQL database {name}, Redis {REDIS}", flush=True)
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS}
    try:
        return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], env=env)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
