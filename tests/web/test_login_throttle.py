"""The login throttle counts in the database: a failure one web process saw counts in every
other one (and after a restart), and the window closes by time."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coldflow.accounts.models import LoginFailures
from coldflow.web.security import (
    LOGIN_FAILURE_LIMIT,
    LOGIN_WINDOW_SECONDS,
    login_failures,
    note_login_failure,
)
from tests.conftest import REPO
from tests.web.personas import PASSWORD

# Django's test client comes from this address.
CLIENT_ADDRESS = "127.0.0.1"

# Another web process: its own interpreter and its own database connection, on the test database.
OTHER_PROCESS = """
import sys
from django.conf import settings

settings.DATABASES["default"]["NAME"] = sys.argv[1]
import django

django.setup()
from coldflow.web.security import login_failures, note_login_failure

print(login_failures(sys.argv[2], sys.argv[3]))
print(note_login_failure(sys.argv[2], sys.argv[3]))
"""


def in_another_process(username: str) -> tuple[int, int]:
    """(failures the other process sees, its count after noting one more)."""
    result = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, connection.settings_dict["NAME"], username,
         CLIENT_ADDRESS],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen, after = result.stdout.split()
    return int(seen), int(after)


def log_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db(transaction=True)
def test_failures_seen_by_one_process_count_in_another(personas):
    name = personas.bob.username
    client = Client()
    for _ in range(LOGIN_FAILURE_LIMIT - 1):
        assert log_in(client, name, "wrong").status_code == 200

    # A second web process sees this process's four failures and adds the fifth...
    assert in_another_process(name) == (LOGIN_FAILURE_LIMIT - 1, LOGIN_FAILURE_LIMIT)

    # ...which locks the login here, even with the right password.
    blocked = log_in(client, name, PASSWORD)
    assert blocked.status_code == 429
    assert b"Too many failed logins" in blocked.content
    # Other user names are not affected.
    assert log_in(Client(), personas.alice.username, PASSWORD).status_code == 302


def test_the_window_opens_at_the_first_failure_and_is_not_extended(personas):
    name = personas.bob.username
    before = timezone.now()
    assert note_login_failure(name, CLIENT_ADDRESS) == 1
    row = LoginFailures.objects.get()
    window = timedelta(seconds=LOGIN_WINDOW_SECONDS)
    assert before + window <= row.expires_at <= timezone.now() + window
    opened = row.expires_at
    for expected in range(2, LOGIN_FAILURE_LIMIT + 1):
        assert note_login_failure(name, CLIENT_ADDRESS) == expected
    row.refresh_from_db()
    assert row.expires_at == opened and row.failures == LOGIN_FAILURE_LIMIT
    # Neither the user name nor the address is stored in clear.
    assert name not in row.key and CLIENT_ADDRESS not in row.key


def test_after_the_window_the_user_may_try_again_and_counting_starts_over(personas):
    name = personas.bob.username
    client = Client()
    for _ in range(LOGIN_FAILURE_LIMIT):
        log_in(client, name, "wrong")
    assert log_in(client, name, PASSWORD).status_code == 429

    # The window's time passes (moved back rather than waited for: it is 15 minutes).
    LoginFailures.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert login_failures(name, CLIENT_ADDRESS) == 0
    assert log_in(Client(), name, "wrong").status_code == 200
    # The closed window is gone; a new one counts from one.
    assert list(LoginFailures.objects.values_list("failures", flat=True)) == [1]
    assert log_in(Client(), name, PASSWORD).status_code == 302
    assert not LoginFailures.objects.exists()


def test_failures_count_per_user_name_and_address(personas):
    name = personas.bob.username
    for _ in range(LOGIN_FAILURE_LIMIT):
        note_login_failure(name, "198.51.100.7")
    assert login_failures(name, "198.51.100.7") == LOGIN_FAILURE_LIMIT
    assert login_failures(name.upper(), "198.51.100.7") == LOGIN_FAILURE_LIMIT
    assert login_failures(name, CLIENT_ADDRESS) == 0
    assert log_in(Client(), name, PASSWORD).status_code == 302
