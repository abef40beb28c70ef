"""The settings registry as a table: for the README and for `coldflow settings`."""

from __future__ import annotations

from rich.table import Table

from coldflow.cli.output import console
from coldflow.config.loader import Config
from coldflow.config.registry import SETTINGS


def _default_text(value) -> str:
    if value in ("", None):
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def markdown_table() -> str:
    lines = ["| Setting | Type | Default | What it does |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        help_text = s.help.replace("|", "\\|")
        lines.append(f"| `{s.name}` | {s.kind} | `{_default_text(s.default)}` | {help_text} |")
    return "\n".join(lines)


def print_current(config: Config) -> None:
    table = Table("Setting", "Value", "From")
    for s in SETTINGS:
        value = config[s.name]
        shown = "(set)" if s.kind == "secret" and value else _default_text(value)
        table.add_row(s.name, shown, config.sources[s.name])
    console.print(table)
