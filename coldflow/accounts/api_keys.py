"""API keys: made once, shown once, stored as a SHA-256 hash, revoked rather than deleted."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from coldflow.accounts.models import ApiKey, Workspace
from coldflow.errors import UserError

KEY_PREFIX = "cf_"
# How many characters of the key are kept in clear to tell keys apart ("cf_" + 8).
SHOWN_CHARACTERS = 11
# last_used_at is a hint, not a log: refresh it at most this often, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKeyError(UserError):
    pass


@dataclass(frozen=True)
class NewKey:
    """A key just made: `secret` is the only time the whole key exists outside the client."""

    record: ApiKey
    secret: str


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(
    workspace: Workspace, name: str, *, read_only: bool = False, created_by=None
) -> NewKey:
    name = name.strip()
    if not name:
        raise ApiKeyError("an API key needs a name")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKey.objects.create(
        workspace=workspace,
        name=name[:200],
        prefix=secret[:SHOWN_CHARACTERS],
        key_hash=hash_key(secret),
        read_only=read_only,
        created_by=created_by,
    )
    return NewKey(record=record, secret=secret)


def list_keys(workspace: Workspace, *, include_revoked: bool = False) -> list[ApiKey]:
    keys = ApiKey.objects.filter(workspace=workspace).order_by("created_at", "id")
    if not include_revoked:
        keys = keys.filter(revoked_at__isnull=True)
    return list(keys)


def revoke_key(workspace: Workspace, prefix_or_id: str) -> ApiKey:
    """Revoke the workspace's key with that prefix (or id); revoking twice changes nothing."""
    keys = ApiKey.objects.filter(workspace=workspace)
    value = prefix_or_id.strip()
    found = keys.filter(prefix=value).first()
    if found is None and value.isdigit():
        found = keys.filter(pk=int(value)).first()
    if found is None:
        raise ApiKeyError(f"workspace {workspace.name} has no API key {value!r}")
    if found.revoked_at is None:
        found.revoked_at = timezone.now()
        found.save(update_fields=["revoked_at"])
    return found


def key_for_secret(secret: str) -> ApiKey | None:
    """The live key with this secret, or None (unknown, malformed or revoked)."""
    if not secret or not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    key = (
        ApiKey.objects.select_related("workspace")
        .filter(key_hash=hash_key(secret), revoked_at__isnull=True)
        .first()
    )
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
