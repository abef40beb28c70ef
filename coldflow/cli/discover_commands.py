"""`coldflow discover`: from an ICP to ranked candidate companies."""

from __future__ import annotations

import json
from pathlib import Path

import click

from coldflow.cli import instance
from coldflow.cli.output import console, fail
from coldflow.config.loader import load_settings


def search_settings(config, network) -> dict:
    """The settings the search providers read; in sandbox mode SearXNG is the sandbox's."""
    values = dict(config.values)
    if network.sandbox and not values["SEARXNG_URL"]:
        values["SEARXNG_URL"] = network.sandbox["search"]["url"]
    return values


@click.command()
@click.option(
    "--icp",
    "icp_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The ideal customer profile as TOML (format: docs/icp.md).",
)
@click.option("--text", help='The ICP in words, e.g. "logistics companies in Germany".')
@click.option("--provider", help="Search provider (default: the SEARCH_PROVIDER setting).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per candidate.")
@click.option("--all", "show_all", is_flag=True, help="Also list filtered and duplicate hits.")
@click.option("--workspace", default=None, help="Workspace to save into (default: the only one).")
def discover(icp_file, text, provider, as_json, show_all, workspace) -> None:
    """Search for companies matching an ICP; rank them by fit, with the reasons.

    Directories, marketplaces, social networks, news sites and job boards are filtered out;
    companies already in the workspace are marked as duplicates. Accepted companies are saved,
    ready for `coldflow research`.
    """
    from coldflow.discover.icp import ICPError, icp_from_text, load_icp

    if bool(icp_file) == bool(text):
        raise click.UsageError("give either --icp FILE or --text")
    try:
        icp = load_icp(icp_file.read_text(encoding="utf-8")) if icp_file else icp_from_text(text)
    except OSError as exc:
        fail(f"cannot read {icp_file}: {exc.strerror}")
    except ICPError as exc:
        fail("the ICP has problems: " + "; ".join(exc.problems), code=2)

    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.discover.providers.registry import ProviderSettingsError
    from coldflow.discover.service import discover as run_discovery
    from coldflow.discover.store import existing_domains, save_discovery
    from coldflow.network import network_from_config

    target = resolve_workspace(workspace)
    settings = search_settings(config, network_from_config(config))
    try:
        result = run_discovery(
            icp,
            settings,
            provider_name=provider,
            existing_domains=existing_domains(target),
            query_limit=config["SEARCH_QUERIES"],
        )
    except (ProviderSettingsError, ICPError) as exc:
        message = "; ".join(exc.problems) if isinstance(exc, ICPError) else str(exc)
        fail(message, code=2)
    save_discovery(target, result)

    shown = result.candidates if show_all else result.accepted
    if as_json:
        for candidate in shown:
            click.echo(
                json.dumps(
                    {
                        "domain": candidate.domain,
                        "url": candidate.url,
                        "title": candidate.title,
                        "status": candidate.status,
                        "filter_reason": candidate.filter_reason,
                        "fit_score": candidate.fit_score,
                        "fit_reasons": [r.as_dict() for r in candidate.fit_reasons],
                        "queries": list(candidate.queries),
                    },
                    ensure_ascii=False,
                )
            )
    else:
        _print_discovery(result, shown)
    failed = [o for _, o in result.searches if o is not None and o.status != "ok"]
    if result.stopped_because or (failed and not result.accepted):
        reason = result.stopped_because or failed[0].message
        fail(f"search provider {result.provider}: {reason}")


def _print_discovery(result, shown) -> None:
    say = lambda text: console.print(text, markup=False, highlight=False)  # noqa: E731
    ran = [o for _, o in result.searches if o is not None]
    ok = sum(1 for o in ran if o.status == "ok")
    say(
        f"{len(ran)} queries to {result.provider} ({ok} answered), "
        f"{len(result.accepted)} companies accepted of {len(result.candidates)} domains found"
    )
    for outcome in ran:
        if outcome.status != "ok":
            say(f"  ! {outcome.status}: {outcome.message}")
    for candidate in shown:
        reasons = ", ".join(f"{r.factor}: {r.matched}" for r in candidate.fit_reasons if r.matched)
        status = (
            ""
            if candidate.status == "accepted"
            else f" [{candidate.status}: {candidate.filter_reason}]"
        )
        say(f"  {candidate.fit_score:4.2f}  {candidate.domain}{status}")
        if reasons:
            say(f"        {reasons}")
