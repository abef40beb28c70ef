"""Signed unsubscribe tokens: which message a one-click link belongs to, unforgeable.

A token is `<message pk in base 36>.<HMAC-SHA256, truncated to 128 bits, base64url>`, keyed by
SECRET_KEY with a purpose string, so a token signed for anything else never verifies here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

_PURPOSE = b"coldflow.unsubscribe.v1:"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class BadToken(ValueError):
    pass


def _base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
        if number == 0:
            return out


def _signature(payload: str, secret_key: str) -> str:
    mac = hmac.new(secret_key.encode(), _PURPOSE + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:16]).decode().rstrip("=")


def sign_message_pk(message_pk: int, secret_key: str) -> str:
    if not secret_key:
        raise ValueError("cannot sign unsubscribe links without a SECRET_KEY")
    payload = _base36(int(message_pk))
    return f"{payload}.{_signature(payload, secret_key)}"


def verify_token(token: str, secret_key: str) -> int:
    """The message pk the token was signed for; BadToken when forged, damaged or foreign."""
    payload, dot, signature = token.partition(".")
    if not dot or not payload or len(payload) > 13 or not secret_key:
        raise BadToken("malformed")
    if not all(c in _DIGITS for c in payload):
        raise BadToken("malformed")
    if not hmac.compare_digest(signature, _signature(payload, secret_key)):
        raise BadToken("bad signature")
    return int(payload, 36)


def unsubscribe_url(public_url: str, message_pk: int, secret_key: str) -> str:
    return f"{public_url.rstrip('/')}/unsubscribe/{sign_message_pk(message_pk, secret_key)}"
