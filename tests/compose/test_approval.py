"""The review queue: approve, reject, edit (keeping the original), in bulk too."""

import pytest
from django.contrib.auth.models import User

from coldflow.compose import approval
from coldflow.compose.drafts import compose_drafts
from coldflow.send.models import OutboundMessage
from tests.compose import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = factory.campaign(approval_required=True)
    acme = factory.company(campaign, "acme.test", name="Acme Logistics")
    factory.fact(acme, "signal.technology", {"name": "HubSpot", "category": "crm"})
    factory.lead(campaign, acme, "Anna")
    factory.lead(campaign, acme, "Bruno")
    compose_drafts(campaign)
    return campaign


def test_an_edit_keeps_the_first_text_and_who_changed_it(campaign):
    reviewer = User.objects.create_user("rita")
    message = approval.review_queue(campaign).first()
    first_text = message.body_text
    edited = approval.edit(message, user=reviewer, body_text="Hi Anna,\n\n" + "Shorter words. " * 8)
    edited = approval.edit(
        edited, user=reviewer, body_text=edited.body_text + "\n\nThanks", subject="New"
    )
    saved = OutboundMessage.objects.get(pk=message.pk)
    assert saved.original_body_text == first_text
    assert saved.body_text.endswith("Thanks") and saved.subject == "New"
    assert saved.edited_by == reviewer and saved.state == "draft"


def test_an_edit_that_breaks_a_rule_blocks_approval_until_fixed(campaign):
    reviewer = User.objects.create_user("rita")
    message = approval.review_queue(campaign).first()
    broken = approval.edit(message, user=reviewer, body_text="Hi {{ first_name }}, " + "ok " * 30)
    assert any(f["rule"] == "unresolved_variable" for f in broken.lint_findings)
    with pytest.raises(approval.ReviewError, match="lint errors"):
        approval.approve(broken)
    fixed = approval.edit(broken, user=reviewer, body_text="Hi Anna, " + "fine words here " * 8)
    assert approval.approve(fixed).state == "approved"


def test_rejected_and_approved_drafts_leave_the_queue(campaign):
    first, second = list(approval.review_queue(campaign))[:2]
    approval.approve(first)
    approval.reject(second)
    states = dict(
        OutboundMessage.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "state")
    )
    assert states == {first.pk: "approved", second.pk: "rejected"}
    assert first.pk not in approval.review_queue(campaign).values_list("pk", flat=True)
    with pytest.raises(approval.ReviewError):
        approval.approve(second)


def test_bulk_approval_skips_drafts_with_errors_and_unknown_ids(campaign):
    message = approval.review_queue(campaign).first()
    OutboundMessage.objects.filter(pk=message.pk).update(
        lint_findings=[{"rule": "empty_body", "severity": "error", "message": "empty"}]
    )
    result = approval.approve_many(campaign)
    assert message.pk in result.skipped and len(result.changed) == 5
    result = approval.reject_many(campaign, [message.pk, 999_999])
    assert result.changed == [message.pk] and list(result.skipped) == [999_999]
    assert approval.review_queue(campaign).count() == 0
