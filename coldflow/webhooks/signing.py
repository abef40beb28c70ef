"""Signing webhook deliveries, and checking a signature as a receiver would.

The signature is `sha256=<hex>` where hex is HMAC-SHA256 over `<timestamp>.<body>` keyed with
the endpoint's secret. The timestamp (Unix seconds, also sent as X-Coldflow-Timestamp) is
signed with the body, so a captured delivery cannot be replayed later than the receiver's
tolerance. This module has no Django and no coldflow imports: receivers may copy it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SCHEME = "sha256"


def generate_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: str | int, body: bytes) -> str:
    """The X-Coldflow-Signature header value for `body` sent at `timestamp`."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def verify_signature(
    secret: str,
    timestamp: str | int,
    body: bytes,
    header: str,
    tolerance: float = 300,
    *,
    now: float | None = None,
) -> bool:
    """True when `header` (X-Coldflow-Signature) signs the raw request `body` with `secret`
    and `timestamp` (X-Coldflow-Timestamp) is within `tolerance` seconds of now.

    Pass the body exactly as received (bytes, before any JSON parsing). The comparison takes
    constant time. A header may carry several comma-separated signatures (any one may match).
    """
    try:
        sent_at = int(str(timestamp).strip())
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance:
        return False
    expected = sign(secret, sent_at, body)
    return any(
        hmac.compare_digest(expected.encode("ascii"), candidate.strip().encode("ascii", "replace"))
        for candidate in header.split(",")
    )
