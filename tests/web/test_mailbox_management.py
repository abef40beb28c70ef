"""Mailboxes managed in the dashboard: adding one (validated like `coldflow mailbox add`), the
connection check a job runs against the sandbox's real SMTP and IMAP servers and stores,
changing settings and credentials without ever showing a secret, removing (archiving) one, and
picking added mailboxes in the campaign wizard."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from coldflow.accounts.models import AuditEntry
from coldflow.campaigns.models import Campaign
from coldflow.send.models import CampaignMailbox, Enrollment, Mailbox, OutboundMessage
from tests.web.dashboard import Browser
from tests.web.personas import MAILBOX_SECRETS

# What the form sends when a field is not the point of the test.
DEFAULTS = {
    "display_name": "",
    "smtp_port": "587",
    "smtp_security": "starttls",
    "imap_host": "",
    "imap_port": "993",
    "imap_security": "tls",
    "username": "",
    "imap_username": "",
    "daily_cap": "30",
    "ramp_start": "5",
    "ramp_step": "2",
    "min_gap_seconds": "120",
    "max_gap_seconds": "360",
    "timezone": "UTC",
    "sent_folder": "Sent",
}


@pytest.fixture
def sandboxed(sandbox, monkeypatch):
    """The sandbox's network settings (loopback allowed, its DNS server) for this test."""
    monkeypatch.setenv("SANDBOX", "true")
    monkeypatch.setenv("SANDBOX_STATE_DIR", str(sandbox.state_dir))
    return sandbox.endpoints


@pytest.fixture
def real_network(monkeypatch):
    monkeypatch.delenv("SANDBOX", raising=False)
    monkeypatch.delenv("MAILBOX_ALLOW_PRIVATE_SERVERS", raising=False)


@pytest.fixture
def local_servers_allowed(monkeypatch):
    """The seeded mailboxes live on 127.0.0.1, as a relay on this machine would."""
    monkeypatch.delenv("SANDBOX", raising=False)
    monkeypatch.setenv("MAILBOX_ALLOW_PRIVATE_SERVERS", "true")


def sandbox_form(endpoints, sender: dict, password: str) -> dict:
    return DEFAULTS | {
        "email": sender["address"],
        "display_name": sender["display_name"],
        "smtp_host": endpoints["submission"]["host"],
        "smtp_port": str(endpoints["submission"]["port"]),
        "smtp_security": "plain",
        "imap_host": endpoints["imap"]["host"],
        "imap_port": str(endpoints["imap"]["port"]),
        "imap_security": "plain",
        "username": sender["username"],
        "password": password,
        "dkim_selector": endpoints["dkim"]["selector"],
    }


