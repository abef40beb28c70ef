import json
import signal
import subprocess
import sys
import time

import dns.resolver
import pytest

pytestmark = pytest.mark.slow


def test_sandbox_serve_writes_its_endpoints_and_truth_and_stops_on_ctrl_c(tmp_path):
    state = tmp_path / "sb-state"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coldflow.cli.main",
            "sandbox",
            "serve",
            "--state-dir",
            str(state),
            "--companies",
            "12",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not (state / "sandbox.json").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        endpoints = json.loads((state / "sandbox.json").read_text())
        truth = json.loads((state / "truth.json").read_text())
        assert len(truth["companies"]) == 12

        domain = truth["companies"][0]["domain"]
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [endpoints["dns"]["host"]]
        resolver.port = endpoints["dns"]["port"]
        answer = resolver.resolve(domain, "A")
        assert answer[0].address == "127.0.0.1"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Ctrl-C stops it" in output
