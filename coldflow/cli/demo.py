"""`coldflow demo`: a complete installation in a folder of its own, run against the sandbox."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections import Counter
from importlib import resources
from pathlib import Path

import click

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"


def coldflow_command() -> str:
    """How to run coldflow again from here: `coldflow` when that is on PATH, else the path this
    run was started by (`.venv/bin/coldflow` after `make demo`)."""
    invoked = Path(sys.argv[0])
    on_path = shutil.which("coldflow")
    if invoked.name != "coldflow" or (on_path and Path(on_path).resolve() == invoked.resolve()):
        return "coldflow"
    return str(invoked)


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("coldflow-demo"),
    show_default=True,
    help="Where the demo installation lives; kept apart from your real data.",
)
@click.option("--companies", type=int, default=60, show_default=True, help="Sandbox size.")
def demo(data_dir: Path, companies: int) -> None:
    """Start the sandbox and run a whole campaign in it: discover, research, contacts, leads,
    compose, send from three mailboxes, read the answers, and print the funnel.

    Everything runs locally on 127.0.0.1; no real company, mailbox or search engine is
    contacted. The installation stays in --data-dir to explore afterwards.
    """
    from coldflow.sandbox.runner import background_world

    data_dir = data_dir.resolve()
    state_dir = data_dir / "sandbox"
    os.environ.update(
        COLDFLOW_DATA_DIR=str(data_dir),
        SANDBOX="true",
        SANDBOX_STATE_DIR=str(state_dir),
        # The sandbox's sites are ours: no need to wait a second between their pages.
        CRAWL_DELAY=os.environ.get("CRAWL_DELAY", "0.1"),
        # Its greylisting mail servers let a retry through after a second.
        VERIFY_GREYLIST_RETRY=os.environ.get("VERIFY_GREYLIST_RETRY", "1.5"),
    )
    config = load_settings()
    instance.prepare_data_dir(config)
    started = time.monotonic()
    with background_world(state_dir, companies=companies) as world:
        console.print(
            f"[green]✓[/] sandbox: {companies} companies, search, DNS and mail servers on "
            f"127.0.0.1 (state in {state_dir})"
        )
        config = instance.ensure_secrets(load_settings())
        instance.boot_django(config)
        instance.check_database(config)
        instance.check_queue(config)
        instance.migrate()
        instance.check_encryption_key(config)
        from coldflow.accounts.users import create_user

        _, _, workspace = create_user(
            username=DEMO_USER, email="", password=DEMO_PASSWORD, workspace="Demo", role="owner"
        )
        console.print(f"[green]✓[/] installation ready in {config.data_dir}")
        _run_pipeline(config, workspace, world)
    console.print(f"\nPipeline time: {time.monotonic() - started:.1f} s")
    console.print(
        f"Explore it in the dashboard (campaign, leads with every fact's source, drafts, inbox, "
        f"analytics): COLDFLOW_DATA_DIR={data_dir} {coldflow_command()} run, open the address "
        "it prints "
        f"and log in as {DEMO_USER} / {DEMO_PASSWORD}."
    )


def _run_pipeline(config, workspace, world) -> None:
    """The demo campaign, run by the orchestrator with an in-process worker: the same work
    items, claims, stage runners and number of threads as `coldflow worker`, until nothing is
    due, then the answers are read and the funnel printed."""
    from coldflow.campaigns.models import Campaign
    from coldflow.cli.demo_outreach import inline_sender, listen, print_funnel, sandbox_mailboxes
    from coldflow.discover.icp import icp_to_mapping, load_icp
    from coldflow.orchestrate.engine import RetryRules, start, work_until_idle
    from coldflow.orchestrate.stages import StageEnv

    icp_text = resources.files("coldflow.cli").joinpath("demo_icp.toml").read_text("utf-8")
    campaign, _ = Campaign.objects.get_or_create(
        workspace=workspace, name="demo", defaults={"icp": icp_to_mapping(load_icp(icp_text))}
    )
    mailboxes = sandbox_mailboxes(workspace, campaign, world)
    sender = inline_sender(campaign)
    tally = StageTally()
    env = StageEnv(config, hand_over=tally.timed("send", sender.send))
    campaign = start(campaign, "demo: run against the sandbox", by="demo", config=config)
    work_until_idle(
        env,
        RetryRules.from_config(config),
        worker="demo",
        campaign_ids=[campaign.pk],
        on_batch=tally.add,
        # As many threads as `coldflow worker` has: the first companies' leads are composed
        # and sent while other sites are still being crawled.
        threads=config["WORKERS"],
    )
    _print_stages(workspace, campaign, tally, sender)
    listen(mailboxes, sender.last_sent_at or time.monotonic())
    print_funnel(campaign)


class StageTally:
    """What each stage's batches did and how long they took, summed over the run. With several
    worker threads the stages overlap, so their times add up to more than the wall time."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {}
        self.seconds: Counter = Counter()
        self._lock = threading.Lock()
        # Time each thread spent sending for compose since its last batch (timed as send).
        self._handed_over = threading.local()

    def add(self, report) -> None:
        handed_over = getattr(self._handed_over, "seconds", 0.0)
        self._handed_over.seconds = 0.0
        with self._lock:
            self.seconds[report.stage] += report.seconds - handed_over
            self.counts.setdefault(report.stage, Counter()).update(report.counts)
            self.counts[report.stage]["items"] += report.items
            self.counts[report.stage]["parked"] += report.parked

    def timed(self, stage: str, fn):
        def run(*args):
            clock = time.monotonic()
            try:
                return fn(*args)
            finally:
                spent = time.monotonic() - clock
                with self._lock:
                    self.seconds[stage] += spent
                self._handed_over.seconds = getattr(self._handed_over, "seconds", 0.0) + spent

        return run

    def line(self, stage: str) -> str:
        return f"  ({self.seconds[stage]:.1f} s)"


