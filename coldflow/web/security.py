"""Response headers every page carries, and the login form's brake on password guessing.

The Content-Security-Policy allows scripts, styles, images and fetches from our own origin
only: no inline script, no inline style element, no frames. The dashboard's JavaScript lives
in static files (coldflow/web/static/coldflow/), so a scraped string that slipped past the
template's escaping still could not run.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.views import LoginView
from django.core.cache import cache

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class SecurityHeadersMiddleware:
    """CSP and Permissions-Policy; Django's own middleware adds X-Frame-Options (DENY),
    X-Content-Type-Options (nosniff), Referrer-Policy and Cross-Origin-Opener-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# Failed logins per user name and address before the form stops trying passwords.
LOGIN_FAILURE_LIMIT = 5
LOGIN_WINDOW_SECONDS = 15 * 60


def _throttle_key(username: str, ip_address: str | None) -> str:
    raw = f"{username.strip().lower()}|{ip_address or ''}".encode()
    return "coldflow:login-failures:" + hashlib.sha256(raw).hexdigest()


def login_failures(username: str, ip_address: str | None) -> int:
    return cache.get(_throttle_key(username, ip_address), 0)


def note_login_failure(username: str, ip_address: str | None) -> int:
    key = _throttle_key(username, ip_address)
    # add() starts the window at the first failure; incr() keeps that window's expiry.
    if cache.add(key, 1, LOGIN_WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, LOGIN_WINDOW_SECONDS)
        return 1


def clear_login_failures(username: str, ip_address: str | None) -> None:
    cache.delete(_throttle_key(username, ip_address))


LOCKED_OUT_MESSAGE = (
    f"Too many failed logins for this user from your address. Wait "
    f"{LOGIN_WINDOW_SECONDS // 60} minutes and try again, or ask an owner to reset your password."
)


class ThrottledLoginView(LoginView):
    """Django's login view that refuses to check passwords after LOGIN_FAILURE_LIMIT failures
    for one user name from one address within LOGIN_WINDOW_SECONDS (answers 429)."""

    template_name = "registration/login.html"

    def _identity(self) -> tuple[str, str | None]:
        return self.request.POST.get("username", ""), self.request.META.get("REMOTE_ADDR")

    def post(self, request, *args, **kwargs):
        if login_failures(*self._identity()) >= LOGIN_FAILURE_LIMIT:
            # An unbound form: binding it would check the password.
            form = self.get_form_class()(request)
            context = self.get_context_data(form=form, locked_out=LOCKED_OUT_MESSAGE)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        note_login_failure(*self._identity())
        return super().form_invalid(form)

    def form_valid(self, form):
        clear_login_failures(*self._identity())
        return super().form_valid(form)
