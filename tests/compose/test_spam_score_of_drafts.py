"""Every draft of the default sequence, sent as coldflow sends it (footer, List-Unsubscribe,
DKIM-less), scores below 2.0 in SpamAssassin, whose spam threshold is 5.0."""

from __future__ import annotations

import os

import pytest

from coldflow.compose.drafts import compose_drafts
from coldflow.compose.lint import spamassassin_available, spamassassin_check
from coldflow.send.delivery import render
from coldflow.send.models import Mailbox
from coldflow.send.settings import SendSettings
from tests.compose import factory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not spamassassin_available() and os.environ.get("CI") != "true",
        reason="spamassassin is not installed (apt-get install spamassassin)",
    ),
]


def _campaign_with_leads():
    campaign = factory.campaign()
    huber = factory.company(
        campaign, "huber-logistik.de", name="Huber Logistik GmbH", city="Kassel"
    )
    factory.fact(
        huber,
        "signal.post",
        {"title": "Neue Route nach Prag", "date": "2026-11-02"},
        url="http://huber-logistik.de/blog/prag",
    )
    factory.lead(campaign, huber, "Anna", "Huber")
    nordwind = factory.company(campaign, "nordwind.io", name="Nordwind Software", city="Dublin")
    factory.fact(
        nordwind,
        "signal.open_role",
        {"title": "Senior Backend Engineer", "location": "Dublin"},
        url="http://nordwind.io/careers",
    )
    factory.lead(campaign, nordwind, "Liam", "Byrne")
    quiet = factory.company(campaign, "quiet-example.com", name="Quiet Example Ltd")
    factory.lead(campaign, quiet, "Sam")
    return campaign


def test_every_draft_of_the_default_sequence_scores_below_two(settings):
    campaign = _campaign_with_leads()
    compose_drafts(campaign)
    mailbox = Mailbox.objects.create(
        workspace=campaign.workspace,
        email="mia.hoffmann@lumenfield-sales.com",
        display_name="Mia Hoffmann",
        smtp_host="127.0.0.1",
        smtp_username="mia.hoffmann@lumenfield-sales.com",
    )
    send_settings = SendSettings(secret_key="spam-score-test")
    messages = list(campaign.messages.order_by("lead_id", "step__position"))
    assert len(messages) == 9
    scores = {}
    for message in messages:
        report = spamassassin_check(render(message, mailbox, send_settings))
        assert report is not None
        scores[(message.lead_id, message.step.position, message.variant.label)] = (
            report.score,
            [rule.name for rule in report.rules if rule.points > 0],
        )
    assert max(score for score, _ in scores.values()) < 2.0, scores
