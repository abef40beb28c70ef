"""Who may see and change what: the one place that ties a request to a workspace.

Every view and API endpoint gets an `Access` from here and reads records only through
`scoped()` (or `get_or_404()`), so a record of another workspace is never found: an outsider
gets 404, not 403, and learns nothing about what exists. Writes need `access.can_write`:
owners and members may write; read-only members and read-only API keys may not. Who belongs
to the workspace, and where its webhooks go (with their signing secrets), only owners may
change: `workspace_view(owner=True)`.

Dashboard views:

    @workspace_view()                 # GET/HEAD for everyone in the workspace
    def leads(request, workspace):    # `workspace` slug in the URL is optional
        rows = scoped(Lead, request.access)

    @workspace_view(write=True)       # read-only users get 403 on any method
    def pause(request, workspace, pk):
        campaign = get_or_404(Campaign, request.access, pk=pk)
        audit(request.access, "campaign.pause", campaign, {"status": "paused"})

    @workspace_view(owner=True)       # members and read-only users get 403 on any method
    def remove_member(request, pk): ...

REST API: `api_auth` (a list for NinjaAPI(auth=...)) accepts an API key in
`Authorization: Bearer` or `X-API-Key`, or the dashboard's session with a CSRF token; the
endpoint then reads `request.auth` (an Access).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, APIKeyHeader, HttpBearer

from coldflow.accounts.api_keys import key_for_secret
from coldflow.accounts.models import ApiKey, AuditEntry, Membership, Role, Workspace

# The session key that remembers the workspace a user last worked in.
SESSION_WORKSPACE = "coldflow_workspace"
# Header by which a session user of several workspaces picks one in an API call.
WORKSPACE_HEADER = "X-Workspace"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotAuthenticated(Exception):
    """No user and no API key: log in (dashboard) or send a key (API)."""


@dataclass(frozen=True)
class Access:
    """What one request may do: in which workspace, as whom, with which role."""

    workspace: Workspace
    role: str
    user: Any = None  # django.contrib.auth user; None for an API key without a live creator
    api_key: ApiKey | None = None
    ip_address: str | None = None

    @property
    def can_write(self) -> bool:
        if self.api_key is not None and self.api_key.read_only:
            return False
        return self.role in (Role.OWNER, Role.MEMBER)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER and self.api_key is None

    @property
    def actor(self) -> str:
        """Who is acting, for logs and the audit trail."""
        if self.api_key is not None:
            return f"api key {self.api_key.prefix}…"
        return self.user.get_username() if self.user is not None else "nobody"

    def require_write(self) -> None:
        if not self.can_write:
            raise PermissionDenied("this workspace is read-only for you")


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _api_key_secret(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("X-API-Key") or None


def access_for_key(key: ApiKey, request: HttpRequest | None = None) -> Access:
    """An API key acts in its own workspace only; a read-only key can never write."""
    return Access(
        workspace=key.workspace,
        role=Role.READ_ONLY if key.read_only else Role.MEMBER,
        user=key.created_by,
        api_key=key,
        ip_address=_client_ip(request) if request is not None else None,
    )


def access_for_user(user, request: HttpRequest | None = None, slug: str | None = None) -> Access:
    """The user's access to the workspace `slug`, else the session's, else their first one.

    Raises Http404 when the user is no member of the named workspace (or of any)."""
    memberships = Membership.objects.filter(user=user).select_related("workspace")
    session = getattr(request, "session", None)
    membership = None
    if slug:
        membership = memberships.filter(workspace__slug=slug).first()
        if membership is None:
            raise Http404("no such workspace")
    elif session is not None and session.get(SESSION_WORKSPACE):
        membership = memberships.filter(workspace__slug=session[SESSION_WORKSPACE]).first()
    if membership is None:
        membership = memberships.order_by("workspace_id").first()
    if membership is None:
        raise Http404("you are not a member of any workspace")
    if session is not None and session.get(SESSION_WORKSPACE) != membership.workspace.slug:
        session[SESSION_WORKSPACE] = membership.workspace.slug
    return Access(
        workspace=membership.workspace,
        role=membership.role,
        user=user,
        ip_address=_client_ip(request) if request is not None else None,
    )


def access_for_request(request: HttpRequest, slug: str | None = None) -> Access:
    """The request's Access: an API key's workspace, or the logged-in user's chosen one.

    The workspace slug comes from `slug`, the URL's `workspace` argument, or the
    X-Workspace header, in that order; without one the session's current workspace is used.
    Raises NotAuthenticated (no user, no valid key) or Http404 (not a member)."""
    secret = _api_key_secret(request)
    if secret is not None:
        key = key_for_secret(secret)
        if key is None:
            raise NotAuthenticated("unknown or revoked API key")
        return access_for_key(key, request)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("log in or send an API key")
    if slug is None:
        match = getattr(request, "resolver_match", None)
        slug = (match.kwargs.get("workspace") if match else None) or request.headers.get(
            WORKSPACE_HEADER
        )
    return access_for_user(user, request, slug)


def use_workspace(request: HttpRequest, slug: str) -> Access:
    """Switch the session's current workspace (Http404 unless the user is a member)."""
    return access_for_user(request.user, request, slug)


