"""Thin Huey tasks: each calls plain functions elsewhere."""

from huey.contrib.djhuey import db_task

from coldflow.analytics.events import record
from coldflow.jobs.scheduler import worker_identity


@db_task()
def ping(token: str) -> None:
    """Proves a worker is alive and consuming: `coldflow check --worker` and tests use it."""
    record("system.ping", data={"token": token, "worker": worker_identity()})
