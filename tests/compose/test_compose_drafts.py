"""compose_drafts: one linted draft per (lead, step), grounded in the lead's own facts, idempotent."""

import re

import pytest

from coldflow.campaigns.models import StepVariant
from coldflow.compose.drafts import compose_drafts
from coldflow.compose.sequences import ensure_default_sequence
from coldflow.send.models import OutboundMessage
from tests.compose import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = factory.campaign()
    acme = factory.company(campaign, "acme.test", name="Acme Logistics", city="Basel")
    factory.fact(
        acme,
        "signal.post",
        {"title": "Our new depot", "url": "http://acme.test/blog/depot", "date": "2026-11-20"},
        url="http://acme.test/blog",
    )
    factory.lead(campaign, acme, "Anna", "Berg")
    factory.lead(campaign, acme, "Bruno", "Keller")
    bare = factory.company(campaign, "bare.test", name="Bare Builders")
    factory.lead(campaign, bare, "Clara")
    factory.lead(campaign, bare, "Dirk", status="new")  # no sendable address yet
    return campaign


def test_every_step_is_drafted_for_every_ready_lead_and_clean_drafts_are_approved(campaign):
    report = compose_drafts(campaign)
    steps = campaign.sequence.steps.count()
    assert steps == 3
    assert (report.leads, report.drafted, report.existing) == (3, 9, 0)
    assert report.approved == 9 and report.held_for_review == 0 and report.lint_errors == 0
    messages = OutboundMessage.objects.filter(campaign=campaign)
    assert set(messages.values_list("state", flat=True)) == {"approved"}
    for message in messages:
        assert message.idempotency_key == f"lead:{message.lead_id}:step:{message.step_id}"
        assert re.fullmatch(r"<[0-9a-f]{32}@coldflow\.local>", message.message_id)
        assert message.variant.step_id == message.step_id
        assert message.to_address == message.lead.email.address
        assert message.body_text and message.lint_findings == []


def test_running_compose_again_changes_nothing(campaign):
    compose_drafts(campaign)
    before = list(OutboundMessage.objects.order_by("id").values())
    report = compose_drafts(campaign)
    assert (report.drafted, report.existing) == (0, 9)
    assert list(OutboundMessage.objects.order_by("id").values()) == before


def test_the_first_email_cites_the_lead_s_own_company_fact(campaign):
    compose_drafts(campaign)
    first = OutboundMessage.objects.filter(campaign=campaign, step__position=0)
    anna = first.get(lead__person__given_name="Anna")
    assert "Our new depot" in anna.body_text
    [cited] = anna.facts_used
    assert cited["key"] == "signal.post" and cited["source_url"] == "http://acme.test/blog"
    assert cited["sentence"] in anna.body_text
    clara = first.get(lead__person__given_name="Clara")
    assert clara.facts_used == [] and "Bare Builders" in clara.body_text


def test_follow_ups_answer_in_the_first_email_s_thread(campaign):
    compose_drafts(campaign)
    for lead_id in OutboundMessage.objects.values_list("lead_id", flat=True).distinct():
        messages = list(OutboundMessage.objects.filter(lead_id=lead_id).order_by("step__position"))
        assert [m.subject for m in messages[1:]] == [f"Re: {messages[0].subject}"] * 2


def test_html_is_made_from_the_same_text_when_the_variant_asks_for_it(campaign):
    compose_drafts(campaign)
    for message in OutboundMessage.objects.select_related("variant"):
        if message.variant.html:
            assert message.body_html.startswith("<!DOCTYPE html>")
            assert message.body_text.splitlines()[0] in message.body_html
        else:
            assert message.body_html == ""


def test_a_draft_with_an_unresolved_variable_stays_a_draft_with_its_error(campaign):
    ensure_default_sequence(campaign)
    StepVariant.objects.filter(step__sequence=campaign.sequence, step__position=2).update(
        body_template="Hi {{ first_name }}, about {{ nickname }}: " + "words " * 30
    )
    report = compose_drafts(campaign)
    assert report.lint_errors == 3
    held = OutboundMessage.objects.filter(step__position=2)
    assert set(held.values_list("state", flat=True)) == {"draft"}
    rules = {f["rule"] for m in held for f in m.lint_findings if f["severity"] == "error"}
    assert rules == {"unresolved_variable"}


def test_with_approval_required_clean_drafts_wait_for_review(campaign):
    campaign.approval_required = True
    campaign.save()
    report = compose_drafts(campaign)
    assert (report.approved, report.held_for_review) == (0, 9)
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {"draft"}


def test_a_preview_saves_no_draft_and_shows_different_companies_first(campaign):
    report = compose_drafts(campaign, limit=2, preview=True)
    assert OutboundMessage.objects.count() == 0
    assert {p.company for p in report.previews} == {"Acme Logistics", "Bare Builders"}
    compose_drafts(campaign)
    for preview in report.previews:
        saved = OutboundMessage.objects.get(lead_id=preview.lead_id, step__position=0)
        assert (saved.subject, saved.body_text) == (preview.subject, preview.body_text)


def test_the_variant_assignment_is_stored_and_spreads_leads(campaign):
    acme = campaign.leads.first().company
    for n in range(30):
        factory.lead(campaign, acme, f"Person{n}")
    compose_drafts(campaign)
    labels = OutboundMessage.objects.filter(step__position=0).values_list(
        "variant__label", flat=True
    )
    assert set(labels) == {"A", "B"}
