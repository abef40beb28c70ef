"""The REST API at /api/: django-ninja, authenticated by coldflow.accounts.access.

Every endpoint reads `request.auth` (an Access) and finds rows only through `scoped()`, so a
key or user of one workspace never sees another's; writes call `writable()` first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from coldflow.accounts.access import Access, api_auth
from coldflow.errors import UserError

api = NinjaAPI(
    title="coldflow",
    version="1",
    description=(
        "The coldflow REST API. Authenticate with an API key (`Authorization: Bearer cf_…` "
        "or `X-API-Key: cf_…`; `coldflow apikey create`) or the dashboard's session with its "
        "CSRF token. Lists are cursor-paginated: pass a page's `next_cursor` as `?cursor=`."
    ),
    auth=api_auth,
    urls_namespace="api",
    # The interactive docs page loads its script from a CDN; the schema is enough.
    docs_url=None,
)


def access_of(request: HttpRequest) -> Access:
    return request.auth


def writable(request: HttpRequest) -> Access:
    """The request's Access, or 403 when it may only read (read-only member or key)."""
    access: Access = request.auth
    if not access.can_write:
        raise PermissionDenied("this API key or user may only read")
    return access


def _error(request, status: int, detail):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(
        request, 401, "authentication required: send an API key (Authorization: Bearer …)"
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, str(exc) or "not allowed")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not found")


@api.exception_handler(UserError)
def _user_error(request, exc):
    return _error(request, getattr(exc, "status", 400), str(exc))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _error(request, 422, exc.errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, str(exc))


def _register() -> None:
    from coldflow.api import campaigns, events, mail, research

    api.add_router("/campaigns", campaigns.router)
    api.add_router("/leads", research.leads)
    api.add_router("/companies", research.companies)
    api.add_router("/people", research.people)
    api.add_router("/messages", mail.messages)
    api.add_router("/inbox", mail.inbox)
    api.add_router("/suppressions", mail.suppressions)
    api.add_router("/mailboxes", mail.mailboxes)
    api.add_router("/events", events.events)
    api.add_router("/analytics", events.analytics)


_register()
