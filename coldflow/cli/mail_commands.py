"""Commands that read mail files: no database, no network."""

from __future__ import annotations

import json
from pathlib import Path

import click

from coldflow.cli.output import console


@click.command("inspect-message")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, in order.")
def inspect_message(files: tuple[Path, ...], as_json: bool) -> None:
    """Classify saved messages (.eml): bounce, auto-reply, complaint, unsubscribe, reply.

    For bounces, each failed recipient with status code, reason and whether the address is
    dead for good (hard); for replies, the intent and the text without quotes and signature.
    """
    from coldflow.listen.inspect import inspect_file

    failed = False
    for path in files:
        try:
            reading = inspect_file(path)
        except OSError as exc:
            reading = {"file": str(path), "error": f"cannot read: {exc.strerror or exc}"}
            failed = True
        if as_json:
            click.echo(json.dumps(reading, ensure_ascii=False))
        else:
            _print_reading(reading)
    if failed:
        raise SystemExit(1)


def say(text: str) -> None:
    """Print text from a received message: as text, never as terminal markup."""
    console.print(text, markup=False)


def _print_reading(reading: dict) -> None:
    if "error" in reading:
        say(f"{reading['file']}: {reading['error']}")
        return
    say(f"{reading['file']}: {reading['kind']}")
    for recipient in reading["recipients"]:
        hard = "hard" if recipient["hard"] else "soft"
        say(
            f"  {recipient['address'] or '(address not given)'}  {recipient['status'] or '-'}"
            f"  {recipient['reason']}  ({hard})"
        )
    for key in ("original_message_id", "intent", "return_date"):
        if reading.get(key):
            say(f"  {key.replace('_', ' ')}: {reading[key]}")
    if reading.get("reply_text"):
        say("  reply: " + reading["reply_text"].replace("\n", "\n         "))
