"""`coldflow research` and `coldflow extract`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from coldflow.cli import instance
from coldflow.cli.output import console, errors
from coldflow.config.loader import load_settings


@click.command()
@click.argument("domains", nargs=-1)
@click.option(
    "--file",
    "domain_file",
    type=click.File("r", encoding="utf-8"),
    help="A file with one domain or URL per line ('#' starts a comment).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per domain, in order.")
@click.option("--workspace", default=None, help="Workspace to save into (default: the only one).")
def research(domains, domain_file, as_json, workspace) -> None:
    """Crawl company sites and extract company facts, people, emails and signals.

    A few pages per site (home, about, team, contact, imprint, careers, blog), robots.txt
    honoured, polite per host, private addresses refused. Results are saved with the source
    of every fact.
    """
    from coldflow.discover.imports import read_domain_list

    wanted = list(domains)
    if domain_file is not None:
        parsed = read_domain_list(domain_file)
        for problem in parsed.errors:
            errors.print(f"coldflow: skipped {problem}", markup=False)
        wanted += list(parsed.domains)
    if not wanted:
        raise click.UsageError("give one or more domains, or --file")

    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.network import network_from_config
    from coldflow.research.service import fetch_settings, research_domains
    from coldflow.research.site_research import research_to_json
    from coldflow.research.store import previous_crawls, save_research

    target = resolve_workspace(workspace)
    settings = fetch_settings(config, network_from_config(config))
    with Progress(
        TextColumn("researching"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    ) as progress:
        task = progress.add_task("", total=len(wanted))
        results = research_domains(
            wanted,
            settings,
            pages_per_site=config["CRAWL_PAGES_PER_SITE"],
            on_result=lambda r: progress.update(task, advance=1, description=r.domain),
            previous=previous_crawls(target, wanted),
        )
    for result in results:
        save_research(target, result)
        if as_json:
            click.echo(json.dumps(research_to_json(result), ensure_ascii=False))
        else:
            _print_summary(result)


def _print_summary(result) -> None:
    name = result.company.get("name")
    title = f"{result.domain} ({name.value})" if name else result.domain
    say = lambda text: console.print(text, markup=False, highlight=False)  # noqa: E731
    say(title)
    say(
        f"  {len(result.pages)} pages, {len(result.people)} people, {len(result.emails)} "
        f"addresses, {len(result.technologies)} technologies, {len(result.open_roles)} open "
        f"roles, {len(result.posts)} posts"
    )
    for person in result.people:
        say(f"  - {person.name}, {person.title or 'no title'}, {person.email or 'no address'}")
    for error in result.errors:
        say(f"  ! {error}")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="The URL the pages came from (default: file:// path).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, in order.")
def extract(files, url, as_json) -> None:
    """Run extraction alone on saved HTML pages: no network, no database."""
    from coldflow.research.extract import extract_page, extraction_to_json

    failed = False
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            reading = {"file": str(path), "error": f"cannot read: {exc.strerror or exc}"}
            failed = True
        else:
            page_url = url or path.resolve().as_uri()
            reading = extraction_to_json(path, extract_page(raw, page_url))
        if as_json:
            click.echo(json.dumps(reading, ensure_ascii=False))
        else:
            console.print(json.dumps(reading, ensure_ascii=False, indent=2), markup=False)
    if failed:
        raise SystemExit(1)
