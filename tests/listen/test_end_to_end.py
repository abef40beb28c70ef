"""Send real email through coldflow's delivery to sandbox prospects whose behaviour is known,
read what comes back over IMAP with the inbox poll, and check every consequence."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from imapclient import IMAPClient

from coldflow.analytics.models import Event
from coldflow.contacts.models import Lead
from coldflow.listen.inbox import ListenSettings, poll_mailbox
from coldflow.listen.models import InboundMessage
from coldflow.send.delivery import deliver_batch
from coldflow.send.models import Enrollment, OutboundMessage, Suppression
from coldflow.send.settings import SendSettings
from tests.listen.factory import read_inbox_from_now
from tests.send.factory import SendWorld

pytestmark = pytest.mark.django_db(transaction=True)

REPLY_KINDS = ("interested", "not_interested", "out_of_office", "unsubscribe")
# Prospects answer within 5 sandbox seconds, late bounces come after 3.
DEADLINE_SECONDS = 60


def _cast(mail_world) -> dict[str, str]:
    """One prospect address per behaviour, plus an address that is accepted and bounces later."""
    cast = {}
    for kind in REPLY_KINDS:
        cast[kind] = next(
            address
            for address, behaviour in sorted(mail_world.prospects.items())
            if behaviour.kind == kind and behaviour.language == "en"
        )
    policy = next(
        p for _, p in sorted(mail_world.domains.items()) if p.bounce_after_accept and p.has_mx
    )
    cast["bounce"] = f"{sorted(policy.bounce_after_accept)[0]}@{policy.domain}"
    return cast


def _wait_for_answers(host: str, port: int, sender, message_ids: list[str]) -> None:
    """Until the sender's INBOX holds mail naming each of our messages (a reply threads under
    it, a delivery report quotes its headers), over IMAP, or fail at the deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    missing = set(message_ids)
    while True:
        with IMAPClient(host, port=port, ssl=False, timeout=10) as client:
            client.login(sender.username, sender.password)
            client.select_folder("INBOX", readonly=True)
            uids = client.search(["ALL"])
            for data in client.fetch(uids, ["BODY.PEEK[]"]).values() if uids else ():
                raw = data[b"BODY[]"]
                missing = {mid for mid in missing if mid.encode() not in raw}
        if not missing:
            return
        assert time.monotonic() < deadline, f"no answer to {sorted(missing)} within the deadline"
        time.sleep(0.5)


def _state(leads: dict[str, Lead]) -> tuple:
    return (
        sorted(
            Lead.objects.filter(pk__in=[x.pk for x in leads.values()]).values_list("pk", "status")
        ),
        sorted(
            Enrollment.objects.filter(lead__in=leads.values()).values_list(
                "pk", "status", "stop_reason", "next_action_at"
            )
        ),
        sorted(Suppression.objects.values_list("value", "reason")),
        Event.objects.count(),
    )


def test_replies_and_a_late_bounce_from_the_sandbox_have_all_their_consequences(sandbox):
    mail_world = sandbox.world.mail
    sender = mail_world.senders[-1]
    submission, imap = sandbox.endpoints["submission"], sandbox.endpoints["imap"]
    cast = _cast(mail_world)

    world = SendWorld()
    mailbox = world.mailbox(
        sender.address,
        host=submission["host"],
        port=submission["port"],
        username=sender.username,
        password=sender.password,
        imap_port=imap["port"],
        append_to_sent=False,
    )
    with IMAPClient(imap["host"], port=imap["port"], ssl=False, timeout=10) as client:
        client.login(sender.username, sender.password)
        read_inbox_from_now(mailbox, client)
    messages = {kind: world.message(address, mailbox) for kind, address in cast.items()}
    settings = SendSettings(secret_key="coldflow-e2e-secret", smtp_timeout=10.0)
    results = deliver_batch([m.pk for m in messages.values()], settings=settings)
    assert [r.outcome for r in results] == ["sent"] * len(messages), results

    sent = {kind: OutboundMessage.objects.get(pk=m.pk) for kind, m in messages.items()}
    _wait_for_answers(imap["host"], imap["port"], sender, [m.message_id for m in sent.values()])
    before_poll = timezone.now()
    report = poll_mailbox(mailbox, ListenSettings(timeout=10.0))
    assert not report.error and report.failed == 0
    matched = set(
        InboundMessage.objects.filter(mailbox=mailbox).values_list("matched_message_id", flat=True)
    )
    assert {m.pk for m in sent.values()} <= matched

    leads = {kind: Lead.objects.get(pk=m.lead_id) for kind, m in sent.items()}
    enrollments = {kind: Enrollment.objects.get(lead=lead) for kind, lead in leads.items()}
    suppressed = dict(
        Suppression.objects.filter(workspace=world.workspace).values_list("value", "reason")
    )

    # Human replies stop the sequence; the lead's status follows the intent.
    for kind in ("interested", "not_interested"):
        assert leads[kind].status == kind
        assert (enrollments[kind].status, enrollments[kind].stop_reason) == ("stopped", "replied")
        assert cast[kind] not in suppressed
    # Out of office: rescheduled, not stopped, not suppressed.
    away = enrollments["out_of_office"]
    assert away.status == "active" and away.next_action_at > before_poll + timedelta(hours=12)
    assert leads["out_of_office"].status == "contacted"
    assert cast["out_of_office"] not in suppressed
    # Unsubscribe: suppressed, stopped, unsubscribed.
    assert suppressed[cast["unsubscribe"]] == "unsubscribe"
    assert enrollments["unsubscribe"].stop_reason == "unsubscribed"
    assert leads["unsubscribe"].status == "unsubscribed"
    # The late bounce: read from its delivery report, suppressed, the lead bounced, and counted
    # by the auto-pause exactly like a refusal at send time.
    assert suppressed[cast["bounce"]] == "hard_bounce"
    assert leads["bounce"].status == "bounced"
    assert enrollments["bounce"].stop_reason == "hard_bounce"
    bounced = Event.objects.get(kind="message.bounced", message=sent["bounce"])
    assert bounced.data["hard"] is True and bounced.data["stage"] == "report"
    assert set(suppressed) == {cast["unsubscribe"], cast["bounce"]}

    # Reading the mailbox again finds nothing new and changes nothing.
    state = _state(leads)
    again = poll_mailbox(mailbox, ListenSettings(timeout=10.0))
    assert again.new == 0 and not again.error
    assert _state(leads) == state
