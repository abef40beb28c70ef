"""One pause for mailboxes: by coldflow (paused_by_system) or by a person (paused_by_user),
each with its `mailbox.paused` event and webhook payload."""

from __future__ import annotations

import pytest

from coldflow.analytics.models import Event
from coldflow.send.mailboxes import SYSTEM, pause_mailbox
from coldflow.send.models import Mailbox
from coldflow.webhooks.delivery import event_facts
from coldflow.webhooks.events import build_payload, public_types

from .factory import SendWorld

pytestmark = pytest.mark.django_db


def _mailbox(world: SendWorld, **fields) -> Mailbox:
    return world.mailbox(
        "sam@sender.test", host="127.0.0.1", port=25, username="sam", password="x", **fields
    )


def _events(mailbox: Mailbox) -> list[dict]:
    return list(
        Event.objects.filter(kind="mailbox.paused", mailbox=mailbox)
        .order_by("pk")
        .values_list("data", flat=True)
    )


def test_a_person_pauses_an_active_mailbox_once_and_the_webhook_says_who():
    world = SendWorld()
    mailbox = _mailbox(world)

    assert pause_mailbox(mailbox, "warming up elsewhere", by="alice")
    assert not pause_mailbox(mailbox, "again", by="alice"), "only an active mailbox is paused"

    mailbox.refresh_from_db()
    assert (mailbox.status, mailbox.status_reason) == ("paused_by_user", "warming up elsewhere")
    assert mailbox.status_changed_at is not None
    assert _events(mailbox) == [{"reason": "warming up elsewhere", "by": "alice"}]
    event = Event.objects.get(kind="mailbox.paused", mailbox=mailbox)
    assert public_types(event.kind, event.data) == ["mailbox_paused"]
    payload = build_payload("mailbox_paused", event_facts(event.pk))
    assert payload["data"] == {"reason": "warming up elsewhere", "by": "alice"}
    assert payload["mailbox"] == {"id": mailbox.pk, "email": "sam@sender.test"}


def test_the_system_pauses_with_its_reason_and_the_callers_context():
    world = SendWorld()
    mailbox = _mailbox(world)

    assert pause_mailbox(mailbox, "5.7.1 policy rejection", by=SYSTEM, data={"message": 7})

    mailbox.refresh_from_db()
    assert (mailbox.status, mailbox.status_reason) == ("paused_by_system", "5.7.1 policy rejection")
    assert _events(mailbox) == [{"message": 7, "reason": "5.7.1 policy rejection", "by": "system"}]


def test_a_refused_login_is_shown_over_a_persons_pause_but_not_twice():
    world = SendWorld()
    mailbox = _mailbox(world, status="paused_by_user", status_reason="holiday")

    assert not pause_mailbox(mailbox, "login refused", by=SYSTEM)
    assert pause_mailbox(mailbox, "login refused", by=SYSTEM, even_if_paused=True)
    assert not pause_mailbox(mailbox, "login refused", by=SYSTEM, even_if_paused=True)

    mailbox.refresh_from_db()
    assert (mailbox.status, mailbox.status_reason) == ("paused_by_system", "login refused")
    assert [e["by"] for e in _events(mailbox)] == ["system"]


def test_a_removed_mailbox_is_never_paused():
    world = SendWorld()
    mailbox = _mailbox(world, status="archived")

    assert not pause_mailbox(mailbox, "login refused", by=SYSTEM, even_if_paused=True)
    assert not pause_mailbox(mailbox, "by hand", by="cli")

    mailbox.refresh_from_db()
    assert mailbox.status == "archived"
    assert _events(mailbox) == []
