"""REDIS_URL → the Huey queue: RedisHuey when set, the embedded SqliteHuey otherwise."""

from __future__ import annotations

from typing import Any

from coldflow.config.loader import Config


def huey_settings(config: Config) -> dict[str, Any]:
    common = {"name": config["QUEUE_NAME"], "immediate": False, "utc": True}
    if config["REDIS_URL"]:
        import redis

        # Connections are made lazily: building the pool reaches no server.
        pool = redis.ConnectionPool.from_url(
            config["REDIS_URL"], socket_connect_timeout=5, health_check_interval=30
        )
        return {
            **common,
            "huey_class": "huey.RedisHuey",
            "connection": {"connection_pool": pool},
        }
    return {
        **common,
        "huey_class": "huey.SqliteHuey",
        "connection": {"filename": str(config.data_dir / "queue.sqlite3"), "timeout": 30},
    }
