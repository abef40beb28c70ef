"""`coldflow lint`: check saved messages the way every draft is checked before it is queued."""

from __future__ import annotations

import json
from pathlib import Path

import click

from coldflow.cli.output import console


@click.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, in order.")
@click.option(
    "--no-spamassassin",
    is_flag=True,
    help="Skip the SpamAssassin check (it runs when `spamassassin` is installed).",
)
def lint(files: tuple[Path, ...], as_json: bool, no_spamassassin: bool) -> None:
    """Lint message files (.eml): unresolved or empty variables, spam-trigger phrases,
    length, links and images, all caps, punctuation runs, plain-text part, unsubscribe.

    Prints each file's findings, and SpamAssassin's score and rules when it is installed
    (local tests only, nothing leaves the machine). Exit code 1 when any file has an error
    or cannot be read.
    """
    from coldflow.compose.lint import has_errors, lint_file, spamassassin_available

    check_spam = not no_spamassassin
    failed = False
    for path in files:
        try:
            result = lint_file(path, spamassassin=check_spam)
        except OSError as exc:
            failed = True
            reading = {"file": str(path), "error": f"cannot read: {exc.strerror or exc}"}
            if as_json:
                click.echo(json.dumps(reading, ensure_ascii=False))
            else:
                _say(f"{path}: {reading['error']}")
            continue
        failed |= has_errors(result.findings)
        if as_json:
            click.echo(json.dumps({"file": str(path), **result.as_dict()}, ensure_ascii=False))
            continue
        errors = sum(f.severity == "error" for f in result.findings)
        warnings = len(result.findings) - errors
        _say(f"{path}: {errors} error(s), {warnings} warning(s)")
        for finding in result.findings:
            _say(f"  {finding.severity:<7} {finding.rule:<20} {finding.message}")
        if result.spamassassin is not None:
            report = result.spamassassin
            verdict = "spam" if report.is_spam else "not spam"
            _say(f"  SpamAssassin: {report.score:.1f} of {report.threshold:.1f} ({verdict})")
            for rule in report.rules:
                _say(f"    {rule.points:>5.1f} {rule.name:<24} {rule.description}")
        elif result.spamassassin_error:
            _say(f"  SpamAssassin: {result.spamassassin_error}")
        elif check_spam and not spamassassin_available():
            _say("  SpamAssassin: not installed (apt-get install spamassassin)")
    if failed:
        raise SystemExit(1)


def _say(text: str) -> None:
    # Subjects and findings quote the message: print them as text, never as markup.
    console.print(text, markup=False, soft_wrap=True)
