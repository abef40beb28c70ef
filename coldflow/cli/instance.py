"""An installation's life: its data directory, secrets, database and queue.

Functions here raise ConfigError (naming the setting at fault) or InstanceError with a message a
user can act on; the CLI prints either as one line.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from coldflow.config.loader import SECRETS_FILE, Config, ConfigError, load_settings, redact
from coldflow.errors import UserError


class InstanceError(UserError):
    pass


def prepare_data_dir(config: Config) -> Path:
    path = config.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            "COLDFLOW_DATA_DIR", f"cannot write to {path}: {exc.strerror or exc}"
        ) from None
    return path


def ensure_secrets(config: Config) -> Config:
    """Generate SECRET_KEY and ENCRYPTION_KEY into the data directory where they are not set.

    Returns the configuration as it reads afterwards.
    """
    from coldflow.crypto import generate_key

    missing = {}
    if not config["SECRET_KEY"]:
        missing["SECRET_KEY"] = secrets.token_urlsafe(50)
    if not config["ENCRYPTION_KEY"]:
        missing["ENCRYPTION_KEY"] = generate_key()
    if missing:
        path = config.data_dir / SECRETS_FILE
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        lines = [existing.rstrip("\n")] if existing.strip() else []
        lines += [f'{name} = "{value}"' for name, value in missing.items()]
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    return load_settings()


def boot_django(config: Config) -> None:
    """Set Django up. The data directory must exist first: the embedded queue lives there."""
    import django

    prepare_data_dir(config)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coldflow.config.django_settings")
    django.setup()


def check_database(config: Config) -> str:
    """Connect and run a query; returns a description of the database."""
    from django.db import connection
    from django.db.utils import Error as DatabaseError

    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        where = redact(config["DATABASE_URL"]) or str(config.sqlite_path)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError("DATABASE_URL", f"cannot connect to {where}: {reason}") from None
    if connection.vendor == "sqlite":
        return f"SQLite at {connection.settings_dict['NAME']}"
    return f"PostgreSQL {connection.pg_version // 10000} at {redact(config['DATABASE_URL'])}"


def check_queue(config: Config) -> str:
    if not config["REDIS_URL"]:
        return f"embedded SQLite queue at {config.data_dir / 'queue.sqlite3'}"
    import redis

    try:
        client = redis.Redis.from_url(config["REDIS_URL"], socket_connect_timeout=3)
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        raise ConfigError(
            "REDIS_URL", f"cannot connect to {redact(config['REDIS_URL'])}: {exc}"
        ) from None
    return f"Redis at {redact(config['REDIS_URL'])}"


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def check_encryption_key(config: Config) -> None:
    """Every machine sharing a database must encrypt with the same key: compare fingerprints."""
    from coldflow.jobs.models import InstanceFact

    fingerprint = _fingerprint(config["ENCRYPTION_KEY"].split(",")[0].strip())
    fact, created = InstanceFact.objects.get_or_create(
        name="encryption_key_fingerprint", defaults={"value": fingerprint}
    )
    if not created and fact.value != fingerprint:
        raise ConfigError(
            "ENCRYPTION_KEY",
            "differs from the key this database was initialised with; use the same "
            "ENCRYPTION_KEY (and SECRET_KEY) on every machine that shares the database",
        )


def _fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def require_initialised(config: Config) -> None:
    if not config["SECRET_KEY"] or not config["ENCRYPTION_KEY"]:
        raise InstanceError(
            f"this installation is not initialised (no keys in {config.data_dir}): "
            "run `coldflow init` first"
        )
    if pending_migrations():
        raise InstanceError("the database schema is not up to date: run `coldflow init`")
