"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
COLDFLOW = [sys.executable, "-m", "coldflow.cli.main"]


def services_url() -> tuple[str, str] | None:
    """The PostgreSQL and Redis of the services pass, or None in the SQLite pass."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if database_url.startswith("postgres") and redis_url:
        return database_url, redis_url
    return None


@pytest.fixture(autouse=True)
def _immediate_jobs():
    """Unit tests run jobs inline; tests of real workers use subprocesses instead."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


class Instance:
    """A brand-new installation for tests that run the `coldflow` command in a subprocess."""

    def __init__(self, env: dict[str, str], data_dir: Path):
        self.env = env
        self.data_dir = data_dir

    def run(self, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*COLDFLOW, *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.data_dir.parent,
        )

    def popen(self, *args: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen(
            [*COLDFLOW, *args],
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=self.data_dir.parent,
        )

    def python(self, code: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
        """Run Python with this installation's Django set up (to enqueue jobs, read tables)."""
        prologue = (
            "import django, os\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'coldflow.config.django_settings')\n"
            "django.setup()\n"
        )
        return subprocess.run(
            [sys.executable, "-c", prologue + code],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.data_dir.parent,
        )


@pytest.fixture
def instance(tmp_path) -> Iterator[Instance]:
    """A fresh installation: its own data directory, and in the services pass its own
    PostgreSQL database and Redis queue name."""
    data_dir = tmp_path / "data"
    config = tmp_path / "coldflow.toml"
    config.write_text("", encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL")
    }
    env.update(
        COLDFLOW_DATA_DIR=str(data_dir),
        COLDFLOW_CONFIG=str(config),
        QUEUE_NAME=f"test-{uuid.uuid4().hex[:12]}",
        PYTHONPATH=str(REPO),
    )
    services = services_url()
    database_name = None
    if services:
        database_url, redis_url = services
        database_name = f"coldflow_test_{uuid.uuid4().hex[:12]}"
        _postgres_admin(database_url, f'CREATE DATABASE "{database_name}"')
        parts = urlsplit(database_url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database_name}"))
        env["REDIS_URL"] = redis_url
    yield Instance(env, data_dir)
    if database_name:
        _postgres_admin(services[0], f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')


def _postgres_admin(database_url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture(scope="session")
def world():
    """The default sandbox world (seed 1, 60 companies), generated once."""
    from coldflow.sandbox.world import generate_world

    return generate_world()


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """The default sandbox world running on loopback for the whole session."""
    from coldflow.sandbox.runner import background_world

    with background_world(tmp_path_factory.mktemp("sandbox-state")) as running:
        yield running
