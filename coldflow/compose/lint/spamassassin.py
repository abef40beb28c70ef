"""The optional deep check: Debian's `spamassassin` run on a whole message, local tests only.

`spamassassin -t -L` scores a message with its bundled rules (no DNS blocklists, no network),
without learning from it (Bayes off). The score and rule names come from the X-Spam-Status
header SpamAssassin puts at the top of its output; points and descriptions from its report
table, keeping only rules the header lists (the message itself cannot forge them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field

from coldflow.errors import UserError

# SpamAssassin's own default; the quality target for drafts is far below it.
SPAM_THRESHOLD = 5.0
_COMMAND = [
    "-t",  # test mode: report, never modify a mailbox
    "-L",  # local tests only
    "-x",  # no per-user preference files
    "--cf=use_bayes 0",
    "--cf=bayes_auto_learn 0",
]


class SpamAssassinError(UserError):
    pass


@dataclass(frozen=True)
class SpamAssassinRule:
    name: str
    points: float
    description: str


@dataclass(frozen=True)
class SpamAssassinReport:
    score: float
    threshold: float
    rules: list[SpamAssassinRule] = field(default_factory=list)

    @property
    def is_spam(self) -> bool:
        return self.score >= self.threshold

    def as_dict(self) -> dict:
        return {**asdict(self), "is_spam": self.is_spam}


def spamassassin_available() -> bool:
    return shutil.which("spamassassin") is not None


def spamassassin_check(raw_message: bytes, timeout: float = 60.0) -> SpamAssassinReport | None:
    """Score a raw RFC 5322 message; None when SpamAssassin is not installed."""
    executable = shutil.which("spamassassin")
    if executable is None:
        return None
    try:
        done = subprocess.run(
            [executable, *_COMMAND],
            input=raw_message,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SpamAssassinError(f"spamassassin took longer than {timeout:g} s") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpamAssassinError(
            f"spamassassin failed (exit {done.returncode}): {detail[-1] if detail else ''}"
        )
    return parse_report(done.stdout.decode("utf-8", "replace"))


_STATUS = re.compile(
    r"^X-Spam-Status:\s*\w+,\s*score=(-?[\d.]+)\s+required=(-?[\d.]+)"
    r"(?:\s+tests=(.*?))?(?:\s+autolearn=|\s+version=|\Z)",
    re.MULTILINE | re.DOTALL,
)
_TABLE_ROW = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$")


def parse_report(output: str) -> SpamAssassinReport:
    """Read `spamassassin -t` output."""
    headers = output.split("\n\n", 1)[0]
    # Unfold the header block so the tests= list reads as one line.
    headers = re.sub(r"\r?\n[ \t]+", " ", headers)
    status = _STATUS.search(headers)
    if status is None:
        raise SpamAssassinError("spamassassin gave no X-Spam-Status header")
    score, threshold = float(status[1]), float(status[2])
    names = [n for n in re.split(r"[,\s]+", status[3] or "") if n and n != "none"]
    table = _last_table(output)
    rules = [SpamAssassinRule(name, *table.get(name, (0.0, ""))) for name in dict.fromkeys(names)]
    return SpamAssassinReport(score, threshold, rules)


def _last_table(output: str) -> dict[str, tuple[float, str]]:
    start = output.rfind("Content analysis details:")
    if start == -1:
        return {}
    table: dict[str, tuple[float, str]] = {}
    last: str | None = None
    for line in output[start:].splitlines()[1:]:
        row = _TABLE_ROW.match(line)
        if row:
            last = row[2]
            table[last] = (float(row[1]), row[3].strip())
        elif last and line.startswith(" " * 10) and line.strip():
            # A description continued on the next line.
            points, description = table[last]
            table[last] = (points, f"{description} {line.strip()}")
        elif line.startswith("----") or not line.strip() or line.lstrip().startswith("pts"):
            continue
        else:
            last = None
    return table
