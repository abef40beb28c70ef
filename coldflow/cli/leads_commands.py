"""`coldflow leads`: a campaign's leads by score, each score explained."""

from __future__ import annotations

import json

import click

from coldflow.cli import instance
from coldflow.cli.output import console, errors
from coldflow.config.loader import load_settings
from coldflow.errors import UserError


class NoSuchCampaign(UserError):
    pass


def leads_line(report) -> str:
    """The one-line summary of a build_leads report."""
    statuses = ", ".join(f"{n} {status}" for status, n in report.statuses.most_common())
    return (
        f"{report.leads} leads from {report.people} people ({statuses or 'none'}); "
        f"{report.created} created, {report.updated} updated, {report.removed} removed"
    )


@click.command()
@click.option("--campaign", "campaign_name", required=True, help="The campaign's name.")
@click.option(
    "--build",
    is_flag=True,
    help="First create or update the leads from the researched people (safe to repeat).",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show the best N only.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per lead, best first.")
@click.option("--workspace", default=None, help="The campaign's workspace (default: the only one).")
def leads(campaign_name, build, limit, as_json, workspace) -> None:
    """List a campaign's leads by score, with the factors behind each score.

    A lead is a researched person whose title fits one of the campaign ICP's personas. The
    score (0-100) adds up company fit (industry, location, size, terms), person fit (persona,
    seniority, department), the chosen address's quality and signals (open roles, recent
    posts); each factor names the fact and source URL it rests on. A lead is `ready` when it
    has a sendable address (never an invalid, disposable or suppressed one).
    """
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.campaigns.models import Campaign
    from coldflow.contacts.leads import build_leads
    from coldflow.contacts.models import Lead

    target = resolve_workspace(workspace)
    found = Campaign.objects.filter(workspace=target, name=campaign_name).first()
    if found is None:
        raise NoSuchCampaign(
            f"no campaign named {campaign_name!r} in workspace {target.name} "
            "(create one with `coldflow campaign create NAME --icp FILE`)"
        )
    if build:
        errors.print(leads_line(build_leads(found)), markup=False)
    rows = (
        Lead.objects.filter(campaign=found)
        .select_related("person", "company", "email")
        .order_by("-score", "id")
    )
    if limit:
        rows = rows[:limit]
    for lead in rows:
        if as_json:
            click.echo(json.dumps(_as_json(lead), ensure_ascii=False))
        else:
            _print_lead(lead)


def _as_json(lead) -> dict:
    return {
        "id": lead.id,
        "score": lead.score,
        "status": lead.status,
        "name": lead.person.full_name,
        "title": lead.person.title,
        "seniority": lead.person.seniority,
        "department": lead.person.department,
        "company": lead.company.name or lead.company.domain,
        "domain": lead.company.domain,
        "email": lead.email.address if lead.email else None,
        "email_verdict": lead.email.verdict if lead.email else None,
        "explanation": lead.score_explanation,
    }


def _print_lead(lead) -> None:
    say = lambda text: console.print(text, markup=False, highlight=False)  # noqa: E731
    email = f"{lead.email.address} ({lead.email.verdict})" if lead.email else "no address"
    title = f", {lead.person.title}" if lead.person.title else ""
    say(
        f"{lead.score:5.1f}  {lead.status:<12} {lead.person.full_name}{title} · "
        f"{lead.company.name or lead.company.domain} · {email}"
    )
    for factor in lead.score_explanation:
        source = f"  [{factor['source_url']}]" if factor.get("source_url") else ""
        say(
            f"        {factor.get('points', 0):5.1f}  {factor['factor']:<15} {factor['value']}{source}"
        )
