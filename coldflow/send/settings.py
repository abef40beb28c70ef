"""The send stage's settings as one plain value, read once from the registry."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from coldflow.config.loader import Config


@dataclass(frozen=True)
class SendSettings:
    # Signs unsubscribe links (the instance's SECRET_KEY).
    secret_key: str
    public_url: str = ""
    footer: str = ""
    postal_address: str = ""
    bounce_threshold: float = 0.02
    reaper_age: timedelta = timedelta(minutes=10)
    resolve_grace: timedelta = timedelta(minutes=30)
    requeue_after: timedelta = timedelta(minutes=10)
    max_attempts: int = 5
    retry_after: timedelta = timedelta(minutes=15)
    smtp_timeout: float = 60.0
    # Envelope sender per message (coldflow.listen.verp), so every bounce names its message.
    verp_return_path: bool = False

    def retry_delay(self, attempt: int) -> timedelta:
        """Wait before the next try after the `attempt`-th temporary failure (1-based)."""
        return self.retry_after * (2 ** max(attempt - 1, 0))


def send_settings(config: Config) -> SendSettings:
    return SendSettings(
        secret_key=config["SECRET_KEY"],
        public_url=config["PUBLIC_URL"].rstrip("/"),
        footer=config["SEND_FOOTER"],
        postal_address=config["SEND_POSTAL_ADDRESS"],
        bounce_threshold=config["SEND_BOUNCE_THRESHOLD"],
        reaper_age=timedelta(minutes=config["SEND_REAPER_MINUTES"]),
        resolve_grace=timedelta(minutes=config["SEND_RESOLVE_GRACE_MINUTES"]),
        requeue_after=timedelta(minutes=config["SEND_REQUEUE_MINUTES"]),
        max_attempts=config["SEND_MAX_ATTEMPTS"],
        retry_after=timedelta(minutes=config["SEND_RETRY_MINUTES"]),
        smtp_timeout=config["SEND_SMTP_TIMEOUT"],
        verp_return_path=config["VERP_RETURN_PATH"],
    )


def current_send_settings() -> SendSettings:
    """The settings of this process (Django's SECRET_KEY is the one in use)."""
    from django.conf import settings as django_settings

    from coldflow.config.loader import load_settings

    return replace(send_settings(load_settings()), secret_key=django_settings.SECRET_KEY)
