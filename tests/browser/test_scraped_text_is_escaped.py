"""Scraped strings are shown as text: a company named <script>…</script> cannot run in the
dashboard. The Content-Security-Policy would block an inline script anyway, so the tests also
check that the markup arrived as text, not as elements."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coldflow.contacts.models import Person
from coldflow.research.models import Company, Fact
from tests.browser.seeding import add_draft

COMPANY = '<script>alert("company")</script>'
PERSON = "<img src=x onerror=alert('person')>"
FACT = '<svg onload=alert("fact")>'


@pytest.fixture
def hostile(personas):
    ids = personas.acme_rows.ids
    Company.objects.filter(pk=ids["company"]).update(name=COMPANY)
    Person.objects.filter(pk=ids["person"]).update(full_name=PERSON)
    Fact.objects.filter(pk=ids["fact"]).update(value=FACT)
    add_draft(personas)
    return ids


@pytest.mark.parametrize(
    ("url_name", "row"),
    [("leads", None), ("lead", "lead"), ("inbox", None), ("review", None)],
)
def test_a_hostile_company_name_renders_as_text_and_runs_nothing(alice, hostile, url_name, row):
    page = alice.page
    alice.visit(reverse(url_name, args=[hostile[row]] if row else []), f"escaped-{url_name}")
    shown = page.locator("main").inner_text()
    assert COMPANY in shown or PERSON in shown
    # No element came out of the strings: no inline script, no <img src=x>, no <svg onload>.
    assert page.locator("main script").count() == 0
    assert page.locator("main img[src='x'], main svg[onload]").count() == 0
    assert not alice.dialogs


def test_the_lead_page_shows_the_hostile_fact_and_company_literally(alice, hostile):
    alice.visit(reverse("lead", args=[hostile["lead"]]), "escaped-lead-facts")
    shown = alice.page.locator("main").inner_text()
    assert COMPANY in shown
    assert PERSON in shown
    assert FACT in shown
    assert not alice.dialogs
