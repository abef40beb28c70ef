"""Starting and stopping the whole world: the state files, the endpoints, and a clean stop on
Ctrl-C in the foreground."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from coldflow.sandbox.runner import RunningWorld, start_world


def test_the_running_world_describes_every_endpoint_in_sandbox_json(
    sandbox: RunningWorld,
) -> None:
    described = json.loads((sandbox.state_dir / "sandbox.json").read_text())
    assert described == sandbox.endpoints
    assert described["http"]["port"] == sandbox.sites.port
    assert described["dns"]["port"] == sandbox.dns.port
    assert described["search"]["url"] == sandbox.search.url
    for name in ("mx", "submission", "imap"):
        assert (described[name] is None) is (not described["mail"]["running"])
    assert [s["address"] for s in described["senders"]] == [
        s.address for s in sandbox.world.sending.senders
    ]
    assert described["sending_domain"] == sandbox.world.sending.domain


def test_truth_json_is_written_next_to_it(sandbox: RunningWorld) -> None:
    truth = json.loads((sandbox.state_dir / "truth.json").read_text())
    assert [c["domain"] for c in truth["companies"]] == [c.domain for c in sandbox.world.companies]
    assert sandbox.endpoints["truth"] == str((sandbox.state_dir / "truth.json").resolve())


def test_the_dkim_key_file_is_private_and_loadable(sandbox: RunningWorld) -> None:
    path = Path(sandbox.endpoints["dkim"]["private_key_path"])
    assert path.stat().st_mode & 0o077 == 0
    serialization.load_pem_private_key(path.read_bytes(), None)


def test_stopping_frees_every_port(tmp_path: Path) -> None:
    async def start_and_stop() -> dict:
        running = await start_world(tmp_path, companies=5)
        await running.stop()
        await running.stop()
        return running.endpoints

    endpoints = asyncio.run(start_and_stop())
    for name in ("http", "dns"):
        with socket.socket() as sock:
            sock.bind((endpoints[name]["host"], endpoints[name]["port"]))


def test_given_ports_are_used(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]

    async def start_and_stop() -> dict:
        running = await start_world(tmp_path, companies=5, ports={"http": free})
        await running.stop()
        return running.endpoints

    assert asyncio.run(start_and_stop())["http"]["port"] == free


def test_serve_runs_in_the_foreground_until_interrupted(tmp_path: Path) -> None:
    code = (
        "import sys; from coldflow.sandbox.runner import serve; "
        "serve(sys.argv[1], companies=5, on_ready=lambda w: print('ready', flush=True))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        port = json.loads((tmp_path / "sandbox.json").read_text())["http"]["port"]
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the HTTP port still accepts connections after Ctrl-C")
