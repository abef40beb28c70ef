"""A CSRF-enforcing dashboard client for page tests."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


class Browser:
    """Logged in as `user`, posting forms with the CSRF token like the page's forms do."""

    def __init__(self, user=None):
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)
        self.client.get(reverse("login"))

    @property
    def token(self) -> str:
        return self.client.cookies["csrftoken"].value

    def get(self, name_or_url: str, *args, **params):
        url = name_or_url if name_or_url.startswith("/") else reverse(name_or_url, args=args)
        return self.client.get(url, params)

    def post(self, name: str, *args, data=None, **extra):
        payload = {"csrfmiddlewaretoken": self.token, **(data or {})}
        return self.client.post(reverse(name, args=args), payload, **extra)
