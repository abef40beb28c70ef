"""The Settings page manages webhook endpoints and the workspace's people: owners only, the same
rules as the CLI, secrets shown once, the last owner kept, every change in the audit log."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from coldflow.accounts.models import AuditEntry, Membership
from coldflow.webhooks.models import WebhookDelivery, WebhookEndpoint
from coldflow.webhooks.signing import verify_signature
from tests.web.dashboard import Browser
from tests.webhooks.receiver import running_receiver

NEW_PASSWORD = "velvet-otter-marmalade-17"


@pytest.fixture
def loopback_receivers(monkeypatch):
    """The test's receivers listen on 127.0.0.1, which needs the documented opt-in."""
    monkeypatch.setenv("WEBHOOK_ALLOW_LOOPBACK", "true")


def audit_entries(personas, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(workspace=personas.acme, action=action).order_by("id"))


def page_text(response) -> str:
    return response.content.decode()


# --- webhook endpoints --------------------------------------------------------------------


def test_an_owner_adds_an_endpoint_and_sees_its_secret_only_once(personas, loopback_receivers):
    browser = Browser(personas.alice)
    with running_receiver() as receiver:
        response = browser.post(
            "settings-webhook-create",
            data={"url": receiver.url, "events": ["replied", "interested"]},
        )
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    endpoint = WebhookEndpoint.objects.get(workspace=personas.acme, url=receiver.url)
    assert endpoint.event_kinds == ["replied", "interested"] and endpoint.active
    secret = response.context["new_webhook"]["secret"]
    assert secret == endpoint.secret and secret.startswith("whsec_")
    assert secret in page_text(response)
    # Never again: not on the page, not in its delivery log, not in the audit log.
    assert secret not in page_text(browser.get("settings"))
    assert secret not in page_text(browser.get("settings-webhook", endpoint.pk))
    assert secret not in page_text(browser.get("audit"))
    [entry] = audit_entries(personas, "webhook.create")
    assert entry.user == personas.alice and entry.object_id == str(endpoint.pk)
    assert entry.changes == {"url": endpoint.shown_url, "events": ["replied", "interested"]}


@pytest.mark.parametrize(
    ("url", "events", "says"),
    [
        ("http://127.0.0.1:9/hook", [], "WEBHOOK_ALLOW_LOOPBACK=true"),
        ("http://10.1.2.3/hook", [], "10.1.2.3"),
        ("ftp://hooks.example/in", [], "must be http(s)://host/"),
        ("https://user:pw@hooks.example/in", [], "must not carry a user name or password"),
        ("", [], "must be http(s)://host/"),
        ("https://hooks.example/" + "a" * 2000, [], "longer than 2000 characters"),
        ("http://10.1.2.3/hook", ["replied", "teleported"], "unknown webhook event type"),
    ],
)
def test_an_endpoint_the_cli_would_refuse_is_refused_with_the_reason(personas, url, events, says):
    response = Browser(personas.alice).post(
        "settings-webhook-create", data={"url": url, "events": events}
    )
    assert response.status_code == 400
    text = page_text(response)
    assert says in text and "Not added" in text
    assert 'role="alert"' in text and 'aria-invalid="true"' in text
    assert not WebhookEndpoint.objects.filter(workspace=personas.acme, url=url).exists()
    assert response.context["new_webhook"] is None
    # What was typed comes back, ready to correct.
    assert response.context["webhook_form"]["url"] == url
    assert not audit_entries(personas, "webhook.create")


def test_disable_enable_and_delete_an_endpoint(personas):
    browser = Browser(personas.alice)
    pk = personas.acme_rows.ids["webhook_endpoint"]

    assert browser.post("settings-webhook-disable", pk).status_code == 302
    endpoint = WebhookEndpoint.objects.get(pk=pk)
    assert not endpoint.active
    assert f"disabled by {personas.alice.username}" in endpoint.disabled_reason
    page = page_text(browser.get("settings"))
    assert "disabled" in page and "Enable" in page

    assert browser.post("settings-webhook-enable", pk).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_reason == ""

    assert browser.post("settings-webhook-delete", pk).status_code == 302
    assert not WebhookEndpoint.objects.filter(pk=pk).exists()
    actions = [e.action for e in AuditEntry.objects.filter(workspace=personas.acme).order_by("id")]
    assert actions[-3:] == ["webhook.disable", "webhook.enable", "webhook.delete"]
    # The audit log keeps the host only: a receiver's path is often its password.
    shown = audit_entries(personas, "webhook.delete")[0].changes["url"]
    assert shown == endpoint.url.rsplit("/", 1)[0] + "/…"


