"""Browser tests: Playwright (sync API) driving Debian's headless Chromium against a live server.

The server is pytest-django's `live_server` on loopback, on the same test database as the test
(SQLite in the first pass, PostgreSQL in the services pass), so rows a test writes are what the
browser sees. Users log in through the real login form. Every page a test visits is saved as a
screenshot under test-output/screenshots/ and checked with axe-core (tests/browser/accessibility.py).

Without Chromium or the playwright package the tests are skipped, except under CI=true, where
that is a failure: CI installs both.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.accessibility import assert_accessible
from tests.web.personas import PASSWORD, Personas, make_personas

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def browser_unavailable() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    """Headless Chromium for one test module.

    Playwright's sync API keeps an event loop running in the test's thread, and Django refuses
    ORM calls from a thread with a running loop. The tests' own ORM calls (seeding rows,
    checking them, flushing the database) are plain synchronous code, so they are allowed
    while the browser is up, and only then: the browser closes with its module.
    """
    reason = browser_unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # Chromium's own sandbox needs user namespaces, which CI containers running as
            # root do not give it.
            args=["--no-sandbox"] if os.geteuid() == 0 else [],
        )
        yield launched
        launched.close()


@pytest.fixture
def personas(live_server) -> Personas:
    """alice, bob, rita (Acme) and charlie (Globex), with one row of everything each."""
    return make_personas()


class Visitor:
    """A browser page for one test, with the visits it makes recorded as screenshots."""

    def __init__(self, page, base_url: str, test_name: str):
        self.page = page
        self.base_url = base_url
        self.test_name = test_name
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _console(self, message) -> None:
        # The browser asks every site for /favicon.ico; the dashboard has none.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        return response

    def log_in(self, user, password: str = PASSWORD) -> None:
        self.goto("/login/")
        self.page.get_by_label("Email or user name").fill(user.get_username())
        self.page.get_by_label("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Log in").click()
        assert "/login/" not in self.page.url, "the login form did not accept the user"

    def check(self, name: str) -> None:
        """Screenshot the page as it is now and assert axe finds nothing serious on it, and the
        browser reported no error (a script failing, or the Content-Security-Policy blocking
        one of the dashboard's own resources)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        assert_accessible(self.page, name)
        assert not self.console_errors, f"browser errors on {name}: {self.console_errors}"

    def visit(self, path: str, name: str) -> None:
        self.goto(path)
        self.page.wait_for_load_state("networkidle")
        self.check(name)


@pytest.fixture
def visitor(browser, live_server, request) -> Iterator[Visitor]:
    """An anonymous visitor in a fresh browser context (own cookies)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield Visitor(page, live_server.url, request.node.name)
    finally:
        context.close()


@pytest.fixture
def alice(visitor: Visitor, personas: Personas) -> Visitor:
    """Alice (owner of Acme), logged in through the login form."""
    visitor.log_in(personas.alice)
    return visitor
