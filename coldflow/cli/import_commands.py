"""`coldflow import`: companies or people from a CSV file, or a plain list of domains."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from coldflow.cli import instance
from coldflow.cli.output import console, fail
from coldflow.config.loader import load_settings

# Problems printed in the terminal; --json carries them all.
_SHOWN_PROBLEMS = 50


def parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    """field → column from `COLUMN=FIELD` pairs (a column's name may itself hold `=`)."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, separator, name = pair.rpartition("=")
        if not separator or not column.strip() or not name.strip():
            raise click.BadParameter(f"{pair!r} is not COLUMN=FIELD", param_hint="--map")
        mapping[name.strip()] = column.strip()
    return mapping


def looks_like_domain_list(head: bytes) -> bool:
    """The first line that is not blank or a comment holds only domains or web addresses."""
    from coldflow.discover.domains import registrable_domain

    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            tokens = [t for t in re.split(r"[\s,;]+", line) if t]
            return all(registrable_domain(t) for t in tokens)
    return False


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["companies", "people", "domains"]),
    default=None,
    help="What the file lists (default: told from its columns; a file of bare domains is a "
    "domain list).",
)
@click.option(
    "--map",
    "pairs",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read a column as a field, e.g. --map 'E-Post=email'. Fields: email, first_name, "
    "last_name, full_name, title, phone, linkedin_url, city, country, personalization, "
    "company_name, website, domain, industry, employees, company_linkedin_url, company_phone, "
    "company_city, company_country. Repeatable.",
)
@click.option("--workspace", default=None, help="Workspace to import into (default: the only one).")
@click.option("--dry-run", is_flag=True, help="Check and count everything, store nothing.")
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Import the good rows of a file that has bad ones (the bad ones are listed).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def import_file(file, kind, pairs, workspace, dry_run, skip_bad_rows, as_json) -> None:
    """Import companies or people from a CSV file, or a plain list of domains.

    Apollo, Hunter and Instantly exports are recognised by their headers; so are the usual
    English and German column names. All or nothing: a file with a bad row imports nothing
    (unless --skip-bad-rows), and every problem is reported with its row. Companies and people
    the workspace already has are not duplicated, so importing a file twice adds nothing.
    Exit status: 0 imported, 1 nothing imported.
    """
    from coldflow.discover.imports import read_csv, read_domain_list

    mapping = parse_mapping(pairs)
    try:
        with file.open("rb") as handle:
            head = handle.read(64 * 1024)
            if kind is None:
                kind = "domains" if looks_like_domain_list(head) else None
            if kind == "domains":
                if mapping:
                    raise click.UsageError("--map is for CSV files, not lists of domains")
                handle.seek(0)
                text = (line.decode("utf-8-sig", "replace") for line in handle)
                parsed = read_domain_list(text)
            else:
                handle.seek(0)
                parsed = read_csv(handle, mapping, kind=kind)
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")

    report = _Report(file.name, parsed)
    if report.fatal:
        report.finish(None, as_json)
        fail(f"{file.name}: {report.fatal}")
    if report.errors and not skip_bad_rows:
        report.finish(None, as_json)
        raise SystemExit(1)

    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)
    from coldflow.accounts.workspaces import resolve_workspace
    from coldflow.discover.import_store import save_import

    target = resolve_workspace(workspace)
    summary = save_import(target, report.batch, dry_run=dry_run)
    report.finish(summary, as_json)


class _Report:
    """What the file held, what was wrong with it, and what was stored."""

    def __init__(self, file_name: str, parsed) -> None:
        from coldflow.discover.imports import (
            DOMAIN_LIST_METHOD,
            DomainListResult,
            ImportBatch,
            ImportedCompany,
            people_without_company,
        )

        self.file_name = file_name
        self.skipped = list(parsed.skipped)
        if isinstance(parsed, DomainListResult):
            self.kind, self.fatal, self.details = "domains", None, {}
            self.errors = list(parsed.errors)
            self.batch = ImportBatch(
                file_name,
                companies=[
                    ImportedCompany(line, domain)
                    for line, domain in zip(parsed.lines, parsed.domains, strict=True)
                ],
                unit="line",
                method=DOMAIN_LIST_METHOD,
            )
            self.rows = len(parsed.domains) + len(parsed.errors) + len(parsed.skipped)
            return
        self.kind, self.fatal = parsed.kind, parsed.fatal
        self.details = {
            "format": parsed.source_format,
            "encoding": parsed.encoding,
            "delimiter": parsed.delimiter,
            "mapping": parsed.mapping,
        }
        homeless = people_without_company(parsed.people)
        self.errors = sorted([*parsed.errors, *homeless], key=lambda p: p.row)
        bad_rows = {p.row for p in homeless}
        self.batch = ImportBatch(
            file_name,
            companies=list(parsed.companies),
            people=[p for p in parsed.people if p.row not in bad_rows],
        )
        self.rows = parsed.rows

    def finish(self, summary, as_json: bool) -> None:
        if as_json:
            click.echo(json.dumps(self._as_dict(summary), ensure_ascii=False))
        else:
            self._print(summary)

    def _as_dict(self, summary) -> dict:
        def problem(p) -> dict:
            return {p.unit: p.row, "column": p.column, "message": p.message}

        return {
            "file": self.file_name,
            "kind": self.kind,
            **self.details,
            "rows": self.rows,
            "imported": summary is not None and not summary.dry_run,
            "dry_run": summary is not None and summary.dry_run,
            "fatal": self.fatal,
            "errors": [problem(p) for p in self.errors],
            "skipped": [problem(p) for p in self.skipped],
            "summary": summary.as_dict() if summary is not None else None,
        }

    def _print(self, summary) -> None:
        say = lambda text: console.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
        if self.fatal:
            return
        described = self.kind
        if self.details:
            columns = ", ".join(f"{c} → {f}" for f, c in self.details["mapping"].items())
            described += f" ({self.details['format']}, {self.details['encoding']}); {columns}"
        say(f"{self.file_name}: {self.rows} {'entries' if self.kind == 'domains' else 'rows'} of "
            f"{described}")  # fmt: skip
        if self.errors:
            say(f"{_count(len(self.errors), 'problem')}:")
            for problem in self.errors[:_SHOWN_PROBLEMS]:
                say(f"  {problem}")
            if len(self.errors) > _SHOWN_PROBLEMS:
                say(f"  … and {len(self.errors) - _SHOWN_PROBLEMS} more (--json lists them all)")
        for repeat in self.skipped[:_SHOWN_PROBLEMS]:
            say(f"  left out: {repeat}")
        if summary is None:
            say("Nothing was imported: fix these rows, or import the others with --skip-bad-rows.")
            return
        s = summary
        verb = "Would import" if s.dry_run else "Imported"
        say(
            f"{verb}: companies {s.companies_created} new, {s.companies_updated} completed, "
            f"{s.companies_known} already known; people {s.people_created} new, "
            f"{s.people_known} already known; addresses {s.emails_created} new, "
            f"{s.emails_known} already known; {s.facts_created} facts."
        )
        if self.errors:
            unit = "line" if self.kind == "domains" else "row"
            say(f"{_count(len(self.errors), 'bad ' + unit)} left out.")
        if s.dry_run:
            say("Dry run: nothing was stored.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
