"""Response headers every page carries, and the login form's brake on password guessing
(counted in the database, so that every web process sees the same failures).

The Content-Security-Policy allows scripts, styles, images and fetches from our own origin
only: no inline script, no inline style element, no frames. The dashboard's JavaScript lives
in static files (coldflow/web/static/coldflow/), so a scraped string that slipped past the
template's escaping still could not run.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.auth.views import LoginView
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from coldflow.accounts.models import LoginFailures

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
    return hashlib.sha256(raw).hexdigest()


# The count lives in the database (LoginFailures), the one thing every web process shares on
# SQLite and on PostgreSQL alike: a per-process cache would let each process behind a load
# balancer, and each restart, grant another five guesses.


def login_failures(username: str, ip_address: str | None) -> int:
    """Failures in the window that is open now (0 when none is)."""
    found = LoginFailures.objects.filter(
        key=_throttle_key(username, ip_address), expires_at__gt=timezone.now()
    ).values_list("failures", flat=True)
    return found.first() or 0


def note_login_failure(username: str, ip_address: str | None) -> int:
    """Count one failure; the first one opens a window of LOGIN_WINDOW_SECONDS, later ones
    count in it without extending it. Returns the failures in the window."""
    key = _throttle_key(username, ip_address)
    now = timezone.now()
    # Closed windows of every user name go, so the table holds only what still counts.
    LoginFailures.objects.filter(expires_at__lte=now).delete()
    for _attempt in range(3):
        live = LoginFailures.objects.filter(key=key, expires_at__gt=now)
        if live.update(failures=F("failures") + 1):
            return live.values_list("failures", flat=True).first() or 1
        try:
            with transaction.atomic():
                LoginFailures.objects.create(
                    key=key, failures=1, expires_at=now + timedelta(seconds=LOGIN_WINDOW_SECONDS)
                )
            return 1
        except IntegrityError:
            # Another process opened the window a moment ago (or an old one was not yet
            # deleted): count in that one.
            LoginFailures.objects.filter(key=key, expires_at__lte=now).delete()
    return login_failures(username, ip_address)


def clear_login_failures(username: str, ip_address: str | None) -> None:
    LoginFailures.objects.filter(key=_throttle_key(username, ip_address)).delete()


LOCKED_OUT_MESSAGE = (
    f"Too many failed logins for this user from your address. Wait "
    f"{LOGIN_WINDOW_SECONDS // 60} minutes and try again, or ask whoever runs coldflow to reset "
    f"your password."
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


def back_to(request, fallback: str):
    """Redirect to the page a form came from (its `back` field), when that is a path on this
    site; anything else (`//evil.example`, `/\\evil.example`, `https://…`) goes to `fallback`."""
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.POST.get("back", "")
    local = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(back if local else fallback)
