"""`coldflow check`: every check runs, each reports in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coldflow.cli import instance
from coldflow.config.loader import ConfigError, load_settings


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


def _attempt(name: str, fn: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, True, fn())
    except (ConfigError, instance.InstanceError) as exc:
        return CheckResult(name, False, str(exc))


def run_checks() -> list[CheckResult]:
    try:
        config = load_settings()
    except ConfigError as exc:
        return [CheckResult("configuration", False, str(exc))]

    source = f"from {config.config_file}" if config.config_file else "environment and defaults"
    results = [CheckResult("configuration", True, f"valid ({source})")]
    results.append(_attempt("data directory", lambda: str(instance.prepare_data_dir(config))))

    def keys() -> str:
        if not config["SECRET_KEY"] or not config["ENCRYPTION_KEY"]:
            raise instance.InstanceError("SECRET_KEY/ENCRYPTION_KEY missing: run `coldflow init`")
        return "SECRET_KEY and ENCRYPTION_KEY present"

    results.append(_attempt("keys", keys))
    instance.boot_django(config)
    database = _attempt("database", lambda: instance.check_database(config))
    results.append(database)
    if database.ok:

        def schema() -> str:
            pending = instance.pending_migrations()
            if pending:
                raise instance.InstanceError(
                    f"{len(pending)} migrations not applied: run `coldflow init`"
                )
            return "up to date"

        results.append(_attempt("schema", schema))
    results.append(_attempt("job queue", lambda: instance.check_queue(config)))
    return results
