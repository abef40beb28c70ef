"""OAuth2 for mailboxes (XOAUTH2): refresh-token grants against a configurable token endpoint.

Access tokens are kept in memory until shortly before they expire; refresh tokens stay in the
database, encrypted. Google and Microsoft are presets; any RFC 6749 token endpoint works.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

TOKEN_URLS = {
    "google": "https://oauth2.googleapis.com/token",
    "microsoft": "https://login.microsoftonline.com/common/oauth2/v2.0/token",
}
# Refresh this long before the server says a token expires.
EXPIRY_MARGIN_SECONDS = 120


class OAuthError(Exception):
    def __init__(self, stage: str, detail: str):
        self.stage = stage
        self.detail = detail
        super().__init__(f"{stage}: {detail}")


@dataclass(frozen=True)
class OAuthGrant:
    token_url: str
    client_id: str
    client_secret: str
    refresh_token: str


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: float
    # Some providers (Microsoft) rotate the refresh token on use: store the new one.
    new_refresh_token: str = ""


_cache: dict[str, AccessToken] = {}
_lock = threading.Lock()


def xoauth2_string(username: str, access_token: str) -> str:
    return f"user={username}\x01auth=Bearer {access_token}\x01\x01"


def _key(grant: OAuthGrant) -> str:
    material = f"{grant.token_url}\n{grant.client_id}\n{grant.refresh_token}"
    return hashlib.sha256(material.encode()).hexdigest()


def request_token(grant: OAuthGrant, *, timeout: float = 30.0) -> AccessToken:
    """Exchange the refresh token for an access token (no cache)."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": grant.refresh_token,
        "client_id": grant.client_id,
    }
    if grant.client_secret:
        form["client_secret"] = grant.client_secret
    request = urllib.request.Request(
        grant.token_url,
        data=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(1_000_000)
    except urllib.error.HTTPError as error:
        raise OAuthError("auth", _refusal(error)) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise OAuthError(
            "tcp", f"cannot reach the token endpoint {grant.token_url}: {reason}"
        ) from None
    try:
        data = json.loads(body)
        token = str(data["access_token"])
        lifetime = float(data.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise OAuthError("auth", "the token endpoint answered without an access token") from None
    return AccessToken(token, time.time() + lifetime, str(data.get("refresh_token") or ""))


def _refusal(error: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(error.read(100_000))
        code = data.get("error", "")
        text = data.get("error_description", "")
    except (ValueError, AttributeError):
        code, text = "", ""
    if code == "invalid_grant":
        return "the refresh token was refused (invalid_grant): connect the mailbox again"
    detail = f"{code}: {text}".strip(": ") or error.reason
    return f"the token endpoint refused the refresh ({error.code} {detail})"


def access_token(grant: OAuthGrant, *, timeout: float = 30.0) -> AccessToken:
    """A valid access token, from the cache while it lasts."""
    key = _key(grant)
    with _lock:
        cached = _cache.get(key)
        if cached and cached.expires_at - EXPIRY_MARGIN_SECONDS > time.time():
            return cached
    fresh = request_token(grant, timeout=timeout)
    with _lock:
        _cache[key] = fresh
    return fresh


def forget_token(grant: OAuthGrant) -> None:
    """After the server refused a cached token: the next call asks the endpoint again."""
    with _lock:
        _cache.pop(_key(grant), None)
