"""`coldflow apikey create|list|revoke` in a fresh installation."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_a_key_is_created_shown_once_listed_by_prefix_and_revoked(instance):
    assert instance.run("init").returncode == 0
    made = instance.run("apikey", "create", "CRM sync", "--read-only", "--json")
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)
    assert key["key"].startswith(key["prefix"]) and key["read_only"] is True

    listed = instance.run("apikey", "list", "--json")
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["prefix"]) for r in rows] == [("CRM sync", key["prefix"])]
    assert key["key"] not in listed.stdout

    check = instance.python(
        "from coldflow.accounts.api_keys import key_for_secret\n"
        f"print(key_for_secret({key['key']!r}).read_only)"
    )
    assert check.stdout.strip() == "True", check.stderr

    revoked = instance.run("apikey", "revoke", key["prefix"])
    assert revoked.returncode == 0 and "Revoked" in revoked.stdout
    assert json.loads(instance.run("apikey", "list", "--json").stdout) == []
    everything = json.loads(instance.run("apikey", "list", "--all", "--json").stdout)
    assert everything[0]["revoked_at"] is not None
    gone = instance.python(
        "from coldflow.accounts.api_keys import key_for_secret\n"
        f"print(key_for_secret({key['key']!r}))"
    )
    assert gone.stdout.strip() == "None"


def test_revoking_an_unknown_key_says_so(instance):
    assert instance.run("init").returncode == 0
    result = instance.run("apikey", "revoke", "cf_nothing")
    assert result.returncode == 1 and "has no API key 'cf_nothing'" in result.stderr + result.stdout


def test_the_commands_explain_themselves(instance):
    help_text = instance.run("apikey", "create", "--help").stdout
    assert "--read-only" in help_text and "shown this once" in help_text