def raw_secrets(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT smtp_password, imap_password FROM send_mailbox WHERE id = %s", [pk])
        return " ".join(cursor.fetchone())


@pytest.mark.slow
def test_an_added_mailbox_is_checked_by_a_job_against_the_sandbox_servers(
    personas, sandboxed, django_capture_on_commit_callbacks
):
    sender = sandboxed["senders"][0]
    browser = Browser(personas.alice)
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        response = browser.post(
            "mailbox-new", data=sandbox_form(sandboxed, sender, sender["password"])
        )
    assert response.status_code == 302, response.content[:500]
    # The check was handed to the job queue after the commit, not run inside the request.
    assert len(enqueued) == 1
    box = Mailbox.objects.get(workspace=personas.acme, email=sender["address"])
    assert response["Location"] == reverse("mailbox", args=[box.pk])
    assert sender["password"] not in raw_secrets(box.pk), "stored encrypted"
    assert box.smtp_password == sender["password"] and box.imap_username == sender["username"]

    assert box.check_ok is True and box.checked_at >= box.check_requested_at
    servers = {c["server"]: c for c in box.check_result["servers"]}
    assert servers["SMTP"]["ok"] and servers["IMAP"]["ok"]
    assert "logged in at 127.0.0.1" in servers["SMTP"]["detail"]
    findings = {f["check"]: f["status"] for f in box.check_result["domain"]["findings"]}
    assert findings == {"SPF": "ok", "DKIM": "ok", "DMARC": "ok"}

    page = browser.get("mailbox", box.pk).content.decode()
    assert "logins work" in page and "Last checked" in page
    assert "DNS authentication of lumenfield-sales.com" in page
    assert "Check again" in page
    assert sender["password"] not in page
    entry = AuditEntry.objects.get(action="mailbox.add", object_id=str(box.pk))
    assert entry.changes["email"] == sender["address"]
    assert sender["password"] not in str(entry.changes)


@pytest.mark.slow
def test_a_wrong_password_is_stored_as_an_authentication_failure_until_it_is_fixed(
    personas, sandboxed, django_capture_on_commit_callbacks
):
    sender = sandboxed["senders"][1]
    browser = Browser(personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("mailbox-new", data=sandbox_form(sandboxed, sender, "wrong-password-Qz9"))
    box = Mailbox.objects.get(workspace=personas.acme, email=sender["address"])
    assert box.check_ok is False
    details = [c["detail"] for c in box.check_result["servers"]]
    assert all(d.startswith("authentication:") for d in details), details
    page = browser.get("mailbox", box.pk).content.decode()
    assert "logins failed" in page and "authentication" in page
    assert "wrong-password-Qz9" not in page

    # Fixing the password in the edit form checks it again.
    form = sandbox_form(sandboxed, sender, sender["password"])
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        response = browser.post("mailbox-edit", box.pk, data=form)
    assert response.status_code == 302 and len(enqueued) == 1
    box.refresh_from_db()
    assert box.check_ok is True
    change = AuditEntry.objects.get(action="mailbox.change", object_id=str(box.pk))
    assert change.changes == {"changed": ["password"]}

    # "Check again" runs it once more, through the job.
    first = box.checked_at
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        assert browser.post("mailbox-check", box.pk).status_code == 302
    assert len(enqueued) == 1
    box.refresh_from_db()
    assert box.checked_at > first and box.check_ok is True
    assert AuditEntry.objects.filter(action="mailbox.check", object_id=str(box.pk)).exists()


def test_a_pending_check_is_shown_as_such_and_polled(personas, local_servers_allowed):
    browser = Browser(personas.alice)
    with_password = DEFAULTS | {
        "email": "new@acme-sales.example",
        "smtp_host": "127.0.0.1",
        "password": "pw-Lm4",
    }
    # The test's transaction never commits: the job is asked for but has not run.
    assert browser.post("mailbox-new", data=with_password).status_code == 302
    box = Mailbox.objects.get(email="new@acme-sales.example")
    assert box.check_requested_at is not None and box.checked_at is None
    page = browser.get("mailbox", box.pk).content.decode()
    assert "A worker is logging in" in page and "every 2s" in page
    panel = browser.get(reverse("mailbox", args=[box.pk]) + "?part=check").content.decode()
    assert panel.startswith('<div id="mailbox-check"') and "checking" in panel


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"email": "not-an-address"}, "not an email address"),
        ({"smtp_port": "five"}, "SMTP port must be a whole number"),
        ({"smtp_port": "70000"}, "SMTP port must be between 1 and 65535"),
        ({"smtp_host": ""}, "give the SMTP server"),
        ({"smtp_host": "192.0.2.10", "smtp_security": "plain"}, "allowed to loopback only"),
        ({"password": ""}, "give a password"),
        ({"min_gap_seconds": "600"}, "minimum gap (600 s) is longer than the maximum (360 s)"),
        ({"daily_cap": "-1"}, "daily cap cannot be negative"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"dkim_private_key": "not a key"}, "needs its selector"),
        (
            {"dkim_selector": "s1", "dkim_private_key": "-----BEGIN PRIVATE KEY-----\nKeyBody-Qw7"},
            "not an unencrypted PEM private key",
        ),
    ],
)
def test_a_refused_form_says_why_keeps_the_input_and_never_echoes_a_secret(
    personas, real_network, change, words
):
    form = DEFAULTS | {
        "email": "sam@acme-sales.example",
        "smtp_host": "93.184.216.34",
        "password": "pw-never-echoed-Tn6",
        "dkim_private_key": "",
    }
    form |= change
    response = Browser(personas.alice).post("mailbox-new", data=form)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page, page[page.find('role="alert"') - 10 :][:400]
    assert "pw-never-echoed-Tn6" not in page
    assert "KeyBody-Qw7" not in page and "not a key" not in page
    if "email" not in change:
        assert 'value="sam@acme-sales.example"' in page
    assert not Mailbox.objects.filter(email="sam@acme-sales.example").exists()


