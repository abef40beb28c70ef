"""From the event log to deliveries: real stage functions record events, the sweep fans them
out to the endpoints subscribed to them, once."""

from __future__ import annotations

import json
import uuid

import pytest
from django.utils import timezone

from coldflow.accounts.models import Workspace
from coldflow.analytics.events import record
from coldflow.send.auto_pause import pause_campaign
from coldflow.send.suppression import apply_unsubscribe
from coldflow.webhooks.fanout import sweep
from coldflow.webhooks.models import WebhookDelivery, WebhookEndpoint
from coldflow.webhooks.tasks import webhooks_tick
from tests.send.factory import SendWorld

from .receiver import running_receiver

pytestmark = pytest.mark.django_db


def endpoint(workspace, *types: str, url: str = "https://hooks.example.com/in") -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        workspace=workspace, url=url, secret="whsec_x", event_kinds=list(types)
    )


def deliveries(**filters) -> list[tuple[int, str]]:
    return sorted(
        WebhookDelivery.objects.filter(**filters).values_list("endpoint_id", "event_type")
    )


def test_an_unsubscribe_reaches_each_subscribed_endpoint_once_and_nobody_else():
    world = SendWorld()
    other = SendWorld()
    mailbox = world.mailbox(
        "sam@sender.test", host="127.0.0.1", port=25, username="s", password="x"
    )
    message = world.message("anna@acme.test", mailbox, state="sent")
    everything = endpoint(world.workspace)
    unsubscribes = endpoint(world.workspace, "unsubscribed", "bounced")
    replies_only = endpoint(world.workspace, "replied")
    other_workspace = endpoint(other.workspace, "unsubscribed")
    disabled = endpoint(world.workspace, "unsubscribed")
    WebhookEndpoint.objects.filter(pk=disabled.pk).update(active=False)

    assert apply_unsubscribe(message, "one-click link")
    sweep(timezone.now())
    sweep(timezone.now())  # a second sweep finds nothing new and duplicates nothing

    assert deliveries() == sorted(
        [(everything.pk, "unsubscribed"), (unsubscribes.pk, "unsubscribed")]
    )
    assert not WebhookDelivery.objects.filter(
        endpoint__in=[replies_only, other_workspace, disabled]
    ).exists()
    delivery = WebhookDelivery.objects.get(endpoint=unsubscribes)
    assert delivery.event.kind == "lead.unsubscribed" and delivery.state == "pending"


def test_a_campaign_paused_by_the_bounce_threshold_is_one_delivery_per_endpoint():
    world = SendWorld()
    paused = endpoint(world.workspace, "campaign_paused")
    sent_only = endpoint(world.workspace, "sent")

    assert pause_campaign(world.campaign, "hard-bounce rate 3.2% is above the 2.0% threshold")
    assert not pause_campaign(world.campaign, "again")  # already paused: no second event
    report = sweep(timezone.now())

    assert report.events == 1
    assert deliveries() == [(paused.pk, "campaign_paused")]
    assert not WebhookDelivery.objects.filter(endpoint=sent_only).exists()


def test_an_interested_reply_is_both_replied_and_interested():
    world = SendWorld()
    both = endpoint(world.workspace, "replied", "interested")
    interested = endpoint(world.workspace, "interested")
    record("reply.received", workspace=world.workspace, data={"intent": "interested"})
    record("reply.received", workspace=world.workspace, data={"intent": "not_now"})
    record("reply.auto_reply", workspace=world.workspace, data={})

    sweep(timezone.now())

    assert deliveries() == sorted(
        [
            (both.pk, "replied"),
            (both.pk, "interested"),
            (both.pk, "replied"),
            (interested.pk, "interested"),
        ]
    )


def test_events_before_an_endpoint_existed_are_not_delivered_to_it():
    space = Workspace.objects.create(name="Early", slug=f"early-{uuid.uuid4().hex[:6]}")
    record("mailbox.paused", workspace=space, data={"reason": "login failed"})
    sweep(timezone.now())
    late = endpoint(space)
    record("mailbox.paused", workspace=space, data={"reason": "5.7.1"})

    sweep(timezone.now())

    [delivery] = WebhookDelivery.objects.filter(endpoint=late)
    assert delivery.event.data["reason"] == "5.7.1"


def test_an_event_committed_late_below_the_cursor_is_still_fanned_out():
    space = Workspace.objects.create(name="Late", slug=f"late-{uuid.uuid4().hex[:6]}")
    hook = endpoint(space)
    first = record("mailbox.paused", workspace=space, data={"reason": "a"})
    second = record("campaign.paused", workspace=space, data={"reason": "b"})
    sweep(timezone.now())
    # As if `first` had committed after the sweep read `second`: its delivery is missing.
    WebhookDelivery.objects.filter(event=first).delete()

    sweep(timezone.now())

    assert sorted(
        WebhookDelivery.objects.filter(endpoint=hook).values_list("event_id", flat=True)
    ) == [
        first.pk,
        second.pk,
    ]


def test_the_periodic_tick_fans_out_and_delivers_to_a_real_receiver(monkeypatch):
    monkeypatch.setenv("WEBHOOK_ALLOW_LOOPBACK", "true")
    world = SendWorld()
    mailbox = world.mailbox(
        "sam@sender.test", host="127.0.0.1", port=25, username="s", password="x"
    )
    message = world.message("bob@acme.test", mailbox, state="sent")
    with running_receiver((200, 0)) as receiver:
        endpoint(world.workspace, "unsubscribed", url=receiver.url)
        apply_unsubscribe(message, "reply asking to be removed")
        webhooks_tick.call_local()

    [request] = receiver.received
    payload = json.loads(request.body)
    assert payload["type"] == "unsubscribed"
    assert payload["data"] == {"address": "bob@acme.test", "source": "reply asking to be removed"}
    assert payload["lead"]["email"] == "bob@acme.test"
    assert payload["campaign"] == {"id": world.campaign.pk, "name": "Spring"}
    assert payload["message"]["id"] == message.pk
    assert payload["workspace"]["slug"] == world.workspace.slug
    assert "smtp_password" not in request.body.decode()
    assert WebhookDelivery.objects.get().state == "delivered"
