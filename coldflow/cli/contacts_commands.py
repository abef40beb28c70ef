"""Commands about people and their addresses that need no database."""

from __future__ import annotations

import json
import sys

import click

from coldflow.cli.output import console


@click.command("email-guess")
@click.option("--domain", help="The company's domain (or website URL).")
@click.option("--name", help='The person\'s name as written, e.g. "Dr. Anna-Lena Müller".')
@click.option(
    "--known",
    multiple=True,
    metavar='"Name <email>"',
    help="A known address at the same domain, with its owner's name; repeat for more.",
)
@click.option(
    "--batch",
    type=click.File("r", encoding="utf-8"),
    help="JSON lines: {domain, name, known: [{name, email}]} per line ('-' for stdin); "
    "writes one JSON line per case, in input order.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def email_guess(domain, name, known, batch, as_json) -> None:
    """Guess a person's most likely addresses from the domain's learned pattern.

    Every candidate is a guess, marked as such, with a calibrated confidence; verify before
    sending (`coldflow verify`).
    """
    from coldflow.contacts.guess import guess_batch, guess_email, parse_known

    if batch is not None:
        if domain or name or known:
            raise click.UsageError("--batch reads every case from the file; drop the other options")
        for result in guess_batch(batch):
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    if not domain or not name:
        raise click.UsageError("give --domain and --name (or --batch FILE)")

    guess = guess_email(domain, name, [parse_known(k) for k in known])
    result = guess.as_dict()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    pattern = result["pattern"] or "(no examples: popular patterns)"
    console.print(f"pattern: {pattern}  (support {result['support']})", markup=False)
    for conflict in result.get("conflicts", []):
        console.print(
            f"  also seen: {conflict['pattern']} (support {conflict['support']})", markup=False
        )
    for candidate in result["candidates"]:
        label = "guessed" if candidate["guessed"] else "published"
        console.print(
            f"  {candidate['email']:<40} {candidate['confidence']:.2f}  {label}", markup=False
        )