@pytest.mark.parametrize(
    ("host", "category"),
    [("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("169.254.169.254", "link-local")],
)
def test_servers_on_internal_addresses_are_refused_outside_the_sandbox(
    personas, real_network, host, category
):
    form = DEFAULTS | {"email": "sam@acme-sales.example", "smtp_host": host, "password": "pw"}
    page = Browser(personas.alice).post("mailbox-new", data=form).content.decode()
    assert f"SMTP server {host} is refused: {category} address" in page
    assert ("MAILBOX_ALLOW_PRIVATE_SERVERS" in page) == (category != "link-local")


def test_a_relay_on_this_machine_is_allowed_by_the_setting(personas, local_servers_allowed):
    form = DEFAULTS | {
        "email": "relay@acme-sales.example",
        "smtp_host": "127.0.0.1",
        "smtp_security": "plain",
        "password": "pw",
    }
    assert Browser(personas.alice).post("mailbox-new", data=form).status_code == 302


def test_an_address_already_in_use_is_refused(personas, local_servers_allowed):
    taken = Mailbox.objects.get(pk=personas.acme_rows.ids["mailbox"]).email
    form = DEFAULTS | {"email": taken.upper(), "smtp_host": "127.0.0.1", "password": "pw"}
    response = Browser(personas.alice).post("mailbox-new", data=form)
    assert response.status_code == 400
    assert "already a mailbox of this workspace" in response.content.decode()


def test_the_edit_form_never_shows_a_secret_and_an_empty_password_keeps_the_stored_one(
    personas, local_servers_allowed, django_capture_on_commit_callbacks
):
    pk = personas.acme_rows.ids["mailbox"]
    browser = Browser(personas.alice)
    form_page = browser.get("mailbox-edit", pk).content.decode()
    for secret in MAILBOX_SECRETS:
        assert secret not in form_page
    assert "Leave empty to keep the stored password" in form_page
    assert "A key is stored" in form_page

    box = Mailbox.objects.get(pk=pk)
    form = DEFAULTS | {
        "smtp_host": box.smtp_host,
        "imap_host": box.imap_host,
        "imap_port": str(box.imap_port),
        "username": box.smtp_username,
        "dkim_selector": box.dkim_selector,
        "daily_cap": "45",
        "ramp_start": "10",
        "min_gap_seconds": "60",
        "timezone": "Europe/Berlin",
        "display_name": "Sam Seller",
        "password": "",
        "dkim_private_key": "",
    }
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        response = browser.post("mailbox-edit", pk, data=form)
    assert response.status_code == 302
    # Only sending rules changed: no new connection check.
    assert enqueued == []
    box.refresh_from_db()
    assert (box.daily_cap, box.ramp_start, box.min_gap_seconds, box.timezone) == (
        45,
        10,
        60,
        "Europe/Berlin",
    )
    assert box.smtp_password == MAILBOX_SECRETS[0] and box.imap_password == MAILBOX_SECRETS[1]
    assert box.dkim_private_key == MAILBOX_SECRETS[4]
    change = AuditEntry.objects.get(action="mailbox.change", object_id=str(pk))
    assert set(change.changes["changed"]) == {
        "display_name",
        "daily_cap",
        "ramp_start",
        "min_gap_seconds",
        "timezone",
    }

    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        browser.post("mailbox-edit", pk, data=form | {"password": "new-secret-Vb8"})
    assert len(enqueued) == 1, "new credentials are checked again"
    box.refresh_from_db()
    assert box.smtp_password == box.imap_password == "new-secret-Vb8"
    entries = AuditEntry.objects.filter(object_id=str(pk)).values_list("changes", flat=True)
    assert "new-secret-Vb8" not in str(list(entries))
    assert "new-secret-Vb8" not in browser.get("mailbox-edit", pk).content.decode()


def test_a_refused_edit_changes_nothing(personas, local_servers_allowed):
    pk = personas.acme_rows.ids["mailbox"]
    form = DEFAULTS | {"smtp_host": "127.0.0.1", "min_gap_seconds": "900", "daily_cap": "99"}
    response = Browser(personas.bob).post("mailbox-edit", pk, data=form)
    assert response.status_code == 400
    assert "minimum gap (900 s)" in response.content.decode()
    assert Mailbox.objects.get(pk=pk).daily_cap == 30


def test_removing_a_mailbox_archives_it_and_keeps_its_history(personas):
    pk = personas.acme_rows.ids["mailbox"]
    browser = Browser(personas.alice)
    confirm = browser.get("mailbox-remove", pk).content.decode()
    campaign = Campaign.objects.get(pk=personas.acme_rows.ids["campaign"])
    assert "stops the sequences of <strong>1</strong> lead" in confirm
    assert campaign.name in confirm

    response = browser.post("mailbox-remove", pk)
    assert response.status_code == 302 and response["Location"] == reverse("mailboxes")
    box = Mailbox.objects.get(pk=pk)
    assert box.status == "archived"
    assert (box.smtp_password, box.imap_password, box.oauth_refresh_token) == ("", "", "")
    assert box.dkim_private_key == ""
    assert not CampaignMailbox.objects.filter(mailbox=box).exists()
    enrollment = Enrollment.objects.get(pk=personas.acme_rows.ids["enrollment"])
    assert (enrollment.status, enrollment.stop_reason) == ("stopped", "mailbox_removed")
    assert OutboundMessage.objects.get(pk=personas.acme_rows.ids["message"]).state == "sent"
    entry = AuditEntry.objects.get(action="mailbox.remove", object_id=str(pk))
    assert entry.changes == {"stopped_enrollments": 1, "campaigns": [campaign.name]}

    assert "1 sequence through it stopped" in browser.get("mailboxes").content.decode()
    listing = browser.get("mailboxes").content.decode()
    assert box.email not in listing and "Removed mailboxes (1)" in listing
    assert box.email in browser.get("mailboxes", archived="1").content.decode()
    assert "was removed" in browser.get("mailbox", pk).content.decode()
    # A removed mailbox cannot be resumed, changed or checked; adding it again revives it.
    browser.post("mailbox-resume", pk)
    assert Mailbox.objects.get(pk=pk).status == "archived"
    assert browser.get("mailbox-edit", pk).status_code == 302


def test_a_mailbox_with_emails_on_their_way_out_is_not_removed(personas):
    pk = personas.acme_rows.ids["mailbox"]
    sent = OutboundMessage.objects.get(pk=personas.acme_rows.ids["message"])
    OutboundMessage.objects.filter(pk=sent.pk).update(state="queued")
    browser = Browser(personas.alice)
    confirm = browser.get("mailbox-remove", pk).content.decode()
    assert "still has emails on their way out (1 queued for campaign" in confirm
    assert '<button type="submit">Remove' not in confirm
    response = browser.post("mailbox-remove", pk)
    assert response.status_code == 302
    assert Mailbox.objects.get(pk=pk).status == "active"
    assert not AuditEntry.objects.filter(action="mailbox.remove").exists()
    # Once the campaign is paused, its queued email is held back: removal goes ahead and
    # fails it, since its mailbox is gone.
    Campaign.objects.filter(pk=personas.acme_rows.ids["campaign"]).update(status="paused")
    browser.post("mailbox-remove", pk)
    assert Mailbox.objects.get(pk=pk).status == "archived"
    assert OutboundMessage.objects.get(pk=sent.pk).state == "failed"


def test_an_added_mailbox_is_offered_in_the_campaign_wizard_and_a_removed_one_is_not(
    personas, local_servers_allowed
):
    browser = Browser(personas.alice)
    form = DEFAULTS | {
        "email": "wizard@acme-sales.example",
        "smtp_host": "127.0.0.1",
        "password": "pw",
    }
    response = browser.client.post(
        reverse("mailbox-new") + "?next=campaign-new",
        form | {"csrfmiddlewaretoken": browser.token},
    )
    assert response["Location"] == reverse("campaign-new") + "?step=mailboxes"
    added = Mailbox.objects.get(email="wizard@acme-sales.example")
    seeded = Mailbox.objects.get(pk=personas.acme_rows.ids["mailbox"])
    step = browser.get(reverse("campaign-new") + "?step=mailboxes").content.decode()
    assert f'id="mailbox-{added.pk}"' in step and f'id="mailbox-{seeded.pk}"' in step
    browser.post("mailbox-remove", seeded.pk)
    step = browser.get(reverse("campaign-new") + "?step=mailboxes").content.decode()
    assert f'id="mailbox-{added.pk}"' in step and f'id="mailbox-{seeded.pk}"' not in step
    # Nor can a removed mailbox be sent to the step by hand.
    chosen = browser.client.post(
        reverse("campaign-new") + "?step=mailboxes",
        {"mailboxes": [seeded.pk], "csrfmiddlewaretoken": browser.token},
    )
    assert "choose at least one mailbox" in chosen.content.decode()


def test_a_dkim_key_pasted_into_the_form_is_stored_so_that_it_signs(
    personas, local_servers_allowed
):
    from coldflow.sandbox.world.dkim_key import SANDBOX_DKIM_PRIVATE_KEY_PEM
    from coldflow.send.dkim_signing import dkim_sign

    # Browsers send a textarea's lines with CRLF.
    pasted = "  " + SANDBOX_DKIM_PRIVATE_KEY_PEM.replace("\n", "\r\n") + "\r\n"
    form = DEFAULTS | {
        "email": "signer@acme-sales.example",
        "smtp_host": "127.0.0.1",
        "password": "pw",
        "dkim_selector": "s1",
        "dkim_private_key": pasted,
    }
    assert Browser(personas.alice).post("mailbox-new", data=form).status_code == 302
    stored = Mailbox.objects.get(email="signer@acme-sales.example").dkim_private_key
    raw = b"From: signer@acme-sales.example\r\nSubject: Hi\r\n\r\nHello\r\n"
    signed = dkim_sign(raw, domain="acme-sales.example", selector="s1", private_key_pem=stored)
    assert signed.startswith(b"DKIM-Signature:")


@pytest.mark.parametrize("state", ["sending", "unknown"])
def test_a_mailbox_with_an_email_in_flight_is_not_removed_even_for_a_paused_campaign(
    personas, state
):
    pk = personas.acme_rows.ids["mailbox"]
    OutboundMessage.objects.filter(pk=personas.acme_rows.ids["message"]).update(state=state)
    Campaign.objects.filter(pk=personas.acme_rows.ids["campaign"]).update(status="paused")
    browser = Browser(personas.alice)
    browser.post("mailbox-remove", pk)
    assert Mailbox.objects.get(pk=pk).status == "active"
    words = {"sending": "1 being sent", "unknown": "1 being looked for in Sent"}[state]
    assert words in browser.get("mailbox-remove", pk).content.decode()


def test_a_check_that_cannot_run_is_stored_as_failed_with_why(personas, monkeypatch, tmp_path):
    from coldflow.config.loader import ConfigError
    from coldflow.send.mailbox_checks import run_stored_check

    monkeypatch.setenv("SANDBOX", "true")
    monkeypatch.setenv("SANDBOX_STATE_DIR", str(tmp_path / "nothing-here"))
    pk = personas.acme_rows.ids["mailbox"]
    with pytest.raises(ConfigError):
        run_stored_check(pk)
    box = Mailbox.objects.get(pk=pk)
    assert box.check_ok is False and box.checked_at is not None
    assert "the check could not run" in box.check_result["error"]
    assert "no sandbox.json" in Browser(personas.bob).get("mailbox", pk).content.decode()


def test_a_check_never_connects_to_a_server_the_rules_refuse(personas, real_network):
    """Saved while allowed (or resolving elsewhere then): the check refuses it before any
    connection, with the same words as the form."""
    from coldflow.send.mailbox_checks import run_stored_check

    pk = personas.acme_rows.ids["mailbox"]
    outcome = run_stored_check(pk)
    assert [c.stage for c in outcome.servers.checks] == ["address", "address"]
    box = Mailbox.objects.get(pk=pk)
    assert box.check_ok is False
    assert (
        "SMTP server 127.0.0.1 is refused: loopback address"
        in (box.check_result["servers"][0]["detail"])
    )
