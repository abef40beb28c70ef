"""Credentials at rest: Fernet encryption keyed by the ENCRYPTION_KEY setting.

ENCRYPTION_KEY may hold several comma-separated keys: the first encrypts, all decrypt, so keys
can be rotated without losing what was stored under an older one.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.db import models

from coldflow.config.loader import ConfigError


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


@cache
def _cipher(keys: str) -> MultiFernet:
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise ConfigError("ENCRYPTION_KEY", "not set: run `coldflow init` to generate one")
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in parts])
    except (ValueError, UnicodeEncodeError):
        raise ConfigError(
            "ENCRYPTION_KEY", "not a valid Fernet key (32 url-safe base64 bytes)"
        ) from None


def _current_cipher() -> MultiFernet:
    from django.conf import settings

    return _cipher(settings.ENCRYPTION_KEY)


def encrypt(plaintext: str) -> str:
    return _current_cipher().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current_cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ConfigError(
            "ENCRYPTION_KEY", "a stored credential cannot be decrypted with the configured key"
        ) from None


class EncryptedTextField(models.TextField):
    """A text column whose value is stored Fernet-encrypted; Python code sees plaintext."""

    def get_prep_value(self, value):
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)
