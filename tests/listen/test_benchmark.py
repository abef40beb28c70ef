"""The mail classification benchmark script: figures and exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "mail_classification.py"
FIXTURES = Path(__file__).parent / "fixtures"


def _samples(tmp_path: Path, kind: str) -> Path:
    (tmp_path / "eml").mkdir()
    (tmp_path / "eml" / "one.eml").write_bytes((FIXTURES / "dsn_truncated.eml").read_bytes())
    recipients = [{"status": "5.1.1", "reason": "userunknown", "hard": True}]
    (tmp_path / "truth.json").write_text(
        json.dumps([{"file": "one.eml", "kind": kind, "recipients": recipients}])
    )
    return tmp_path


def _run(samples: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--samples", str(samples), "--verbose"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_prints_the_figures_and_succeeds_when_they_meet_the_targets(tmp_path):
    result = _run(_samples(tmp_path, "bounce"))
    assert result.returncode == 0, result.stdout + result.stderr
    for figure in ("kind", "recipient count", "status", "hard"):
        assert f"  {figure} " in result.stdout
    assert "bounce      -> bounce      1" in result.stdout


def test_it_fails_and_lists_the_disagreement_when_a_figure_is_below_target(tmp_path):
    result = _run(_samples(tmp_path, "auto_reply"))
    assert result.returncode == 1
    assert "one.eml: kind bounce, expected auto_reply" in result.stdout
