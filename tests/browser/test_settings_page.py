"""An owner sets up the workspace from the Settings page alone: adds a webhook endpoint (its
secret shown once), sends it a test event, and adds a colleague who can then log in."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from coldflow.accounts.models import Membership
from coldflow.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.webhooks.receiver import running_receiver

COLLEAGUE_PASSWORD = "amber-kettle-forest-31"


@pytest.fixture
def loopback_receivers(monkeypatch):
    # The live server runs in this process: it reads the setting per request.
    monkeypatch.setenv("WEBHOOK_ALLOW_LOOPBACK", "true")


def form(page, title: str):
    return page.locator("form", has=page.get_by_role("heading", name=title))


def test_an_owner_adds_a_webhook_and_a_user_from_the_settings_page(
    alice, personas, browser, live_server, loopback_receivers
):
    page = alice.page
    alice.visit(reverse("settings"), "settings-owner")

    with running_receiver((200, 0)) as receiver:
        webhook_form = form(page, "Add a webhook endpoint")
        webhook_form.get_by_label("URL").fill(receiver.url)
        webhook_form.get_by_label(re.compile(r"^replied:")).check()
        with page.expect_navigation():
            webhook_form.get_by_role("button", name="Add endpoint").click()
        endpoint = WebhookEndpoint.objects.get(workspace=personas.acme, url=receiver.url)
        secret = page.locator(".secret").inner_text().strip()
        assert secret == endpoint.secret and endpoint.event_kinds == ["replied"]
        alice.check("settings-webhook-added")

        alice.visit(reverse("settings"), "settings-with-webhook")
        assert secret not in page.content()
        with page.expect_navigation():
            page.get_by_role("button", name=f"Send a test event to {receiver.url}").click()
        assert page.url.endswith(reverse("settings-webhook", args=[endpoint.pk]))
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert delivery.event_type == "ping" and delivery.state == "delivered"
        assert len(receiver.received) == 1
        assert "ping" in page.locator("table").inner_text()
        alice.check("settings-webhook-tested")

    alice.visit(reverse("settings"), "settings-before-user")
    user_form = form(page, "Add a new user")
    user_form.get_by_label("User name").fill("dora")
    user_form.get_by_label("Email").fill("dora@acme.example")
    user_form.get_by_label("Initial password").fill(COLLEAGUE_PASSWORD)
    user_form.get_by_label("Role").select_option("member")
    with page.expect_navigation():
        user_form.get_by_role("button", name="Create user").click()
    assert "Added dora as Member" in page.locator("main").inner_text()
    alice.check("settings-user-added")
    dora = get_user_model().objects.get(username="dora")
    assert Membership.objects.get(workspace=personas.acme, user=dora).role == "member"

    # The colleague logs in through the form with the password they were given.
    context = browser.new_context()
    try:
        colleague = context.new_page()
        colleague.goto(live_server.url + reverse("login"))
        colleague.get_by_label("Email or user name").fill("dora")
        colleague.get_by_label("Password").fill(COLLEAGUE_PASSWORD)
        with colleague.expect_navigation():
            colleague.get_by_role("button", name="Log in").click()
        assert "/login/" not in colleague.url
        assert "Acme" in colleague.locator("header").inner_text()
    finally:
        context.close()
    assert not alice.dialogs
