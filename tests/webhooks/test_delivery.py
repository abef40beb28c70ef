"""Delivering webhooks to a real receiver on loopback: signatures, retries, 410, timeouts,
the attempt log, and the SSRF guard."""

from __future__ import annotations

import json
import random
import uuid
from datetime import timedelta

import pytest

from coldflow.accounts.models import Workspace
from coldflow.analytics.events import record
from coldflow.errors import UserError
from coldflow.webhooks.delivery import deliver
from coldflow.webhooks.endpoints import add_endpoint, ping
from coldflow.webhooks.models import WebhookDelivery, WebhookEndpoint
from coldflow.webhooks.settings import WebhookSettings
from coldflow.webhooks.signing import verify_signature

from .receiver import running_receiver

pytestmark = pytest.mark.django_db

LOCAL = WebhookSettings(
    timeout=2.0, max_attempts=3, retry_after=timedelta(seconds=1), allow_loopback=True
)


def workspace() -> Workspace:
    slug = f"hooks-{uuid.uuid4().hex[:8]}"
    return Workspace.objects.create(name=slug, slug=slug)


def pending_delivery(url: str, secret: str = "whsec_test") -> WebhookDelivery:
    space = workspace()
    endpoint = WebhookEndpoint.objects.create(workspace=space, url=url, secret=secret)
    event = record(
        "mailbox.paused",
        workspace=space,
        data={"reason": "5.7.1 policy rejection", "by": "system", "password": "never"},
    )
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event=event, event_type="mailbox_paused"
    )


def test_a_delivery_is_signed_so_the_receivers_helper_verifies_it():
    with running_receiver((200, 0)) as receiver:
        delivery = pending_delivery(receiver.url, secret="whsec_abc")
        outcome = deliver(delivery.pk, LOCAL)

    assert outcome.state == "delivered"
    [request] = receiver.received
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["x-coldflow-event"] == "mailbox_paused"
    assert headers["x-coldflow-delivery"] == str(delivery.pk)
    assert headers["x-coldflow-signature"].startswith("sha256=")
    assert verify_signature(
        "whsec_abc", headers["x-coldflow-timestamp"], request.body, headers["x-coldflow-signature"]
    )
    assert not verify_signature(
        "whsec_other",
        headers["x-coldflow-timestamp"],
        request.body,
        headers["x-coldflow-signature"],
    )
    assert not verify_signature(
        "whsec_abc",
        headers["x-coldflow-timestamp"],
        request.body + b" ",
        headers["x-coldflow-signature"],
    )
    payload = json.loads(request.body)
    assert payload["type"] == "mailbox_paused" and payload["id"] == delivery.event_id
    assert payload["data"] == {"reason": "5.7.1 policy rejection", "by": "system"}
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.delivered_at is not None
    assert delivery.response_status == 200 and delivery.response_excerpt == "answer 1: 200"


def test_a_500_is_retried_with_backoff_until_the_receiver_accepts():
    with running_receiver((500, 0), (503, 0), (204, 0)) as receiver:
        delivery = pending_delivery(receiver.url)
        first = deliver(delivery.pk, LOCAL, rng=random.Random(1))
        too_early = deliver(delivery.pk, LOCAL)
        second = deliver(delivery.pk, LOCAL, now=first.retry_at, rng=random.Random(1))
        third = deliver(delivery.pk, LOCAL, now=second.retry_at)

    assert (first.state, first.status, first.error) == ("pending", 500, "receiver answered 500")
    assert too_early.state == "skipped"
    assert second.state == "pending" and second.status == 503
    assert third.state == "delivered" and third.status == 204
    assert len(receiver.received) == 3
    # The same event each time (one id for receivers to deduplicate on), signed anew.
    assert len({json.loads(r.body)["id"] for r in receiver.received}) == 1
    log = list(delivery.attempt_log.order_by("number").values("number", "status_code", "error"))
    assert log == [
        {"number": 1, "status_code": 500, "error": "receiver answered 500"},
        {"number": 2, "status_code": 503, "error": "receiver answered 503"},
        {"number": 3, "status_code": 204, "error": ""},
    ]