def test_rotating_the_secret_shows_the_new_one_once_and_the_old_one_stops_working(personas):
    browser = Browser(personas.alice)
    pk = personas.acme_rows.ids["webhook_endpoint"]
    old = WebhookEndpoint.objects.get(pk=pk).secret

    response = browser.post("settings-webhook-rotate", pk)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new = response.context["new_webhook"]["secret"]
    assert new != old and new in page_text(response)
    assert WebhookEndpoint.objects.get(pk=pk).secret == new
    assert "The old secret no longer verifies" in page_text(response)
    assert new not in page_text(browser.get("settings"))
    [entry] = audit_entries(personas, "webhook.rotate_secret")
    assert new not in json.dumps(entry.changes) and old not in json.dumps(entry.changes)


def test_a_test_event_goes_through_the_delivery_queue_into_the_log(
    personas, loopback_receivers, django_capture_on_commit_callbacks
):
    browser = Browser(personas.alice)
    with running_receiver((200, 0)) as receiver:
        created = browser.post("settings-webhook-create", data={"url": receiver.url})
        secret = created.context["new_webhook"]["secret"]
        endpoint = WebhookEndpoint.objects.get(workspace=personas.acme, url=receiver.url)
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = browser.post("settings-webhook-test", endpoint.pk)
    # The worker's task is queued once the delivery row is committed (run inline here).
    assert len(queued) == 1
    assert response.status_code == 302
    assert response["Location"] == reverse("settings-webhook", args=[endpoint.pk])
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event_type == "ping" and delivery.state == "delivered"
    assert delivery.attempt_log.count() == 1
    [request] = receiver.received
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["x-coldflow-event"] == "ping"
    assert headers["x-coldflow-delivery"] == str(delivery.pk)
    assert verify_signature(
        secret, headers["x-coldflow-timestamp"], request.body, headers["x-coldflow-signature"]
    )
    log = page_text(browser.get("settings-webhook", endpoint.pk))
    assert "ping" in log and "delivered" in log
    [entry] = audit_entries(personas, "webhook.test")
    assert entry.changes["delivery"] == delivery.pk


def test_no_test_event_for_a_disabled_endpoint(personas):
    browser = Browser(personas.alice)
    pk = personas.acme_rows.ids["webhook_endpoint"]
    browser.post("settings-webhook-disable", pk)
    response = browser.client.post(
        reverse("settings-webhook-test", args=[pk]),
        {"csrfmiddlewaretoken": browser.token},
        follow=True,
    )
    assert "disabled: enable it to send a test event" in page_text(response)
    assert not WebhookDelivery.objects.filter(endpoint_id=pk).exists()


def test_members_and_read_only_users_see_endpoints_but_no_controls(personas):
    pk = personas.acme_rows.ids["webhook_endpoint"]
    WebhookEndpoint.objects.filter(pk=pk).update(url="https://hooks.acme.example/T0/B1/s3cr3t?k=1")
    for user in (personas.bob, personas.rita):
        page = page_text(Browser(user).get("settings"))
        # Only the host: a receiver's path or query is often its password.
        assert "https://hooks.acme.example/…" in page
        log = page_text(Browser(user).get("settings-webhook", pk))
        assert "s3cr3t" not in page and "s3cr3t" not in log and "hooks.acme.example/…" in log
        assert reverse("settings-webhook-create") not in page
        assert "Rotate secret" not in page and "Send a test event" not in page
        assert "Owners of this workspace add and change endpoints" in page


# --- users and roles ----------------------------------------------------------------------


