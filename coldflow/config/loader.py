"""Read, type and validate settings from the environment and coldflow.toml."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from coldflow.config.cron import ScheduleError, parse_cron
from coldflow.config.registry import BY_NAME, RETIRED, SETTINGS, Setting

SECRETS_FILE = "secrets.toml"


class ConfigError(Exception):
    """A setting has a value coldflow cannot use. The message names the setting."""

    def __init__(self, setting: str, problem: str):
        self.setting = setting
        self.problem = problem
        super().__init__(f"{setting}: {problem}")


@dataclass(frozen=True)
class Config:
    values: Mapping[str, Any]
    # Where each value came from: "env", "file", "secrets" or "default".
    sources: Mapping[str, str] = field(default_factory=dict)
    config_file: Path | None = None

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def data_dir(self) -> Path:
        return self.values["COLDFLOW_DATA_DIR"]

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "coldflow.sqlite3"

    @property
    def uses_postgres(self) -> bool:
        return self.values["DATABASE_URL"].startswith(("postgres://", "postgresql://"))


def load_settings(env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    config_file = _find_config_file(env)
    file_values = _read_toml(config_file) if config_file else {}
    _refuse_retired(env, file_values, config_file)

    unknown = sorted(set(file_values) - set(BY_NAME))
    if unknown:
        raise ConfigError(unknown[0], f"unknown setting in {config_file}")

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for setting in SETTINGS:
        raw, source = _raw_value(setting, env, file_values)
        values[setting.name] = _convert(setting, raw)
        sources[setting.name] = source

    data_dir = values["COLDFLOW_DATA_DIR"]
    for name, value in _read_secrets(data_dir).items():
        if name in BY_NAME and not values[name]:
            values[name] = value
            sources[name] = "secrets"

    _validate(values)
    return Config(values=values, sources=sources, config_file=config_file)


def _refuse_retired(
    env: Mapping[str, str], file_values: Mapping[str, Any], config_file: Path | None
) -> None:
    for name, replacement in RETIRED.items():
        if name in env:
            value, where = env[name], "the environment"
        elif f"{name}_FILE" in env:
            value, where = "", f"the environment ({name}_FILE)"
        elif name in file_values:
            value, where = file_values[name], str(config_file)
        else:
            continue
        raise ConfigError(
            name,
            f"no longer read (set in {where}); remove it and set "
            f"{replacement(str(value).strip())} instead",
        )


def _find_config_file(env: Mapping[str, str]) -> Path | None:
    if env.get("COLDFLOW_CONFIG"):
        path = Path(env["COLDFLOW_CONFIG"]).expanduser()
        if not path.is_file():
            raise ConfigError("COLDFLOW_CONFIG", f"no such file: {path}")
        return path
    for candidate in (Path("coldflow.toml"), _default_data_dir(env) / "coldflow.toml"):
        if candidate.is_file():
            return candidate
    return None


def _default_data_dir(env: Mapping[str, str]) -> Path:
    raw = env.get("COLDFLOW_DATA_DIR") or BY_NAME["COLDFLOW_DATA_DIR"].default
    return Path(raw).expanduser()


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("COLDFLOW_CONFIG", f"cannot read {path}: {exc}") from exc
    # Keys may be written in any case in the file: `database_url = "…"`.
    return {key.upper(): value for key, value in data.items()}


def _read_secrets(data_dir: Path) -> dict[str, str]:
    path = data_dir / SECRETS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError("COLDFLOW_DATA_DIR", f"cannot read {path}: {exc.strerror}") from exc
    try:
        return {k: str(v) for k, v in tomllib.loads(text).items()}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("COLDFLOW_DATA_DIR", f"{path} is damaged: {exc}") from exc


def _raw_value(setting: Setting, env: Mapping[str, str], file_values: Mapping[str, Any]):
    if setting.name in env:
        return env[setting.name], "env"
    file_var = f"{setting.name}_FILE"
    if env.get(file_var):
        try:
            return Path(env[file_var]).read_text(encoding="utf-8").strip(), "env"
        except OSError as exc:
            raise ConfigError(file_var, f"cannot read {env[file_var]}: {exc.strerror}") from exc
    if setting.name in file_values:
        return file_values[setting.name], "file"
    return setting.default, "default"


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _convert(setting: Setting, raw: Any) -> Any:
    name = setting.name
    if setting.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ConfigError(name, f"expected true or false, got {raw!r}")
    if setting.kind in ("int", "float"):
        number_type = int if setting.kind == "int" else float
        try:
            return number_type(raw)
        except (TypeError, ValueError):
            raise ConfigError(name, f"expected a number, got {raw!r}") from None
    if setting.kind == "path":
        return Path(str(raw)).expanduser() if str(raw) else None
    if setting.kind == "cron":
        try:
            fields = parse_cron(str(raw))
        except ScheduleError as exc:
            raise ConfigError(name, str(exc)) from None
        return " ".join(fields) if fields else "off"
    return str(raw).strip()


_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")
_REDIS_SCHEMES = ("redis", "rediss", "unix")


def _validate(values: dict[str, Any]) -> None:
    database_url = values["DATABASE_URL"]
    if database_url:
        parts = urlsplit(database_url)
        if parts.scheme not in _DATABASE_SCHEMES:
            raise ConfigError(
                "DATABASE_URL",
                f"unsupported or malformed URL {redact(database_url)!r}: expected "
                "postgresql://user:password@host:5432/dbname or sqlite:////path/to/file",
            )
        if parts.scheme.startswith("postgres"):
            try:
                parts.port  # noqa: B018 - raises on a malformed port
            except ValueError:
                raise ConfigError("DATABASE_URL", "the port is not a number") from None
            if not parts.hostname or not parts.path.strip("/"):
                raise ConfigError(
                    "DATABASE_URL", "a PostgreSQL URL needs a host and a database name"
                )

    redis_url = values["REDIS_URL"]
    if redis_url and urlsplit(redis_url).scheme not in _REDIS_SCHEMES:
        raise ConfigError(
            "REDIS_URL", f"malformed URL {redact(redis_url)!r}: expected redis://host:6379/0"
        )

    if values["LOG_LEVEL"].upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("LOG_LEVEL", "expected DEBUG, INFO, WARNING or ERROR")
    if not 0 < values["PORT"] < 65536:
        raise ConfigError("PORT", "expected a port number between 1 and 65535")
    if values["WORKERS"] < 1:
        raise ConfigError("WORKERS", "expected at least 1")
    if values["COLDFLOW_DATA_DIR"] is None:
        raise ConfigError("COLDFLOW_DATA_DIR", "must not be empty")


def redact(url: str) -> str:
    """The URL with its password replaced, for messages and `coldflow check`."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url