# --- reading only inside the workspace -------------------------------------------------


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


@functools.cache
def workspace_path(model: type[models.Model]) -> str:
    """The lookup from `model` to its workspace: "workspace", or through foreign keys for
    child tables (SequenceStep → "sequence__workspace", StepVariant → "step__sequence__…")."""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _depth in range(4):
        next_frontier = []
        for current, prefix in frontier:
            if _has_field(current, "workspace"):
                return f"{prefix}workspace"
            for field in current._meta.get_fields():
                if field.many_to_one and not field.null and field.related_model is not None:
                    next_frontier.append((field.related_model, f"{prefix}{field.name}__"))
        frontier = next_frontier
    raise TypeError(f"{model.__name__} has no path to a workspace")


def scoped(queryset_or_model, access: Access) -> models.QuerySet:
    """Only the rows of the access's workspace."""
    if isinstance(queryset_or_model, models.QuerySet):
        queryset = queryset_or_model
    else:
        queryset = queryset_or_model._default_manager.all()
    return queryset.filter(**{workspace_path(queryset.model): access.workspace})


def get_or_404(queryset_or_model, access: Access, **lookup) -> models.Model:
    """One row of the workspace, or Http404 (also when it exists in another workspace)."""
    return get_object_or_404(scoped(queryset_or_model, access), **lookup)


# --- the audit trail --------------------------------------------------------------------


def audit(
    access: Access,
    action: str,
    target: models.Model | tuple[str, Any] | str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append who did `action` to what. `target` is a model instance, ("type", id) or a type."""
    if isinstance(target, models.Model):
        object_type, object_id = target._meta.model_name, str(target.pk)
    elif isinstance(target, tuple):
        object_type, object_id = target[0], str(target[1])
    else:
        object_type, object_id = target or "", ""
    changes = dict(detail or {})
    if access.api_key is not None:
        changes.setdefault("api_key", access.api_key.prefix)
    return AuditEntry.objects.create(
        workspace=access.workspace,
        user=access.user if getattr(access.user, "pk", None) else None,
        action=action[:64],
        object_type=object_type[:64],
        object_id=object_id[:64],
        changes=changes,
        ip_address=access.ip_address,
    )


# --- dashboard views --------------------------------------------------------------------


def workspace_view(write: bool = False, owner: bool = False):
    """Decorate a dashboard view: login required, `request.access` set.

    Anonymous users are sent to the login page; users who are not members of the URL's
    workspace get 404. Read-only users get 403 on any method when `write` is true, and on
    unsafe methods (POST, PUT, PATCH, DELETE) always. With `owner`, everyone but the
    workspace's owners gets 403 on any method."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            access = access_for_user(request.user, request, kwargs.get("workspace"))
            if (write or request.method not in SAFE_METHODS) and not access.can_write:
                raise PermissionDenied("this workspace is read-only for you")
            if owner and not access.is_owner:
                raise PermissionDenied("only an owner of this workspace may do this")
            request.access = access
            return view(request, *args, **kwargs)

        wrapped.workspace_view = {"write": write or owner, "owner": owner}
        return wrapped

    return decorate


# --- REST API authentication ------------------------------------------------------------


def _api_access(request: HttpRequest, access: Access | None) -> Access | None:
    """Every unsafe method of the API is a write: refused to read-only callers up front."""
    if access is not None and request.method not in SAFE_METHODS and not access.can_write:
        raise HttpError(403, "this API key or user may only read")
    return access


class BearerKeyAuth(HttpBearer):
    """`Authorization: Bearer cf_…`"""

    def authenticate(self, request, token):
        key = key_for_secret(token)
        return _api_access(request, access_for_key(key, request) if key is not None else None)


class HeaderKeyAuth(APIKeyHeader):
    """`X-API-Key: cf_…`"""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        found = key_for_secret(key or "")
        return _api_access(request, access_for_key(found, request) if found is not None else None)


class SessionAccessAuth(APIKeyCookie):
    """The dashboard's login session; unsafe methods need the CSRF token (X-CSRFToken)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # Anonymous requests are unauthenticated (401), not CSRF failures: check CSRF only
        # for a logged-in session, the one thing a forged cross-site request could ride on.
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS:
            # The CSRF check parses a form body from the stream; read it into memory first
            # so that the endpoint can still read it (else Django raises RawPostDataException).
            request.body  # noqa: B018
        return super()._get_key(request)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        slug = request.headers.get(WORKSPACE_HEADER)
        try:
            return _api_access(request, access_for_user(request.user, request, slug))
        except Http404 as exc:
            raise HttpError(404, str(exc)) from exc


api_auth = [BearerKeyAuth(), HeaderKeyAuth(), SessionAccessAuth(csrf=True)]