def test_an_owner_creates_a_user_who_can_then_log_in(personas):
    browser = Browser(personas.alice)
    response = browser.post(
        "settings-member-add",
        data={
            "kind": "new",
            "username": "dora",
            "email": "dora@acme.example",
            "password": NEW_PASSWORD,
            "role": "member",
        },
    )
    assert response.status_code == 302
    dora = get_user_model().objects.get(username="dora")
    assert dora.email == "dora@acme.example" and dora.check_password(NEW_PASSWORD)
    assert Membership.objects.get(workspace=personas.acme, user=dora).role == "member"
    login = Client().post(reverse("login"), {"username": "dora", "password": NEW_PASSWORD})
    assert login.status_code == 302
    [entry] = audit_entries(personas, "member.add")
    assert entry.changes == {"username": "dora", "role": "member", "new_user": True}
    assert NEW_PASSWORD not in json.dumps(entry.changes)
    assert "dora" in page_text(browser.get("settings"))


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("Tq7x", "too short"),
        ("password123", "too common"),
        ("83920174655", "entirely numeric"),
        ("dora.the.explorer!", "too similar"),
    ],
)
def test_an_initial_password_must_pass_the_password_validators(personas, password, says):
    response = Browser(personas.alice).post(
        "settings-member-add",
        data={
            "kind": "new",
            "username": "dora.the.explorer",
            "email": "",
            "password": password,
            "role": "member",
        },
    )
    assert response.status_code == 400
    text = page_text(response)
    assert says in text and "password not accepted" in text
    assert response.context["member_form"]["error"].endswith(".")
    assert ".." not in response.context["member_form"]["error"]
    assert not get_user_model().objects.filter(username="dora.the.explorer").exists()
    # The user name comes back to be corrected; the password never does.
    assert response.context["member_form"]["username"] == "dora.the.explorer"
    password_input = re.search(r'<input id="member-password"[^>]*>', text).group(0)
    assert "value=" not in password_input
    assert password not in text
    assert not audit_entries(personas, "member.add")


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"username": "", "password": NEW_PASSWORD, "role": "member"}, "enter a user name"),
        (
            {"username": "has space", "password": NEW_PASSWORD, "role": "member"},
            "user name not accepted",
        ),
        (
            {"username": "dora", "email": "not-an-address", "password": NEW_PASSWORD},
            "is not an email address",
        ),
        ({"username": "dora", "password": NEW_PASSWORD, "role": "admin"}, "unknown role"),
    ],
)
def test_a_new_user_needs_a_valid_name_email_and_role(personas, fields, says):
    data = {"kind": "new", "email": "", "role": "member", **fields}
    response = Browser(personas.alice).post("settings-member-add", data=data)
    assert response.status_code == 400
    assert says in page_text(response)
    assert not get_user_model().objects.filter(username=fields["username"]).exists()


def test_a_new_user_cannot_take_an_existing_name(personas):
    before = personas.bob.password
    response = Browser(personas.alice).post(
        "settings-member-add",
        data={
            "kind": "new",
            "username": personas.bob.username.upper(),
            "password": NEW_PASSWORD,
            "role": "owner",
        },
    )
    assert response.status_code == 400
    assert "exists already: add them as an existing user" in page_text(response)
    personas.bob.refresh_from_db()
    assert personas.bob.password == before
    assert Membership.objects.get(workspace=personas.acme, user=personas.bob).role == "member"


