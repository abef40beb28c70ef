"""`coldflow demo`: a complete installation in a folder of its own, run against the sandbox."""

from __future__ import annotations

import os
import time
from collections import Counter
from importlib import resources
from pathlib import Path

import click

from coldflow.cli import instance
from coldflow.cli.demo_outreach import run_outreach
from coldflow.cli.output import console
from coldflow.config.loader import load_settings

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"
# Stages this version cannot run yet; the demo names them instead of pretending.
NOT_BUILT = ("the dashboard beyond its login page", "analytics charts")


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
    console.print("Not built yet in this version: " + ", ".join(NOT_BUILT) + ".")
    console.print(
        f"Explore the results: COLDFLOW_DATA_DIR={data_dir} coldflow run, then log in as "
        f"{DEMO_USER} / {DEMO_PASSWORD}."
    )


def _run_pipeline(config, workspace, world) -> None:
    from coldflow.cli.discover_commands import search_settings
    from coldflow.cli.verify_commands import verify_settings
    from coldflow.contacts.finding import guess_missing_addresses
    from coldflow.contacts.models import EmailAddress, Person
    from coldflow.contacts.verification_cache import verify_with_database
    from coldflow.contacts.verification_store import record_verifications
    from coldflow.discover.icp import load_icp
    from coldflow.discover.service import discover
    from coldflow.discover.store import existing_domains, save_discovery
    from coldflow.network import network_from_config
    from coldflow.research.service import fetch_settings, research_domains
    from coldflow.research.store import save_research

    network = network_from_config(config)
    icp_text = resources.files("coldflow.cli").joinpath("demo_icp.toml").read_text("utf-8")
    icp = load_icp(icp_text)

    clock = time.monotonic()
    found = discover(
        icp,
        search_settings(config, network),
        existing_domains=existing_domains(workspace),
        query_limit=config["SEARCH_QUERIES"],
    )
    companies = save_discovery(workspace, found)
    fitting = [c.domain for c in found.accepted if c.fit_score >= 0.5]
    filtered = sum(1 for c in found.candidates if c.status == "filtered")
    console.print(
        f"[green]✓[/] discover   {len(found.searches)} queries, {len(companies)} companies "
        f"accepted, {filtered} directory/social/news/job-board hits filtered, "
        f"{len(fitting)} fit the ICP well  ({time.monotonic() - clock:.1f} s)"
    )

    clock = time.monotonic()
    results = research_domains(
        fitting,
        fetch_settings(config, network),
        pages_per_site=config["CRAWL_PAGES_PER_SITE"],
    )
    saved = [save_research(workspace, r) for r in results]
    pages = sum(len(r.pages) for r in results)
    people = sum(len(r.people) for r in results)
    emails = sum(len(r.emails) for r in results)
    console.print(
        f"[green]✓[/] research   {len(results)} sites, {pages} pages, {people} people, "
        f"{emails} published addresses  ({time.monotonic() - clock:.1f} s)"
    )

    clock = time.monotonic()
    guessed = sum(guess_missing_addresses(company) for company in saved)
    deciders = Person.objects.filter(
        workspace=workspace, seniority__in=("owner", "c_level", "vp", "head")
    ).count()
    addresses = EmailAddress.objects.filter(workspace=workspace)
    results = verify_with_database(
        list(addresses.values_list("address", flat=True)), verify_settings(config, network)
    )
    record_verifications(workspace, results)
    verdicts = Counter(r.verdict for r in results)
    console.print(
        f"[green]✓[/] contacts   {Person.objects.filter(workspace=workspace).count()} people "
        f"normalised ({deciders} decision makers), {addresses.filter(origin='found').count()} "
        f"found and {guessed} guessed addresses, verified: "
        + ", ".join(f"{n} {verdict}" for verdict, n in verdicts.most_common())
        + f"  ({time.monotonic() - clock:.1f} s)"
    )

    campaign = _build_leads(workspace, icp)
    run_outreach(workspace, campaign, world)


def _build_leads(workspace, icp):
    """The demo campaign, made from the demo ICP, and its scored leads."""
    from coldflow.campaigns.models import Campaign
    from coldflow.cli.leads_commands import leads_line
    from coldflow.contacts.leads import build_leads
    from coldflow.discover.icp import icp_to_mapping

    clock = time.monotonic()
    campaign, _ = Campaign.objects.get_or_create(
        workspace=workspace, name="demo", defaults={"icp": icp_to_mapping(icp)}
    )
    report = build_leads(campaign)
    console.print(
        f"[green]✓[/] leads      campaign {campaign.name}: {leads_line(report)}  "
        f"({time.monotonic() - clock:.1f} s)"
    )
    return campaign
