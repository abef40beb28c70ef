"""Mailboxes without secrets, suppression import/export, API keys shown once, the audit log."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from coldflow.accounts.models import ApiKey, AuditEntry
from coldflow.send.models import Mailbox, Suppression
from tests.web.dashboard import Browser
from tests.web.personas import MAILBOX_SECRETS


def test_mailbox_pages_show_health_and_never_a_secret(personas):
    browser = Browser(personas.alice)
    pk = personas.acme_rows.ids["mailbox"]
    for response in (browser.get("mailboxes"), browser.get("mailbox", pk), browser.get("settings")):
        for secret in MAILBOX_SECRETS:
            assert secret.encode() not in response.content
    page = browser.get("mailbox", pk).content.decode()
    assert "1 / 30" not in page or "Sent today" in page
    browser.post("mailbox-pause", pk, data={"reason": "warming up"})
    assert Mailbox.objects.get(pk=pk).status == "paused_by_user"
    assert "warming up" in browser.get("mailboxes").content.decode()
    browser.post("mailbox-resume", pk)
    assert Mailbox.objects.get(pk=pk).status == "active"
    assert AuditEntry.objects.filter(action="mailbox.resume").exists()


def test_suppressions_import_a_csv_and_export_it_again(personas):
    browser = Browser(personas.bob)
    upload = SimpleUploadedFile(
        "list.csv", b"email,note\nA@Example.com,x\nexample.org,y\nnot an address,z\n"
    )
    response = browser.post("suppression-import", data={"file": upload})
    assert response.status_code == 302
    values = set(
        Suppression.objects.filter(workspace=personas.acme).values_list("value", flat=True)
    )
    assert {"a@example.com", "example.org"} <= values and "not an address" not in values
    exported = Browser(personas.rita).get("suppressions-export")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[0] == ["kind", "value", "reason", "source", "created_at"]
    assert {r[1] for r in rows[1:]} == values


def test_add_and_remove_a_suppression(personas):
    browser = Browser(personas.alice)
    browser.post("suppression-add", data={"value": "stop@example.net"})
    row = Suppression.objects.get(workspace=personas.acme, value="stop@example.net")
    browser.post("suppression-delete", row.pk)
    assert not Suppression.objects.filter(pk=row.pk).exists()
    assert (
        browser.post("suppression-delete", personas.globex_rows.ids["suppression"]).status_code
        == 404
    )


def test_an_api_key_is_shown_once_and_can_be_revoked(personas):
    browser = Browser(personas.alice)
    response = browser.post("settings-key-create", data={"name": "zapier", "read_only": "on"})
    assert response.status_code == 201
    secret = response.context["new_key"]["secret"]
    assert secret.encode() in response.content
    assert secret.encode() not in browser.get("settings").content
    key = ApiKey.objects.get(workspace=personas.acme, name="zapier")
    assert key.read_only
    browser.post("settings-key-revoke", key.pk)
    key.refresh_from_db()
    assert key.revoked_at is not None
    audit_page = browser.get("audit").content.decode()
    assert "apikey.create" in audit_page and "apikey.revoke" in audit_page


def test_settings_say_whether_a_secret_is_set_without_showing_it(personas, settings):
    page = Browser(personas.alice).get("settings").content.decode()
    assert "LLM_API_KEY" in page and "SEARCH_PROVIDER" in page
    assert "whsec-test" not in page and "hooks." in page


def test_the_inbox_marks_a_lead_interested(personas):
    from coldflow.contacts.models import Lead

    browser = Browser(personas.bob)
    page = browser.get("inbox").content.decode()
    assert "interested" in page and "Sounds good" in page
    browser.post("inbox-action", personas.acme_rows.ids["inbound"], data={"action": "interested"})
    assert Lead.objects.get(pk=personas.acme_rows.ids["lead"]).status == "interested"


def test_analytics_shows_the_funnel_and_the_chart_data(personas):
    response = Browser(personas.alice).get("analytics")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert [s["label"] for s in chart["series"]] == [
        "sent",
        "replies",
        "bounces",
        "positive replies",
    ]
    assert chart["series"][0]["total"] == 1 and chart["series"][3]["total"] == 1
    assert b'id="chart-data" type="application/json"' in response.content
