"""VERP-style return addresses: the envelope sender names the message it belongs to.

`sam@sender.test` sending message 42 uses `sam+cf-42-1a2b3c4d@sender.test` as its return path;
a bounce addressed there names message 42 even when the report carries nothing of the original.
The signature stops a forged or mistyped address from pointing at someone else's message.
"""

from __future__ import annotations

import hashlib
import hmac
import re

_TAG = re.compile(
    r"^(?P<local>[^+@\s]+)\+cf-(?P<id>\d{1,18})-(?P<sig>[0-9a-f]{8})@(?P<domain>\S+)$"
)


def _signature(message_pk: int, key: str) -> str:
    return hmac.new(key.encode(), f"verp:{message_pk}".encode(), hashlib.sha256).hexdigest()[:8]


def return_path(mailbox_address: str, message_pk: int, key: str) -> str:
    """The envelope sender for one outbound message."""
    local, _, domain = mailbox_address.rpartition("@")
    return f"{local}+cf-{message_pk}-{_signature(message_pk, key)}@{domain}"


def message_pk(address: str, key: str) -> int | None:
    """The outbound message a return address names, or None when it is not one of ours."""
    match = _TAG.match(address.strip().lower())
    if match is None:
        return None
    pk = int(match.group("id"))
    if not hmac.compare_digest(match.group("sig"), _signature(pk, key)):
        return None
    return pk
