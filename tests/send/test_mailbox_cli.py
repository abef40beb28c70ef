"""`coldflow mailbox add|list|test|check-domain` in a fresh installation, against the sandbox."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def sandboxed(instance, sandbox):
    instance.env.update(SANDBOX="true", SANDBOX_STATE_DIR=str(sandbox.state_dir))
    assert instance.run("init").returncode == 0
    return instance, sandbox.endpoints


def add(instance, endpoints, sender, password, *extra):
    return instance.run(
        "mailbox",
        "add",
        sender["address"],
        "--smtp-host",
        endpoints["submission"]["host"],
        "--smtp-port",
        str(endpoints["submission"]["port"]),
        "--smtp-security",
        "plain",
        "--imap-host",
        endpoints["imap"]["host"],
        "--imap-port",
        str(endpoints["imap"]["port"]),
        "--imap-security",
        "plain",
        "--display-name",
        sender["display_name"],
        *extra,
        COLDFLOW_MAILBOX_PASSWORD=password,
    )


def test_a_sandbox_mailbox_is_added_listed_without_secrets_and_tested(sandboxed):
    instance, endpoints = sandboxed
    sender = endpoints["senders"][0]
    added = add(instance, endpoints, sender, sender["password"])
    assert added.returncode == 0, added.stderr
    assert sender["password"] not in added.stdout + added.stderr

    listed = instance.run("mailbox", "list", "--json")
    assert listed.returncode == 0
    assert sender["password"] not in listed.stdout
    assert json.loads(listed.stdout)[0]["status"] == "active"

    tested = instance.run("mailbox", "test", sender["address"], "--json")
    report = json.loads(tested.stdout)
    assert tested.returncode == 0, tested.stdout
    assert [c["ok"] for c in report["servers"]] == [True, True]
    assert {f["check"]: f["status"] for f in report["domain"]} == {
        "SPF": "ok",
        "DKIM": "warn",
        "DMARC": "ok",
    }
    assert sender["password"] not in tested.stdout


def test_a_wrong_password_is_reported_as_an_authentication_failure(sandboxed):
    instance, endpoints = sandboxed
    sender = endpoints["senders"][1]
    add(instance, endpoints, sender, "wrong-password")
    tested = instance.run("mailbox", "test", sender["address"])
    assert tested.returncode == 1
    assert "✗ SMTP   authentication: the server refused the login" in tested.stdout
    assert "✗ IMAP   authentication" in tested.stdout
    assert "wrong-password" not in tested.stdout


def test_unreachable_servers_are_reported_as_dns_and_tcp_failures(sandboxed):
    instance, _ = sandboxed
    instance.run(
        "mailbox",
        "add",
        "x@lumenfield-sales.com",
        "--smtp-host",
        "no-such-host.invalid",
        "--imap-host",
        "127.0.0.1",
        "--imap-port",
        "1",
        "--imap-security",
        "plain",
        COLDFLOW_MAILBOX_PASSWORD="pw",
    )
    tested = instance.run("mailbox", "test", "x@lumenfield-sales.com")
    assert tested.returncode == 1
    assert "✗ SMTP   DNS: cannot resolve no-such-host.invalid" in tested.stdout
    assert "✗ IMAP   TCP: cannot connect to 127.0.0.1:1" in tested.stdout


def test_plain_connections_to_a_remote_server_are_refused(sandboxed):
    instance, _ = sandboxed
    added = instance.run(
        "mailbox",
        "add",
        "x@example.com",
        "--smtp-host",
        "192.0.2.10",
        "--smtp-security",
        "plain",
        COLDFLOW_MAILBOX_PASSWORD="pw",
    )
    assert added.returncode == 1
    assert "allowed to loopback only" in added.stderr


def test_check_domain_uses_the_configured_resolver_and_gives_advice(sandboxed):
    instance, endpoints = sandboxed
    good = instance.run(
        "mailbox", "check-domain", endpoints["sending_domain"], "--dkim-selector", "sandbox"
    )
    assert good.returncode == 0, good.stdout
    assert (
        "✓ DKIM   key found at sandbox._domainkey.lumenfield-sales.com (2048 bits)" in good.stdout
    )
    bare = instance.run("mailbox", "check-domain", "nothing-here.test", "--json")
    findings = {f["check"]: f for f in json.loads(bare.stdout)["findings"]}
    assert bare.returncode == 1
    assert findings["SPF"]["status"] == "fail" and "v=spf1" in findings["SPF"]["advice"]
    assert (
        findings["DMARC"]["status"] == "fail"
        and "_dmarc.nothing-here.test" in (findings["DMARC"]["advice"])
    )


def test_sending_rules_are_changed_validated_and_the_mailbox_paused_and_resumed(sandboxed):
    instance, endpoints = sandboxed
    sender = endpoints["senders"][0]
    assert add(instance, endpoints, sender, sender["password"]).returncode == 0
    address = sender["address"]

    changed = instance.run(
        "mailbox", "set", address, "--daily-cap", "40", "--ramp-start", "8",
        "--min-gap", "90", "--max-gap", "300", "--timezone", "Europe/Berlin",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert "daily cap: 40" in changed.stdout and "timezone: Europe/Berlin" in changed.stdout

    for bad, words in (
        (["--timezone", "Mars/Olympus"], "unknown time zone"),
        (["--min-gap", "600"], "minimum gap (600 s) is longer than the maximum (300 s)"),
        (["--daily-cap", "-1"], "cannot be negative"),
    ):
        refused = instance.run("mailbox", "set", address, *bad)
        assert refused.returncode == 1 and words in refused.stderr, refused.stderr

    paused = instance.run("mailbox", "set", address, "--pause", "warming up elsewhere")
    assert "paused" in paused.stdout
    listed = json.loads(instance.run("mailbox", "list", "--json").stdout)[0]
    assert (listed["status"], listed["status_reason"]) == ("paused_by_user", "warming up elsewhere")
    resumed = instance.run("mailbox", "set", address, "--resume")
    assert "resumed (was paused_by_user)" in resumed.stdout
    assert json.loads(instance.run("mailbox", "list", "--json").stdout)[0]["status"] == "active"


def test_a_tested_mailbox_shows_its_check_and_a_removed_one_comes_back_when_added_again(
    sandboxed,
):
    instance, endpoints = sandboxed
    sender = endpoints["senders"][2]
    assert add(instance, endpoints, sender, sender["password"]).returncode == 0
    assert instance.run("mailbox", "test", sender["address"]).returncode == 0
    listed = json.loads(instance.run("mailbox", "list", "--json").stdout)[0]
    assert listed["check_ok"] is True and listed["checked_at"]

    removed = instance.run("mailbox", "remove", sender["address"], "--yes")
    assert removed.returncode == 0, removed.stderr
    assert "Removed " + sender["address"] in removed.stdout
    listed = json.loads(instance.run("mailbox", "list", "--json").stdout)[0]
    assert listed["status"] == "archived"
    tested = instance.run("mailbox", "test", sender["address"])
    assert tested.returncode == 1 and "was removed" in tested.stderr

    assert add(instance, endpoints, sender, sender["password"]).returncode == 0
    assert json.loads(instance.run("mailbox", "list", "--json").stdout)[0]["status"] == "active"
