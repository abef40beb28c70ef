"""Safety of every dashboard page: headers, CSRF, escaping of scraped text, login throttle."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from coldflow.contacts.models import Lead
from coldflow.research.models import Company, Fact
from tests.web.dashboard import Browser
from tests.web.personas import PASSWORD

PAGES = ("campaigns", "leads", "review", "inbox", "mailboxes", "suppressions", "analytics",
         "settings", "audit")  # fmt: skip


def test_every_page_sends_a_strict_content_security_policy_and_security_headers(personas):
    browser = Browser(personas.alice)
    for name in PAGES:
        response = browser.get(name)
        assert response.status_code == 200, name
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        body = response.content.decode()
        assert "<script>" not in body and " onclick=" not in body and "<style" not in body, name


def test_the_pages_load_their_scripts_from_our_own_static_files(personas):
    browser = Browser(personas.alice)
    page = browser.get("campaigns").content.decode()
    for path in ("coldflow/vendor/htmx.min.js", "coldflow/vendor/uPlot.min.js", "coldflow/app.js"):
        assert f"/static/{path}" in page
        assert Client().get(f"/static/{path}").status_code == 200
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]


def test_a_form_posted_without_the_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.alice)
    response = client.post(reverse("suppression-add"), {"value": "x@example.com"})
    assert response.status_code == 403


def test_a_scraped_company_name_and_fact_render_as_text(personas):
    lead = Lead.objects.get(pk=personas.acme_rows.ids["lead"])
    Company.objects.filter(pk=lead.company_id).update(name="<script>alert(1)</script>")
    Fact.objects.filter(pk=personas.acme_rows.ids["fact"]).update(
        value='<img src=x onerror="alert(2)">', source_url="javascript:alert(3)"
    )
    browser = Browser(personas.alice)
    for response in (browser.get("lead", lead.pk), browser.get("leads")):
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    body = browser.get("lead", lead.pk).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x" in body
    assert 'href="javascript:' not in body


def test_the_outsider_sees_none_of_acmes_pages(personas):
    browser = Browser(personas.charlie)
    ids = personas.acme_rows.ids
    for name, pk in (
        ("lead", ids["lead"]),
        ("campaign", ids["campaign"]),
        ("mailbox", ids["mailbox"]),
    ):
        assert browser.get(name, pk).status_code == 404
    for name in PAGES:
        assert personas.acme.slug.encode() not in browser.get(name).content
        assert b"acme" not in browser.get(name).content.lower()


def test_a_read_only_member_sees_pages_but_cannot_change_anything(personas):
    browser = Browser(personas.rita)
    assert browser.get("leads").status_code == 200
    assert browser.post("suppression-add", data={"value": "x@example.com"}).status_code == 403
    assert b"Apply</button>" not in browser.get("leads").content


def test_login_stops_checking_passwords_after_five_failures_for_a_user_and_address(personas):
    client = Client()
    name = personas.bob.username
    for _ in range(5):
        response = client.post(reverse("login"), {"username": name, "password": "wrong"})
        assert response.status_code == 200
    blocked = client.post(reverse("login"), {"username": name, "password": PASSWORD})
    assert blocked.status_code == 429
    assert b"Too many failed logins" in blocked.content
    other_user = client.post(
        reverse("login"), {"username": personas.alice.username, "password": PASSWORD}
    )
    assert other_user.status_code == 302


def test_a_successful_login_clears_the_failures(personas):
    client = Client()
    name = personas.bob.username
    for _ in range(4):
        client.post(reverse("login"), {"username": name, "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": name, "password": PASSWORD}).status_code == 302
    )
    client.logout()
    for _ in range(4):
        client.post(reverse("login"), {"username": name, "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": name, "password": PASSWORD}).status_code == 302
    )


def test_a_form_goes_back_only_to_a_page_of_this_site(personas):
    browser = Browser(personas.alice)
    lead = personas.acme_rows.ids["lead"]
    for back, lands in (
        ("/leads/?status=ready", "/leads/?status=ready"),
        ("//evil.example/x", reverse("leads")),
        ("/\\evil.example/x", reverse("leads")),
        ("https://evil.example/", reverse("leads")),
        ("javascript:alert(1)", reverse("leads")),
    ):
        data = {"action": "stop", "ids": [lead], "back": back}
        response = browser.post("leads-bulk", data=data)
        assert response.status_code == 302 and response["Location"] == lands, back