def test_an_existing_user_joins_with_their_own_password(personas):
    browser = Browser(personas.alice)
    charlie = personas.charlie
    before = charlie.password
    response = browser.post(
        "settings-member-add",
        data={"kind": "existing", "username": charlie.username, "role": "read_only"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(workspace=personas.acme, user=charlie).role == "read_only"
    charlie.refresh_from_db()
    assert charlie.password == before
    # Still owner of his own workspace.
    assert Membership.objects.get(workspace=personas.globex, user=charlie).role == "owner"
    [entry] = audit_entries(personas, "member.add")
    assert entry.changes == {"username": charlie.username, "role": "read_only", "new_user": False}

    again = browser.post(
        "settings-member-add",
        data={"kind": "existing", "username": charlie.username, "role": "owner"},
    )
    assert again.status_code == 400 and "is a member of Acme already" in page_text(again)
    unknown = browser.post(
        "settings-member-add", data={"kind": "existing", "username": "nobody", "role": "member"}
    )
    assert unknown.status_code == 400 and "no user named nobody" in page_text(unknown)


def test_the_last_owner_can_be_neither_demoted_nor_removed(personas):
    browser = Browser(personas.alice)
    alice_in_acme = Membership.objects.get(workspace=personas.acme, user=personas.alice)

    demoted = browser.post("settings-member-role", alice_in_acme.pk, data={"role": "member"})
    assert demoted.status_code == 409
    assert "is the last owner of Acme: make someone else an owner first" in page_text(demoted)
    removed = browser.post("settings-member-remove", alice_in_acme.pk)
    assert removed.status_code == 409
    assert "is the last owner of Acme" in page_text(removed)
    alice_in_acme.refresh_from_db()
    assert alice_in_acme.role == "owner"
    assert not audit_entries(personas, "member.role") and not audit_entries(
        personas, "member.remove"
    )

    # With a second owner, the first may step down.
    bob_in_acme = personas.acme_rows.ids["membership"]
    promoted = browser.post("settings-member-role", bob_in_acme, data={"role": "owner"})
    assert promoted.status_code == 302
    stepped_down = browser.post(
        "settings-member-role", alice_in_acme.pk, data={"role": "read_only"}
    )
    assert stepped_down.status_code == 302
    alice_in_acme.refresh_from_db()
    assert alice_in_acme.role == "read_only"
    changes = [e.changes for e in audit_entries(personas, "member.role")]
    assert changes == [
        {"username": personas.bob.username, "from": "member", "to": "owner"},
        {"username": personas.alice.username, "from": "owner", "to": "read_only"},
    ]
    # Now read-only, alice may look at the settings but change nothing.
    assert browser.get("settings").status_code == 200
    refused = browser.post("settings-member-role", bob_in_acme, data={"role": "member"})
    assert refused.status_code == 403
    assert Membership.objects.get(pk=bob_in_acme).role == "owner"


def test_an_unknown_role_is_refused(personas):
    bob_in_acme = personas.acme_rows.ids["membership"]
    response = Browser(personas.alice).post(
        "settings-member-role", bob_in_acme, data={"role": "admin"}
    )
    assert response.status_code == 400
    assert "unknown role" in page_text(response)
    assert Membership.objects.get(pk=bob_in_acme).role == "member"


def test_an_owner_removes_a_member_who_then_sees_nothing_of_the_workspace(personas):
    bob_in_acme = personas.acme_rows.ids["membership"]
    response = Browser(personas.alice).post("settings-member-remove", bob_in_acme)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=bob_in_acme).exists()
    assert get_user_model().objects.filter(pk=personas.bob.pk).exists()
    [entry] = audit_entries(personas, "member.remove")
    assert entry.changes == {"username": personas.bob.username, "role": "member"}
    assert Browser(personas.bob).get("campaigns").status_code == 404


def test_an_owner_who_leaves_goes_to_the_home_page(personas):
    browser = Browser(personas.alice)
    browser.post(
        "settings-member-role", personas.acme_rows.ids["membership"], data={"role": "owner"}
    )
    alice_in_acme = Membership.objects.get(workspace=personas.acme, user=personas.alice)
    response = browser.post("settings-member-remove", alice_in_acme.pk)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_members_see_the_people_but_cannot_change_them(personas):
    page = page_text(Browser(personas.bob).get("settings"))
    assert personas.alice.username in page and personas.rita.username in page
    assert reverse("settings-member-add") not in page
    assert "Change role" not in page and 'name="password"' not in page


def test_the_settings_page_no_longer_sends_people_to_the_cli(personas):
    page = page_text(Browser(personas.alice).get("settings"))
    assert "coldflow createuser" not in page and "coldflow webhook add" not in page
    assert "Add a webhook endpoint" in page and "Add a new user" in page


def test_every_input_on_the_owners_settings_page_has_a_label(personas):
    page = page_text(Browser(personas.alice).get("settings"))
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
    fields = re.findall(r"<(?:input|select|textarea)(?![^>]*type=\"hidden\")[^>]*>", page)
    assert len(fields) > 10 and len(ids) == len(fields), "every visible field has an id"
    for field_id in ids:
        assert f'for="{field_id}"' in page, field_id
