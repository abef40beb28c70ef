"""`coldflow webhook …` in a fresh installation, against a real receiver on loopback."""

from __future__ import annotations

import json

from coldflow.webhooks.signing import verify_signature

from .receiver import running_receiver


def test_add_list_test_deliveries_and_remove(instance):
    assert instance.run("init").returncode == 0
    with running_receiver((200, 0), (500, 0)) as receiver:
        refused = instance.run("webhook", "add", receiver.url)
        added = instance.run(
            "webhook",
            "add",
            receiver.url,
            "--events",
            "replied,interested",
            "--json",
            WEBHOOK_ALLOW_LOOPBACK="true",
        )
        created = json.loads(added.stdout)
        pinged = instance.run("webhook", "test", str(created["id"]), WEBHOOK_ALLOW_LOOPBACK="true")
        failing = instance.run("webhook", "test", str(created["id"]), WEBHOOK_ALLOW_LOOPBACK="true")
        listed = instance.run("webhook", "list", "--json")
        log = instance.run("webhook", "deliveries", "--json")
        failed_only = instance.run("webhook", "deliveries", "--failed")
        unknown = instance.run("webhook", "add", receiver.url, "--events", "opened")
        removed = instance.run("webhook", "remove", str(created["id"]))
        after = instance.run("webhook", "list")

    assert refused.returncode == 1
    assert "loopback address 127.0.0.1" in refused.stderr
    assert "WEBHOOK_ALLOW_LOOPBACK=true" in refused.stderr
    assert added.returncode == 0, added.stderr
    assert created["events"] == ["replied", "interested"]
    secret = created["secret"]
    assert pinged.returncode == 0 and "ping delivered (200)" in pinged.stdout
    assert failing.returncode == 1 and "answered 500" in failing.stdout
    first = receiver.received[0]
    headers = {k.lower(): v for k, v in first.headers.items()}
    assert verify_signature(
        secret, headers["x-coldflow-timestamp"], first.body, headers["x-coldflow-signature"]
    )
    [endpoint] = json.loads(listed.stdout)
    assert endpoint["url"] == receiver.url and "secret" not in endpoint
    assert secret not in listed.stdout + log.stdout
    rows = json.loads(log.stdout)
    assert [(r["type"], r["state"], r["status"]) for r in rows] == [
        ("ping", "failed", 500),
        ("ping", "delivered", 200),
    ]
    assert rows[0]["attempt_log"][0]["response_excerpt"] == "answer 2: 500"
    assert rows[0]["attempt_log"][0]["latency_ms"] >= 0
    assert "failed after 1 attempt(s), last 500" in failed_only.stdout
    assert "delivered" not in failed_only.stdout
    assert unknown.returncode == 1 and "unknown webhook event type opened" in unknown.stderr
    assert removed.returncode == 0
    assert "No webhooks yet" in after.stdout


def test_disable_enable_and_rotate_the_secret_from_the_command_line(instance):
    assert instance.run("init").returncode == 0
    with running_receiver((200, 0), (200, 0)) as receiver:
        loopback = {"WEBHOOK_ALLOW_LOOPBACK": "true"}
        created = json.loads(
            instance.run("webhook", "add", receiver.url, "--json", **loopback).stdout
        )
        pk = str(created["id"])
        disabled = instance.run("webhook", "disable", pk, "--reason", "CRM down for maintenance")
        listed = json.loads(instance.run("webhook", "list", "--json").stdout)
        refused = instance.run("webhook", "test", pk, **loopback)
        enabled = instance.run("webhook", "enable", pk)
        rotated = json.loads(instance.run("webhook", "rotate-secret", pk, "--json").stdout)
        pinged = instance.run("webhook", "test", pk, **loopback)
        missing = instance.run("webhook", "disable", "999")

    assert disabled.returncode == 0, disabled.stderr
    assert listed[0]["active"] is False
    assert listed[0]["disabled_reason"] == "CRM down for maintenance"
    assert refused.returncode == 1
    assert enabled.returncode == 0 and f"Enabled webhook {pk}" in enabled.stdout
    assert pinged.returncode == 0, pinged.stdout + pinged.stderr
    [delivery] = receiver.received
    headers = {k.lower(): v for k, v in delivery.headers.items()}
    timestamp, signature = headers["x-coldflow-timestamp"], headers["x-coldflow-signature"]
    assert rotated["secret"] != created["secret"]
    assert verify_signature(rotated["secret"], timestamp, delivery.body, signature)
    assert not verify_signature(created["secret"], timestamp, delivery.body, signature)
    assert missing.returncode == 1 and "no webhook endpoint 999" in missing.stderr
