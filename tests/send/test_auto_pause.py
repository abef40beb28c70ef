"""Automatic pause of mailboxes and campaigns: hard-bounce rate at send time, complaints."""

from __future__ import annotations

import pytest

from coldflow.analytics.models import Event
from coldflow.campaigns.models import Campaign
from coldflow.send.auto_pause import record_complaint
from coldflow.send.delivery import deliver_batch
from coldflow.send.models import Mailbox

from .factory import SendWorld
from .scripted_smtp import Script, scripted_server

pytestmark = pytest.mark.django_db(transaction=True)


def test_hard_bounces_past_the_threshold_pause_mailbox_and_campaign(settings_for_send):
    dead = {f"dead{i}@acme.test" for i in range(3)}
    script = Script(rcpt={a: f"550 5.1.1 <{a}>: no such user" for a in dead})
    with scripted_server(script) as (host, port):
        world = SendWorld()
        mailbox = world.mailbox(
            "sam@sender.test", host=host, port=port, username="sam", password="s3cret"
        )
        good = [world.message(f"ok{i}@acme.test", mailbox) for i in range(30)]
        bad = [world.message(a, mailbox) for a in sorted(dead)]
        results = deliver_batch([m.pk for m in good + bad], settings=settings_for_send)
        late = world.message("ok-late@acme.test", mailbox)
        held = deliver_batch([late.pk], settings=settings_for_send)[0]

    # The first bounce after 30 good sends is 3.2 %: the rest wait for a person to look.
    assert [r.outcome for r in results][-3:] == ["hard_bounce", "held", "held"]
    mailbox.refresh_from_db()
    campaign = Campaign.objects.get(pk=world.campaign.pk)
    assert mailbox.status == "paused_by_system"
    assert "hard-bounce rate 3.2% (1 of the last 31 sends)" in mailbox.status_reason
    assert campaign.status == "paused" and "hard-bounce rate" in campaign.status_reason
    assert Event.objects.filter(kind="mailbox.paused", mailbox=mailbox).count() == 1
    assert Event.objects.filter(kind="campaign.paused", campaign=campaign).count() == 1
    assert held.outcome == "held"


def test_a_single_complaint_pauses_at_once(settings_for_send):
    world = SendWorld()
    mailbox = world.mailbox(
        "sam@sender.test", host="127.0.0.1", port=2525, username="sam", password="x"
    )
    message = world.message("angry@acme.test", mailbox, state="sent")

    record_complaint(message, "ARF report from acme.test")

    assert Mailbox.objects.get(pk=mailbox.pk).status_reason == (
        "angry@acme.test reported our message as spam (ARF report from acme.test)"
    )
    assert Campaign.objects.get(pk=world.campaign.pk).status == "paused"
    assert Event.objects.filter(kind="message.complained", message=message).exists()
