"""Every dashboard page, opened by a logged-in owner in Chromium: it renders, it is saved as a
screenshot, and axe-core finds no serious or critical accessibility violation on it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.seeding import add_draft

# (screenshot name, URL name, the seeded row whose id the URL takes)
PAGES = [
    ("campaigns", "campaigns", None),
    ("campaign-new", "campaign-new", None),
    ("campaign", "campaign", "campaign"),
    ("leads", "leads", None),
    ("lead", "lead", "lead"),
    ("review", "review", None),
    ("inbox", "inbox", None),
    ("mailboxes", "mailboxes", None),
    ("mailbox", "mailbox", "mailbox"),
    ("mailbox-new", "mailbox-new", None),
    ("mailbox-edit", "mailbox-edit", "mailbox"),
    ("mailbox-remove", "mailbox-remove", "mailbox"),
    ("suppressions", "suppressions", None),
    ("analytics", "analytics", None),
    ("settings", "settings", None),
    ("settings-webhook", "settings-webhook", "webhook_endpoint"),
    ("audit", "audit", None),
]


@pytest.mark.parametrize(("name", "url_name", "row"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_renders_for_its_owner_and_has_no_serious_accessibility_violation(
    alice, personas, name, url_name, row
):
    add_draft(personas)
    args = [personas.acme_rows.ids[row]] if row else []
    alice.visit(reverse(url_name, args=args), name)
    assert alice.page.locator("h1").count() >= 1
    assert not alice.dialogs


def test_every_page_in_the_navigation_is_checked():
    from coldflow.web.context import NAVIGATION

    checked = {url_name for _, url_name, _ in PAGES}
    assert {name for name, _, _ in NAVIGATION} <= checked
