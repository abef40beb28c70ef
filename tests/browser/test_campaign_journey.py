"""A new user runs the demo's campaign from the browser alone: logs in, adds the sandbox's
sending mailboxes through the Add mailbox form (servers, login, password, caps; a job checks
each one's logins and DNS records), creates a campaign from an ICP against the sandbox
(ICP → sequence → mailboxes → schedule → review), watches the pipeline fill, approves the
drafts in the approval queue, opens a lead (facts with their sources) and a reply in the inbox,
and reads the analytics.

The test process plays the worker (`coldflow run` does the same in its worker thread): it works
the campaign's queued stages, and sends and reads mail through the same functions a worker runs.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.urls import reverse

from coldflow.campaigns.models import Campaign
from coldflow.cli.demo_outreach import DEMO_DAILY_CAP, inline_sender, listen
from coldflow.config.loader import load_settings
from coldflow.listen.models import InboundMessage
from coldflow.orchestrate import engine
from coldflow.orchestrate.stages import StageEnv
from coldflow.send.models import Mailbox, OutboundMessage

pytestmark = pytest.mark.slow

RULES = engine.RetryRules(max_attempts=3, backoff_seconds=30, lease_seconds=600)
ICP = (
    "Logistics firms with their own fleet, software houses and online shops in Germany, "
    "Austria, Switzerland, the UK and Ireland with 10-500 employees; "
    "heads of sales and operations, founders and managing directors"
)


@pytest.fixture
def sandbox_config(sandbox, monkeypatch):
    monkeypatch.setenv("SANDBOX", "true")
    monkeypatch.setenv("SANDBOX_STATE_DIR", str(sandbox.state_dir))
    monkeypatch.setenv("CRAWL_DELAY", "0.05")
    monkeypatch.setenv("VERIFY_GREYLIST_RETRY", "1.5")
    return load_settings()


def as_worker(work, *args):
    """Run `work` in a thread of its own, as a worker would: Playwright keeps an event loop
    running in the test's thread, and the stages run their own (asyncio.run). The thread shares
    the test's database connection when the test database lives in memory (SQLite), as the
    live server's thread does; on PostgreSQL it opens its own."""
    from django.db import connections

    shared = connections["default"]
    in_memory = shared.vendor == "sqlite" and shared.is_in_memory_db()
    outcome: dict = {}

    def run():
        if in_memory:
            connections["default"] = shared
        try:
            outcome["result"] = work(*args)
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc
        finally:
            if not in_memory:
                connections.close_all()

    if in_memory:
        shared.inc_thread_sharing()
    thread = threading.Thread(target=run, name="browser-test-worker")
    try:
        thread.start()
        thread.join()
    finally:
        if in_memory:
            shared.dec_thread_sharing()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def add_sandbox_mailboxes_in_the_browser(visitor, sandbox) -> list:
    """The sandbox's three sending mailboxes, added through the form as the demo adds them:
    warmed up (full cap at once, no pause between sends), signing with the domain's DKIM key,
    and the one whose server files sent mail itself marked so."""
    page = visitor.page
    submission, imap = sandbox.endpoints["submission"], sandbox.endpoints["imap"]
    domain = sandbox.world.sending
    added = []
    for number, sender in enumerate(domain.senders):
        visitor.goto(reverse("mailboxes"))
        if number == 0:
            visitor.check("journey-mailboxes-before")
        page.get_by_role("link", name="Add mailbox").first.click()
        page.wait_for_url(re.compile(r"/mailboxes/new/$"))
        page.get_by_label("Email address").fill(sender.address)
        page.get_by_label("Display name").fill(sender.display_name)
        page.get_by_label("SMTP server").fill(submission["host"])
        page.get_by_label("SMTP port").fill(str(submission["port"]))
        page.get_by_label("SMTP encryption").select_option("plain")
        page.get_by_label("IMAP server").fill(imap["host"])
        page.get_by_label("IMAP port").fill(str(imap["port"]))
        page.get_by_label("IMAP encryption").select_option("plain")
        page.get_by_label("User name", exact=True).fill(sender.username)
        page.get_by_label("Password or app password").fill(sender.password)
        page.get_by_label(re.compile("^Daily cap")).fill(str(DEMO_DAILY_CAP))
        page.get_by_label("Emails on the first day").fill(str(DEMO_DAILY_CAP))
        page.get_by_label(re.compile("^Shortest gap")).fill("0")
        page.get_by_label(re.compile("^Longest gap")).fill("0")
        page.get_by_text("Sent folder and DKIM signing").click()
        if sender.server_appends_to_sent:
            page.get_by_label(re.compile("files sent mail in Sent itself")).check()
        page.get_by_label("DKIM selector").fill(domain.dkim_selector)
        page.get_by_label(re.compile("^DKIM private key")).fill(domain.dkim_private_key_pem)
        if number == 0:
            visitor.check("journey-mailbox-add-form")
        page.get_by_role("button", name="Add mailbox").click()
        page.wait_for_url(re.compile(r"/mailboxes/\d+/$"))
        # The job checked both logins and the domain's records (jobs run inline in tests).
        panel = page.locator("#mailbox-check").inner_text()
        assert "logins work" in panel, panel
        assert sender.password not in page.content()
        if number == 0:
            visitor.check("journey-mailbox-added")
        added.append(Mailbox.objects.get(email=sender.address))
    visitor.goto(reverse("mailboxes"))
    visitor.check("journey-mailboxes")
    return added


