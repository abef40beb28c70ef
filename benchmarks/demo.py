"""Wall time of the whole demo campaign from a fresh data directory, and the time of each stage.

Runs `coldflow demo --companies 50` in a new temporary data directory (sandbox start, database
migration, the campaign through the orchestrator, answers read) and prints the time of each
stage as the demo reports it, the pipeline time, and the wall time of the whole command.
Target: the pipeline under 60 s on a 2-core machine; exits 1 when it misses it.

    .venv/bin/python benchmarks/demo.py [--companies 50]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0
STAGES = ("discover", "research", "contacts", "leads", "compose", "send", "listen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coldflow-demo-bench-") as folder:
        env = {**os.environ, "COLUMNS": "400"}
        for name in ("DATABASE_URL", "REDIS_URL", "COLDFLOW_CONFIG"):
            env.pop(name, None)
        started = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "coldflow.cli.main",
                "demo",
                "--data-dir",
                str(Path(folder) / "demo"),
                "--companies",
                str(args.companies),
            ],
            env=env,
            capture_output=True,
            text=True,
            cwd=folder,
        )
        wall = time.monotonic() - started
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        return 1
    output = " ".join(result.stdout.split())
    print(f"demo campaign, {args.companies} sandbox companies, fresh data directory")
    for stage in STAGES:
        match = re.search(rf"✓ {stage} .*?\((\d+\.\d) s\)", output)
        print(f"  {stage:<9} {match.group(1) if match else '?':>6} s")
    pipeline = float(re.search(r"Pipeline time: (\d+\.\d) s", output).group(1))
    funnel = re.search(r"Funnel for campaign demo: (\d+) contacted", output)
    print(f"  contacted {funnel.group(1) if funnel else '?'} leads")
    print(f"pipeline time {pipeline:.1f} s (sandbox start to funnel), wall time {wall:.1f} s")
    print(f"target: pipeline under {TARGET_SECONDS:.0f} s → {pipeline / TARGET_SECONDS:.2f} of it")
    return 0 if pipeline < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