def test_it_gives_up_after_the_attempt_limit():
    with running_receiver((500, 0)) as receiver:
        delivery = pending_delivery(receiver.url)
        outcome = deliver(delivery.pk, LOCAL)
        while outcome.state == "pending":
            outcome = deliver(delivery.pk, LOCAL, now=outcome.retry_at)
        after = deliver(delivery.pk, LOCAL, now=outcome.retry_at)

    assert outcome.state == "failed"
    assert outcome.error == "receiver answered 500; gave up after 3 attempts"
    assert after.state == "skipped"
    assert len(receiver.received) == LOCAL.max_attempts
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)


def test_backoff_doubles_with_jitter_and_is_capped():
    settings = WebhookSettings(retry_after=timedelta(seconds=30))
    rng = random.Random(7)
    delays = [settings.retry_delay(n, rng).total_seconds() for n in range(1, 6)]
    for attempt, delay in enumerate(delays, start=1):
        base = 30 * 2 ** (attempt - 1)
        assert base / 2 <= delay <= base
    assert settings.retry_delay(40).total_seconds() <= 6 * 3600


def test_410_gone_disables_the_endpoint():
    with running_receiver((410, 0)) as receiver:
        delivery = pending_delivery(receiver.url)
        outcome = deliver(delivery.pk, LOCAL)
        # The endpoint's other deliveries are not attempted any more.
        later = WebhookDelivery.objects.create(
            endpoint=delivery.endpoint,
            event=record("campaign.paused", workspace=delivery.endpoint.workspace),
            event_type="campaign_paused",
        )
        skipped = deliver(later.pk, LOCAL)

    assert outcome.state == "failed" and outcome.status == 410
    endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
    assert endpoint.active is False and "410 Gone" in endpoint.disabled_reason
    assert skipped.state == "failed" and skipped.error.startswith("endpoint disabled: 410 Gone")
    assert len(receiver.received) == 1


def test_a_receiver_slower_than_the_timeout_is_an_attempt_that_failed_in_words():
    quick = WebhookSettings(timeout=0.5, max_attempts=3, allow_loopback=True)
    with running_receiver((200, 3.0)) as receiver:
        delivery = pending_delivery(receiver.url)
        outcome = deliver(delivery.pk, quick)

    assert outcome.state == "pending" and outcome.status is None
    assert outcome.error == "timeout after 0.5 s"
    [attempt] = delivery.attempt_log.all()
    assert attempt.error == "timeout after 0.5 s" and 400 <= attempt.latency_ms < 2500


def test_a_redirect_is_not_followed():
    with running_receiver((301, 0)) as receiver:
        delivery = pending_delivery(receiver.url)
        outcome = deliver(delivery.pk, LOCAL)

    assert outcome.state == "pending" and outcome.status == 301
    assert "not followed" in outcome.error


def test_loopback_and_private_endpoints_are_refused_outside_test_or_sandbox_mode():
    real = WebhookSettings(timeout=2.0)
    space = workspace()
    for url in (
        "http://127.0.0.1:9/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://[::1]:9/hook",
        "http://169.254.169.254/latest/meta-data",
    ):
        with pytest.raises(UserError, match="refused"):
            add_endpoint(space, url, None, real)
    # Allowing loopback does not open private networks.
    with pytest.raises(UserError, match="private address 10.1.2.3"):
        add_endpoint(space, "http://10.1.2.3/hook", None, LOCAL)
    with pytest.raises(UserError, match="must be http"):
        add_endpoint(space, "ftp://example.com/x", None, LOCAL)

    # An endpoint stored before the setting changed is still refused at delivery time.
    with running_receiver((200, 0)) as receiver:
        delivery = pending_delivery(receiver.url)
        outcome = deliver(delivery.pk, real)
    assert receiver.received == []
    assert outcome.state == "pending" and outcome.error == "refused: loopback address 127.0.0.1"


def test_a_ping_goes_to_one_endpoint_once_and_is_logged():
    space = workspace()
    with running_receiver((500, 0)) as receiver:
        endpoint, secret = add_endpoint(space, receiver.url, "replied", LOCAL)
        outcome = ping(endpoint, LOCAL)

    assert secret.startswith("whsec_") and endpoint.secret == secret
    assert outcome.state == "failed" and outcome.status == 500
    [request] = receiver.received
    assert json.loads(request.body)["type"] == "ping"
    assert WebhookDelivery.objects.get(pk=outcome.delivery_id).attempts == 1