def create_campaign_in_the_browser(visitor, mailboxes) -> None:
    page = visitor.page
    visitor.goto(reverse("campaigns"))
    visitor.check("journey-campaigns-empty")
    page.get_by_role("link", name=re.compile("new campaign", re.I)).first.click()
    page.get_by_label("Campaign name").fill("Browser campaign")
    page.get_by_label("Who do you want to reach?").fill(ICP)
    visitor.check("journey-new-1-icp")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"step=sequence"))
    visitor.check("journey-new-2-sequence")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"step=mailboxes"))
    for mailbox in mailboxes:
        page.get_by_label(re.compile(re.escape(mailbox.email))).check()
    visitor.check("journey-new-3-mailboxes")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"step=schedule"))
    # The whole day, every day, so the test sends now (as the demo does).
    page.get_by_label("Time zone").fill("UTC")
    page.get_by_label("Send from").fill("00:00")
    page.get_by_label("Send until").fill("23:59")
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        page.get_by_label(day, exact=True).check()
    page.get_by_label("Review every draft before it is sent").check()
    visitor.check("journey-new-4-schedule")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"step=review"))
    visitor.check("journey-new-5-review")
    page.get_by_label(re.compile("Start right away")).check()
    page.get_by_role("button", name="Create campaign").click()
    page.wait_for_url(re.compile(r"/campaigns/\d+/$"))


def test_a_new_user_runs_a_sandbox_campaign_from_the_browser_alone(
    alice, personas, sandbox, sandbox_config
):
    page = alice.page
    mailboxes = add_sandbox_mailboxes_in_the_browser(alice, sandbox)
    assert {m.workspace_id for m in mailboxes} == {personas.acme.pk}
    assert [(m.ramp_start, m.min_gap_seconds, m.max_gap_seconds) for m in mailboxes] == [
        (DEMO_DAILY_CAP, 0, 0)
    ] * 3
    assert [m.append_to_sent for m in mailboxes] == [
        not s.server_appends_to_sent for s in sandbox.world.sending.senders
    ]

    create_campaign_in_the_browser(alice, mailboxes)
    campaign = Campaign.objects.get(workspace=personas.acme, name="Browser campaign")
    assert campaign.status == "running"
    assert campaign.approval_required
    alice.check("journey-campaign-started")

    # Starting it queued its discovery, as engine.start does for `coldflow campaign run`.
    assert campaign.work_items.filter(stage="discover").exists(), "nothing will discover"

    # The worker's part: every stage until nothing is left, drafts waiting for approval.
    sender = inline_sender(campaign)
    env = StageEnv(sandbox_config, hand_over=sender.send)
    as_worker(
        lambda: engine.work_until_idle(
            env, RULES, worker="browser-test", campaign_ids=[campaign.pk]
        )
    )
    drafts = OutboundMessage.objects.filter(campaign=campaign, state="draft")
    assert drafts.count() > 10, "compose wrote drafts for the approval queue"
    assert not OutboundMessage.objects.filter(campaign=campaign, state="sent").exists()

    # Watching the pipeline: the campaign page shows what each stage did.
    alice.visit(reverse("campaign", args=[campaign.pk]), "journey-campaign-progress")
    panel = page.locator("main").inner_text().lower()
    for stage in ("discover", "research", "compose"):
        assert stage in panel

    # The approval queue: choose all, approve.
    alice.visit(reverse("review") + f"?campaign={campaign.pk}", "journey-review")
    waiting = drafts.count()
    page.get_by_label("Choose all drafts on this page").check()
    page.locator("#bulk-review").get_by_role("button", name="Approve chosen").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("status").inner_text().startswith("Approved")
    approved = OutboundMessage.objects.filter(campaign=campaign, state="approved").count()
    assert approved == min(waiting, 50)
    alice.check("journey-review-approved")

    # The worker sends what was approved, then reads what the sandbox's prospects answer.
    as_worker(sender.send, campaign)
    sent = OutboundMessage.objects.filter(campaign=campaign, state="sent")
    assert sent.count() > 0
    as_worker(listen, mailboxes, time.monotonic())
    replies = InboundMessage.objects.filter(lead__campaign=campaign, kind="reply")
    assert replies.exists(), "some prospects answered"

    # A reply in the inbox, with its category, and its lead's page.
    reply = replies.exclude(intent="").first()
    alice.visit(reverse("inbox"), "journey-inbox")
    card = page.locator("article", has_text=reply.from_address).first
    assert reply.intent.replace("_", " ") in card.inner_text().replace("_", " ")
    card.get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/leads/{reply.lead_id}/$"))
    alice.check("journey-lead")
    sources = page.locator("main a[href^='http']")
    assert sources.count() > 0, "facts link to the pages they came from"
    assert reply.reply_text.split()[0] in page.locator("main").inner_text()

    # The analytics count what happened.
    alice.visit(reverse("analytics") + f"?campaign={campaign.pk}", "journey-analytics")
    assert str(sent.count()) in page.locator("main").inner_text()
    assert not alice.dialogs
