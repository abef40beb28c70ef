"""`coldflow compose` and `coldflow drafts`."""

from __future__ import annotations

import json

import click

from coldflow.cli import instance
from coldflow.cli.output import console
from coldflow.config.loader import load_settings
from coldflow.errors import UserError


def _campaign(name: str, workspace: str | None):
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.campaigns.models import Campaign

    target = resolve_workspace(workspace)
    campaign = Campaign.objects.filter(workspace=target, name=name).first()
    if campaign is None:
        raise UserError(f"no campaign named {name!r} in workspace {target.name!r}")
    return campaign


def _boot() -> None:
    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)


@click.command()
@click.option("--campaign", "campaign_name", required=True, help="The campaign's name.")
@click.option(
    "--preview",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Show the first email for N leads (different companies first); no draft is saved.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many leads.")
@click.option(
    "--no-llm",
    "no_llm",
    is_flag=True,
    help="Rule-based first lines only, even when an LLM is configured (LLM_BASE_URL).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def compose(campaign_name, preview, limit, no_llm, as_json, workspace) -> None:
    """Write the campaign's drafts: every step of its sequence for every lead with a sendable
    address, personalised from the lead's research facts and linted.

    When an LLM is configured, the first line of each first email is written by it from the
    lead's facts (checked: only given facts, no foreign links, lint-clean); a lead whose LLM
    line fails gets the rule-based line and a warning saying why. A refused API key or a spent
    LLM budget stops compose (drafts already written stay).

    Running it again writes only what is missing. Clean drafts are approved at once unless the
    campaign requires approval; drafts with lint errors always wait for a person
    (`coldflow drafts`). A campaign without a sequence gets the default three-step one.
    """
    _boot()
    from coldflow.compose.drafts import compose_drafts, configured_llm

    campaign = _campaign(campaign_name, workspace)
    llm = None if no_llm else configured_llm()
    try:
        report = compose_drafts(
            campaign, limit=preview or limit, preview=preview is not None, llm=llm
        )
    finally:
        if llm is not None:
            llm.close()
    if as_json:
        data = report.as_dict()
        if preview is None:
            data.pop("previews")
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if preview is not None:
        _print_previews(report.previews)
        if not report.previews:
            console.print("No lead with a sendable address in this campaign yet.", markup=False)
        else:
            console.print(_first_lines_summary(report), markup=False)
        return
    console.print(
        f"{report.leads} leads: {report.drafted} drafts written, {report.existing} already "
        f"there; {report.approved} approved, {report.held_for_review} held for review, "
        f"{report.lint_errors} with lint errors",
        markup=False,
    )
    if report.drafted:
        console.print(_first_lines_summary(report), markup=False)


def _first_lines_summary(report) -> str:
    return (
        f"First lines: {report.first_lines_llm} by the LLM, {report.first_lines_rules} "
        f"rule-based, {report.first_lines_fallback} rule-based after the LLM's line failed"
    )


def _print_previews(previews) -> None:
    say = lambda text="": console.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
    for number, draft in enumerate(previews, start=1):
        say(
            f"── {number}. {draft.name} <{draft.to}> · {draft.company} · step {draft.step}, "
            f"variant {draft.variant}"
        )
        say(f"Subject: {draft.subject}")
        say()
        say(draft.body_text)
        say()
        if draft.facts_used:
            say("Sources:")
            for fact in draft.facts_used:
                say(f"  [{fact['key']} #{fact['fact_id']}] {fact['source_url']}")
        else:
            say("Sources: none (no usable signal; generic first line)")
        if draft.first_line == "llm":
            say("First line: written by the LLM")
        for finding in draft.lint_findings:
            say(f"  lint {finding['severity']}: {finding['rule']}: {finding['message']}")
        say()


@click.group()
def drafts() -> None:
    """Review a campaign's drafts: list, approve, reject."""


@drafts.command("list")
@click.option("--campaign", "campaign_name", required=True, help="The campaign's name.")
@click.option(
    "--state",
    type=click.Choice(["draft", "approved", "rejected", "all"]),
    default="draft",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the drafts as JSON.")
@click.option("--workspace", default=None, help="Workspace (default: the only one).")
def list_drafts(campaign_name, state, as_json, workspace) -> None:
    """List the campaign's messages waiting for review (or in another state)."""
    _boot()
    from coldflow.send.models import OutboundMessage

    campaign = _campaign(campaign_name, workspace)
    query = OutboundMessage.objects.filter(campaign=campaign).select_related("step", "variant")
    if state != "all":
        query = query.filter(state=state)
    rows = [
        {
            "id": m.id,
            "state": m.state,
            "to": m.to_address,
            "step": m.step.position + 1,
            "variant": m.variant.label if m.variant else "",
            "subject": m.subject,
            "lint_errors": sum(1 for f in m.lint_findings if f.get("severity") == "error"),
            "edited": bool(m.original_body_text),
        }
        for m in query.order_by("id")
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        flags = (" lint-errors" if row["lint_errors"] else "") + (
            " edited" if row["edited"] else ""
        )
        console.print(
            f"{row['id']:>6}  {row['state']:<8}  step {row['step']}{row['variant']:<2} "
            f"{row['to']:<36}  {row['subject']}{flags}",
            markup=False,
            highlight=False,
        )
    console.print(f"{len(rows)} messages", markup=False)


def _bulk_command(action_name: str):
    @click.option("--campaign", "campaign_name", required=True, help="The campaign's name.")
    @click.option("--all", "all_drafts", is_flag=True, help="Every draft of the campaign.")
    @click.argument("ids", nargs=-1, type=int)
    @click.option("--workspace", default=None, help="Workspace (default: the only one).")
    def command(campaign_name, all_drafts, ids, workspace) -> None:
        if bool(ids) == all_drafts:
            raise click.UsageError("give message ids or --all (not both)")
        _boot()
        from coldflow.compose import approval

        campaign = _campaign(campaign_name, workspace)
        many = approval.approve_many if action_name == "approve" else approval.reject_many
        result = many(campaign, None if all_drafts else ids)
        verb = "approved" if action_name == "approve" else "rejected"
        console.print(f"{len(result.changed)} {verb}, {len(result.skipped)} skipped", markup=False)
        for reason in result.skipped.values():
            console.print(f"  skipped: {reason}", markup=False)
        if ids and result.skipped:
            raise SystemExit(1)

    return command


drafts.command(
    "approve",
    help="Approve drafts (by id, or --all). Drafts with lint errors are skipped.",
)(_bulk_command("approve"))
drafts.command("reject", help="Reject drafts or approved messages (by id, or --all drafts).")(
    _bulk_command("reject")
)
