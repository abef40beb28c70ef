"""Logging in and out through the dashboard's real form, in Chromium."""

from __future__ import annotations


def test_the_login_page_is_accessible_and_anonymous_visitors_are_sent_to_it(visitor):
    visitor.goto("/")
    assert "/login/" in visitor.page.url
    visitor.check("login")


def test_a_wrong_password_keeps_the_user_out_with_a_readable_error(visitor, personas):
    visitor.goto("/login/")
    visitor.page.get_by_label("Email or user name").fill(personas.alice.get_username())
    visitor.page.get_by_label("Password").fill("not the password")
    visitor.page.get_by_role("button", name="Log in").click()
    alert = visitor.page.get_by_role("alert")
    alert.wait_for()
    assert "/login/" in visitor.page.url
    assert "password" in alert.inner_text().lower()
    visitor.check("login-error")


def test_an_owner_logs_in_sees_her_workspace_and_logs_out(alice, personas):
    page = alice.page
    assert page.get_by_text(personas.acme.name).first.is_visible()
    assert page.get_by_text(personas.globex.name).count() == 0
    alice.check("home")
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    assert "/login/" in page.url
    alice.goto("/")
    assert "/login/" in page.url
