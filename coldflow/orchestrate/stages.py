"""One batch of one stage for one campaign: the existing stage functions, called on the
batch's subjects, and the items of the next stage for what came out.

Each runner returns a StageResult: the items that failed (with the error, to retry or park),
the subjects the next stage should take, and counts for the demo's and the CLI's lines.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from coldflow.campaigns.models import Campaign, WorkItem
from coldflow.orchestrate.policy import MIN_FIT, query_batches

if TYPE_CHECKING:
    from coldflow.research.crawl import SiteCrawl

# Finish one item of a running batch now: (item, error or None, next stage's subjects).
Settle = Callable[[WorkItem, "str | None", Iterable[int]], None]


@dataclass
class StageResult:
    failed: dict[int, str] = field(default_factory=dict)  # work item id → error
    next_stage: str | None = None
    next_subjects: set[int] = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)
    # Run the next stage again for subjects it already handled (their input changed).
    again: bool = True


class StageEnv:
    """What the stages need from the configuration, built once per process."""

    def __init__(self, config, *, hand_over: Callable[[Campaign], None] | None = None):
        self.config = config
        # Called after compose drafted for a campaign: the dispatcher takes it from there.
        self.hand_over = hand_over or (lambda campaign: None)

    @cached_property
    def network(self):
        from coldflow.network import network_from_config

        return network_from_config(self.config)

    @cached_property
    def search(self) -> dict[str, Any]:
        from coldflow.cli.discover_commands import search_settings

        return search_settings(self.config, self.network)

    @cached_property
    def fetch(self):
        from coldflow.research.service import fetch_settings

        return fetch_settings(self.config, self.network)

    @cached_property
    def verify(self):
        from coldflow.cli.verify_commands import verify_settings

        return verify_settings(self.config, self.network)

    @cached_property
    def llm(self):
        from coldflow.compose.drafts import configured_llm

        return configured_llm()


def run_discover(campaign: Campaign, items: list[WorkItem], env: StageEnv) -> StageResult:
    from coldflow.discover.icp import icp_from_mapping
    from coldflow.discover.service import discover
    from coldflow.discover.store import existing_domains, save_discovery
    from coldflow.research.models import Company

    # Another batch finding a company again changes nothing about it.
    result = StageResult(next_stage="research", again=False)
    icp = icp_from_mapping(campaign.icp or {})
    query_limit = env.config["SEARCH_QUERIES"]
    batches = query_batches(query_limit)
    for item in items:
        if item.subject_id >= len(batches):
            continue  # SEARCH_QUERIES was lowered since the campaign started
        found = discover(
            icp,
            env.search,
            existing_domains=existing_domains(campaign.workspace),
            query_limit=query_limit,
            query_range=batches[item.subject_id],
        )
        if found.stopped_because:
            result.failed[item.pk] = f"search stopped: {found.stopped_because}"
            continue
        ran = [outcome for _, outcome in found.searches if outcome is not None]
        if ran and all(outcome.status != "ok" for outcome in ran):
            result.failed[item.pk] = "every query failed: " + ran[0].message
            continue
        save_discovery(campaign.workspace, found, campaign=campaign)
        # Companies the workspace already had (from another campaign) count for this one too.
        fitting = {
            c.domain
            for c in found.candidates
            if c.status in ("accepted", "duplicate") and c.fit_score >= MIN_FIT
        }
        result.counts["queries"] += len(found.searches)
        result.counts["accepted"] += len(found.accepted)
        result.counts["filtered"] += sum(1 for c in found.candidates if c.status == "filtered")
        result.counts["fitting"] += len(fitting)
        result.next_subjects |= set(
            Company.objects.filter(workspace=campaign.workspace, domain__in=fitting).values_list(
                "id", flat=True
            )
        )
    return result


def run_research(
    campaign: Campaign, items: list[WorkItem], env: StageEnv, *, settle: Settle | None = None
) -> StageResult:
    """Crawl the batch's sites in one event loop (in a thread of its own, extraction in worker
    processes) and save each site as its crawl finishes: with `settle`, its item is finished
    (or failed) and its company queued for contacts at once, not when the slowest site of the
    batch is done."""
    from coldflow.research.models import Company, ResearchStatus
    from coldflow.research.store import previous_crawls

    result = StageResult(next_stage="contacts")
    companies = {c.pk: c for c in Company.objects.filter(pk__in=[i.subject_id for i in items])}
    fresh_since = timezone.now() - timedelta(days=env.config["RESEARCH_STALE_DAYS"])
    to_crawl: dict[str, WorkItem] = {}
    for item in items:
        company = companies.get(item.subject_id)
        if company is None:
            continue  # deleted meanwhile: nothing to do
        fresh = company.researched_at is not None and company.researched_at >= fresh_since
        if fresh and company.research_status == ResearchStatus.RESEARCHED:
            result.counts["fresh"] += 1
            result.next_subjects.add(company.pk)
        else:
            to_crawl[company.domain.lower()] = item
    previous = previous_crawls(campaign.workspace, to_crawl)
    for research in _researched_as_they_finish(list(to_crawl), env, previous):
        item = to_crawl[research.domain.lower()]
        error, company_id = _save_site(campaign, research, result)
        if settle is not None:
            settle(item, error, () if company_id is None else (company_id,))
        elif error:
            result.failed[item.pk] = error
        else:
            result.next_subjects.add(company_id)
    return result


def _save_site(campaign: Campaign, research, result: StageResult) -> tuple[str | None, int | None]:
    from coldflow.research.models import ResearchStatus
    from coldflow.research.store import save_research

    company = save_research(campaign.workspace, research)
    if company.research_status != ResearchStatus.RESEARCHED:
        return company.research_error or "the site could not be read", None
    result.counts["sites"] += 1
    result.counts["pages"] += len(research.pages)
    result.counts["people"] += len(research.people)
    result.counts["emails"] += len(research.emails)
    return None, company.pk


_CRAWL_DONE = object()


def _researched_as_they_finish(
    domains: list[str], env: StageEnv, previous: Mapping[str, SiteCrawl]
) -> Iterator:
    """Research the domains in a thread with its own event loop and yield each site's research
    here, as its crawl finishes: Django's ORM may not be used inside the event loop, so the
    saving happens in this (the caller's) thread while the crawl goes on."""
    from coldflow.research.service import research_domains

    if not domains:
        return
    finished: queue.Queue = queue.Queue()
    failure: list[BaseException] = []

    def crawl() -> None:
        try:
            research_domains(
                domains,
                env.fetch,
                pages_per_site=env.config["CRAWL_PAGES_PER_SITE"],
                on_result=finished.put,
                previous=previous,
            )
        except BaseException as exc:
            failure.append(exc)
        finally:
            finished.put(_CRAWL_DONE)

    thread = threading.Thread(target=crawl, name="research-crawl", daemon=True)
    thread.start()
    try:
        while (research := finished.get()) is not _CRAWL_DONE:
            yield research
    finally:
        thread.join()
    if failure:
        raise failure[0]


def run_contacts(campaign: Campaign, items: list[WorkItem], env: StageEnv) -> StageResult:
    from coldflow.contacts.finding import guess_missing_addresses
    from coldflow.contacts.models import EmailAddress
    from coldflow.contacts.verification_cache import verify_with_database
    from coldflow.contacts.verification_store import record_verifications
    from coldflow.research.models import Company

    result = StageResult(next_stage="leads")
    companies = list(Company.objects.filter(pk__in=[i.subject_id for i in items]))
    for company in companies:
        result.counts["guessed"] += guess_missing_addresses(company)
    addresses = list(
        EmailAddress.objects.filter(company__in=companies).values_list("address", flat=True)
    )
    verified = verify_with_database(addresses, env.verify)
    record_verifications(campaign.workspace, verified)
    result.counts.update(f"verdict:{r.verdict}" for r in verified)
    result.counts["addresses"] += len(addresses)
    result.next_subjects = {c.pk for c in companies}
    return result


def run_leads(campaign: Campaign, items: list[WorkItem], env: StageEnv) -> StageResult:
    from coldflow.contacts.leads import build_leads
    from coldflow.contacts.models import Lead, LeadStatus

    result = StageResult(next_stage="compose")
    company_ids = [i.subject_id for i in items]
    report = build_leads(campaign, company_ids)
    result.counts.update(
        people=report.people, created=report.created, updated=report.updated, removed=report.removed
    )
    result.counts.update({f"status:{s}": n for s, n in report.statuses.items()})
    result.next_subjects = set(
        Lead.objects.filter(
            campaign=campaign,
            company_id__in=company_ids,
            status=LeadStatus.READY,
            email__isnull=False,
        ).values_list("id", flat=True)
    )
    return result


def run_compose(campaign: Campaign, items: list[WorkItem], env: StageEnv) -> StageResult:
    from coldflow.compose.drafts import compose_drafts

    result = StageResult()
    report = compose_drafts(campaign, lead_ids=[i.subject_id for i in items], llm=env.llm)
    result.counts.update(
        leads=report.leads,
        drafted=report.drafted,
        existing=report.existing,
        approved=report.approved,
        held_for_review=report.held_for_review,
        lint_errors=report.lint_errors,
    )
    env.hand_over(campaign)
    return result


RUNNERS: dict[str, Callable[[Campaign, list[WorkItem], StageEnv], StageResult]] = {
    "discover": run_discover,
    "research": run_research,
    "contacts": run_contacts,
    "leads": run_leads,
    "compose": run_compose,
}
# Runners that finish their items one by one through `settle` as each is done.
SETTLES_EACH_ITEM = frozenset({"research"})