def _print_stages(workspace, campaign, tally: StageTally, sender) -> None:
    from coldflow.cli.leads_commands import leads_line
    from coldflow.contacts.leads import LeadsReport
    from coldflow.contacts.models import EmailAddress, Person

    found = tally.counts.get("discover", Counter())
    fitting = campaign.work_items.filter(stage="research").count()
    console.print(
        f"[green]✓[/] discover   {found['queries']} queries in {found['items']} batches, "
        f"{found['accepted']} companies accepted, {found['filtered']} "
        f"directory/social/news/job-board hits filtered, {fitting} fit the ICP well"
        + tally.line("discover")
    )
    research = tally.counts.get("research", Counter())
    console.print(
        f"[green]✓[/] research   {research['sites']} sites, {research['pages']} pages, "
        f"{research['people']} people, {research['emails']} published addresses"
        + (f", {research['parked']} sites parked" if research["parked"] else "")
        + tally.line("research")
    )
    contacts = tally.counts.get("contacts", Counter())
    verdicts = Counter(
        {k.split(":", 1)[1]: n for k, n in contacts.items() if k.startswith("verdict:")}
    )
    people = Person.objects.filter(workspace=workspace)
    deciders = people.filter(seniority__in=("owner", "c_level", "vp", "head")).count()
    found_addresses = EmailAddress.objects.filter(workspace=workspace, origin="found").count()
    console.print(
        f"[green]✓[/] contacts   {people.count()} people normalised ({deciders} decision "
        f"makers), {found_addresses} found and {contacts['guessed']} guessed addresses, "
        "verified: "
        + ", ".join(f"{n} {verdict}" for verdict, n in verdicts.most_common())
        + tally.line("contacts")
    )
    leads = tally.counts.get("leads", Counter())
    report = LeadsReport(
        people=leads["people"],
        created=leads["created"],
        updated=leads["updated"],
        removed=leads["removed"],
        statuses=Counter(
            {k.split(":", 1)[1]: n for k, n in leads.items() if k.startswith("status:")}
        ),
    )
    console.print(
        f"[green]✓[/] leads      campaign {campaign.name}: {leads_line(report)}"
        + tally.line("leads")
    )
    drafts = tally.counts.get("compose", Counter())
    first_emails = campaign.messages.filter(step__position=0)
    grounded = sum(1 for facts in first_emails.values_list("facts_used", flat=True) if facts)
    console.print(
        f"[green]✓[/] compose    {drafts['drafted']} drafts for {drafts['leads']} leads "
        f"({drafts['approved']} approved, {drafts['held_for_review']} held for review, "
        f"{drafts['lint_errors']} with lint errors); {grounded} of {first_emails.count()} first "
        "emails open with a fact from the lead's own company, source attached"
        + tally.line("compose")
    )
    console.print(f"[green]✓[/] send       {sender.summary()}" + tally.line("send"))
