"""The unsubscribe link: no login, no CSRF token, RFC 8058 one-click POST, confirmation GET."""

from __future__ import annotations

import email
import email.policy

import pytest
from django.test import Client

from coldflow.contacts.models import Lead
from coldflow.send.delivery import render
from coldflow.send.models import Enrollment, Suppression
from coldflow.send.unsubscribe_token import sign_message_pk

from .factory import SendWorld

pytestmark = pytest.mark.django_db

SECRET = "coldflow-test-secret-key-not-for-production"


@pytest.fixture
def message():
    world = SendWorld()
    mailbox = world.mailbox(
        "sam@sender.test", host="127.0.0.1", port=2525, username="sam", password="x"
    )
    return world.message("<b>anna</b>@acme.test", mailbox, state="sent")


def client() -> Client:
    # A client that enforces CSRF like a browser-less mail client would meet it.
    return Client(enforce_csrf_checks=True)


def one_click_url(message, settings_for_send) -> str:
    """The path from the List-Unsubscribe header of the message as it would be sent."""
    raw = render(message, message.mailbox, settings_for_send)
    header = email.message_from_bytes(raw, policy=email.policy.default)["List-Unsubscribe"]
    url = header.split(",")[0].strip().strip("<>")
    return url.removeprefix("https://outreach.example.com")


def test_get_shows_a_confirmation_page_and_changes_nothing(message, settings_for_send):
    response = client().get(one_click_url(message, settings_for_send))
    assert response.status_code == 200
    page = response.content.decode()
    assert "&lt;b&gt;anna&lt;/b&gt;@acme.test" in page and "<b>anna</b>" not in page
    assert '<form method="post">' in page
    assert not Suppression.objects.exists()


def test_the_one_click_post_suppresses_and_stops_the_sequence_at_once(message, settings_for_send):
    response = client().post(
        one_click_url(message, settings_for_send), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    suppression = Suppression.objects.get(workspace=message.workspace, kind="address")
    assert (suppression.value, suppression.reason) == ("<b>anna</b>@acme.test", "unsubscribe")
    enrollment = Enrollment.objects.get(pk=message.enrollment_id)
    assert (enrollment.status, enrollment.stop_reason) == ("stopped", "unsubscribed")
    assert Lead.objects.get(pk=message.lead_id).status == "unsubscribed"


def test_posting_twice_is_harmless(message, settings_for_send):
    url = one_click_url(message, settings_for_send)
    assert client().post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client().post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Suppression.objects.count() == 1


@pytest.mark.parametrize(
    "token", [sign_message_pk(1, "not-our-secret"), "garbage", "1.AAAAAAAAAAAAAAAAAAAAAA"]
)
def test_a_forged_token_is_refused_with_a_plain_400(message, token):
    for response in (client().get(f"/unsubscribe/{token}"), client().post(f"/unsubscribe/{token}")):
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert response.content == b"This unsubscribe link is not valid.\n"
    assert not Suppression.objects.exists()


def test_a_valid_token_for_a_deleted_message_is_a_404(message):
    token = sign_message_pk(message.pk + 1000, SECRET)
    assert client().post(f"/unsubscribe/{token}").status_code == 404
