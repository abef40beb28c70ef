"""How webhook delivery behaves, as one plain value read from the settings registry."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from coldflow.config.loader import Config
from coldflow.network import Network

MAX_RETRY_DELAY = timedelta(hours=6)


@dataclass(frozen=True)
class WebhookSettings:
    timeout: float = 10.0
    max_attempts: int = 8
    retry_after: timedelta = timedelta(seconds=30)
    # Loopback receivers allowed (WEBHOOK_ALLOW_LOOPBACK, or the sandbox). Private addresses
    # never are.
    allow_loopback: bool = False
    nameserver: str | None = None
    nameserver_port: int = 53
    # Bytes of a receiver's answer kept in the delivery log.
    excerpt_bytes: int = 500

    def retry_delay(self, attempt: int, rng: random.Random | None = None) -> timedelta:
        """Wait after the `attempt`-th failed attempt (1-based): doubling from `retry_after`,
        capped at six hours, with "equal jitter" (half fixed, half random) so that the
        deliveries of an endpoint that was down do not all come back in the same second."""
        base = min(self.retry_after * (2 ** max(attempt - 1, 0)), MAX_RETRY_DELAY)
        fraction = (rng or random).random()
        return base / 2 + (base / 2) * fraction


def webhook_settings(config: Config, network: Network) -> WebhookSettings:
    return WebhookSettings(
        timeout=config["WEBHOOK_TIMEOUT"],
        max_attempts=max(1, config["WEBHOOK_MAX_ATTEMPTS"]),
        retry_after=timedelta(seconds=config["WEBHOOK_RETRY_SECONDS"]),
        allow_loopback=config["WEBHOOK_ALLOW_LOOPBACK"] or network.allow_loopback,
        nameserver=network.nameserver,
        nameserver_port=network.nameserver_port,
    )


def current_webhook_settings() -> WebhookSettings:
    from coldflow.config.loader import load_settings
    from coldflow.network import network_from_config

    config = load_settings()
    return webhook_settings(config, network_from_config(config))
