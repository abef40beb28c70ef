"""The approval queue, the campaign create flow, pause/resume and the live progress panel."""

from __future__ import annotations

from django.urls import reverse

from coldflow.accounts.models import AuditEntry
from coldflow.campaigns.models import Campaign
from coldflow.send.models import CampaignMailbox, OutboundMessage
from tests.web.dashboard import Browser


def _draft(personas):
    message = OutboundMessage.objects.get(pk=personas.acme_rows.ids["message"])
    OutboundMessage.objects.filter(pk=message.pk).update(state="draft", sent_at=None)
    return message


def test_an_edit_is_kept_with_the_original_and_the_editor_and_audited(personas):
    message = _draft(personas)
    browser = Browser(personas.bob)
    response = browser.post(
        "review-edit",
        message.pk,
        data={"subject": "Quick question", "body_text": "Hi Dana, a better line."},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.body_text == "Hi Dana, a better line." and message.subject == "Quick question"
    assert message.original_body_text == "Hi Dana" and message.edited_by == personas.bob
    assert message.state == "draft"
    assert AuditEntry.objects.filter(workspace=personas.acme, action="message.edit").exists()
    assert "a better line" in browser.get("review").content.decode()


def test_bulk_approve_approves_only_this_workspaces_drafts(personas):
    mine = _draft(personas)
    theirs = OutboundMessage.objects.get(pk=personas.globex_rows.ids["message"])
    OutboundMessage.objects.filter(pk=theirs.pk).update(state="draft")
    Browser(personas.alice).post(
        "review-bulk", data={"action": "approve", "ids": [mine.pk, theirs.pk]}
    )
    assert OutboundMessage.objects.get(pk=mine.pk).state == "approved"
    assert OutboundMessage.objects.get(pk=theirs.pk).state == "draft"


def test_reject_takes_a_draft_out_of_the_queue(personas):
    mine = _draft(personas)
    Browser(personas.alice).post("review-bulk", data={"action": "reject", "ids": [mine.pk]})
    assert OutboundMessage.objects.get(pk=mine.pk).state == "rejected"


def test_the_create_flow_makes_a_campaign_from_icp_sequence_mailboxes_and_schedule(personas):
    browser = Browser(personas.bob)
    url = "/campaigns/new/?step="

    def post(step, data):
        return browser.client.post(url + step, {"csrfmiddlewaretoken": browser.token, **data})

    assert (
        post("icp", {"name": "Dentists", "description": "Dental clinics in Hamburg"}).status_code
        == 302
    )
    assert (
        post(
            "sequence",
            {"step-0-new-subject": "Other idea", "step-0-new-body": "Hi {{ first_name }}, B here."},
        ).status_code
        == 302
    )
    assert (
        post(
            "mailboxes",
            {"mailboxes": [personas.acme_rows.ids["mailbox"], personas.globex_rows.ids["mailbox"]]},
        ).status_code
        == 302
    )
    bad = post(
        "schedule",
        {
            "timezone": "Mars/Olympus",
            "window_start": "09:00",
            "window_end": "17:00",
            "weekdays": ["1"],
        },
    )
    assert bad.status_code == 400 and b"unknown time zone" in bad.content
    schedule = {
        "timezone": "Europe/Berlin",
        "window_start": "08:00",
        "window_end": "16:00",
        "weekdays": ["1", "3"],
        "new_leads_per_day": "20",
        "per_domain_daily_cap": "2",
    }
    assert post("schedule", schedule).status_code == 302
    done = post("review", {})
    campaign = Campaign.objects.get(workspace=personas.acme, name="Dentists")
    assert done["Location"] == f"/campaigns/{campaign.pk}/"
    assert (
        campaign.status == "draft"
        and campaign.timezone == "Europe/Berlin"
        and campaign.weekdays == [1, 3]
    )
    assert campaign.icp["description"] == "Dental clinics in Hamburg"
    first_step = campaign.sequence.steps.get(position=0)
    assert first_step.variants.count() >= 2
    assert list(
        CampaignMailbox.objects.filter(campaign=campaign).values_list("mailbox_id", flat=True)
    ) == [personas.acme_rows.ids["mailbox"]]
    assert AuditEntry.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()


def test_pause_and_resume_go_through_the_lifecycle_and_the_progress_panel_polls(personas):
    browser = Browser(personas.bob)
    pk = personas.acme_rows.ids["campaign"]
    browser.post("campaign-pause", pk, data={"reason": "holiday"})
    campaign = Campaign.objects.get(pk=pk)
    assert campaign.status == "paused" and campaign.status_reason == "holiday"
    browser.post("campaign-resume", pk)
    assert Campaign.objects.get(pk=pk).status == "running"
    panel = browser.get("campaign-progress", pk)
    assert b'hx-get="/campaigns/%d/progress"' % pk in panel.content and b"every 3s" in panel.content
    assert b"<html" not in panel.content
    again = browser.post("campaign-resume", pk)
    assert again.status_code == 302 and Campaign.objects.get(pk=pk).status == "running"


def test_the_mailboxes_of_a_campaign_are_changed_on_its_page(personas):
    from coldflow.send.models import Enrollment, Mailbox

    browser = Browser(personas.alice)
    campaign = Campaign.objects.get(pk=personas.acme_rows.ids["campaign"])
    first = Mailbox.objects.get(pk=personas.acme_rows.ids["mailbox"])
    second = Mailbox.objects.create(
        workspace=personas.acme, email="second@acme.example", smtp_host="smtp.acme.example"
    )
    page = browser.get("campaign", campaign.pk).content.decode()
    assert "second@acme.example" in page and "Change mailboxes" in page

    # Swap: new leads go out from the second; a sequence under way keeps its first mailbox.
    response = browser.post("campaign-mailboxes", campaign.pk, data={"mailbox": [second.pk]})
    assert response.status_code == 302
    assert set(
        CampaignMailbox.objects.filter(campaign=campaign).values_list("mailbox", flat=True)
    ) == {second.pk}
    assert Enrollment.objects.get(pk=personas.acme_rows.ids["enrollment"]).mailbox_id == first.pk
    entry = AuditEntry.objects.filter(workspace=personas.acme, action="campaign.mailboxes").get()
    assert entry.changes == {"added": ["second@acme.example"], "removed": [first.email]}

    # None at all is allowed, and said plainly.
    followed = browser.client.post(
        reverse("campaign-mailboxes", args=[campaign.pk]),
        {"csrfmiddlewaretoken": browser.token},
        follow=True,
    )
    assert "sends nothing new until you choose one" in followed.content.decode()
    assert not CampaignMailbox.objects.filter(campaign=campaign).exists()


def test_a_campaign_cannot_take_a_removed_or_foreign_mailbox(personas):
    from coldflow.send.models import Mailbox

    browser = Browser(personas.alice)
    campaign_pk = personas.acme_rows.ids["campaign"]
    foreign = personas.globex_rows.ids["mailbox"]
    browser.post("campaign-mailboxes", campaign_pk, data={"mailbox": [foreign]})
    assert CampaignMailbox.objects.filter(campaign_id=campaign_pk, mailbox_id=foreign).count() == 0

    removed = Mailbox.objects.create(
        workspace=personas.acme, email="old@acme.example", status="archived"
    )
    followed = browser.client.post(
        reverse("campaign-mailboxes", args=[campaign_pk]),
        {"csrfmiddlewaretoken": browser.token, "mailbox": [removed.pk]},
        follow=True,
    )
    assert "old@acme.example was removed" in followed.content.decode()
    assert not CampaignMailbox.objects.filter(mailbox=removed).exists()
