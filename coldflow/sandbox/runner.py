"""Start the whole sandbox world on loopback and describe it in the state directory.

`start_world` runs every server on the current asyncio loop and writes `sandbox.json` (every
endpoint, the sender mailboxes and the DKIM key) and `truth.json`. `serve` does the same in the
foreground until SIGINT or SIGTERM. `background_world` runs it on a thread of its own, for
synchronous code such as pytest fixtures.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from coldflow.sandbox.dns import DnsServer
from coldflow.sandbox.search import SearchServer
from coldflow.sandbox.sites import SitesServer
from coldflow.sandbox.world import DEFAULT_REFERENCE_DATE, World, generate_world, truth_json

SANDBOX_FILE = "sandbox.json"
TRUTH_FILE = "truth.json"


@dataclass
class RunningWorld:
    world: World
    state_dir: Path
    # What sandbox.json holds.
    endpoints: dict[str, Any]
    sites: SitesServer
    search: SearchServer
    dns: DnsServer
    # coldflow.sandbox.mail.MailServers, when that package is available.
    mail: Any | None = None
    _stopped: bool = field(default=False, repr=False)

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        await _stop_all([self.mail, self.dns, self.search, self.sites])


async def _stop_all(servers: list[Any]) -> None:
    for server in servers:
        if server is not None:
            await server.stop()


def _write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.chmod(mode)
    os.replace(temporary, path)


async def _start_mail(
    world: World, host: str, ports: Mapping[str, int], options: Mapping[str, Any]
) -> tuple[Any | None, str | None]:
    """(the running mail servers or None, why they are missing)."""
    try:
        from coldflow.sandbox.mail import MailServers
    except ImportError as error:
        return None, f"coldflow.sandbox.mail is not available ({error}); no MX, submission or IMAP"
    port_options = {
        f"{name}_port": ports[name] for name in ("mx", "submission", "imap") if ports.get(name)
    }
    servers = MailServers(world.mail, host=host, **port_options, **options)
    await servers.start()
    return servers, None


async def start_world(
    state_dir: str | Path,
    *,
    seed: int = 1,
    companies: int = 60,
    host: str = "127.0.0.1",
    ports: Mapping[str, int] | None = None,
    reference_date: date = DEFAULT_REFERENCE_DATE,
    mail_options: Mapping[str, Any] | None = None,
) -> RunningWorld:
    """Generate the world, start its servers and write sandbox.json and truth.json.

    `ports` may fix any of "http", "dns", "search", "mx", "submission", "imap"; the rest are free
    ports. `mail_options` are passed on to MailServers (e.g. time_scale for fast tests).
    """
    ports = dict(ports or {})
    state = Path(state_dir)
    state.mkdir(parents=True, exist_ok=True)
    world = generate_world(seed, companies, reference_date)
    sites = SitesServer(world.sites)
    search = SearchServer(world.search_documents)
    dns = DnsServer(world.dns)
    started: list[Any] = []
    try:
        await sites.start(host, ports.get("http", 0))
        started.append(sites)
        await search.start(host, ports.get("search", 0))
        started.append(search)
        await dns.start(host, ports.get("dns", 0))
        started.append(dns)
        mail, mail_note = await _start_mail(world, host, ports, mail_options or {})
    except BaseException:
        await _stop_all(list(reversed(started)))
        raise

    sending = world.sending
    key_dir = state / "dkim"
    key_dir.mkdir(exist_ok=True)
    key_path = key_dir / f"{sending.dkim_selector}.{sending.domain}.pem"
    _write_atomically(key_path, sending.dkim_private_key_pem.encode(), 0o600)
    mail_endpoints = mail.endpoints() if mail is not None else {}
    endpoints: dict[str, Any] = {
        "seed": seed,
        "companies": companies,
        "reference_date": reference_date.isoformat(),
        "http": {"host": host, "port": sites.port},
        "dns": {"host": host, "port": dns.port},
        "search": {"url": search.url},
        "mx": mail_endpoints.get("mx"),
        "submission": mail_endpoints.get("submission"),
        "imap": mail_endpoints.get("imap"),
        "mail": {"running": mail is not None, "note": mail_note},
        "sending_domain": sending.domain,
        "senders": [
            {
                "address": s.address,
                "username": s.username,
                "password": s.password,
                "display_name": s.display_name,
            }
            for s in sending.senders
        ],
        "dkim": {
            "domain": sending.domain,
            "selector": sending.dkim_selector,
            "private_key_path": str(key_path.resolve()),
            "public_txt": sending.dkim_public_txt,
        },
        "truth": str((state / TRUTH_FILE).resolve()),
    }
    _write_atomically(state / TRUTH_FILE, truth_json(world))
    _write_atomically(state / SANDBOX_FILE, json.dumps(endpoints, indent=1).encode(), 0o600)
    return RunningWorld(world, state, endpoints, sites, search, dns, mail)


def serve(
    state_dir: str | Path,
    *,
    on_ready: Callable[[RunningWorld], None] | None = None,
    **options: Any,
) -> None:
    """Run the world in the foreground until SIGINT or SIGTERM, then stop it cleanly."""

    async def main() -> None:
        running = await start_world(state_dir, **options)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            if on_ready is not None:
                on_ready(running)
            await stop.wait()
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            await running.stop()

    asyncio.run(main())


@contextlib.contextmanager
def background_world(state_dir: str | Path, **options: Any) -> Iterator[RunningWorld]:
    """The world running on its own event loop in a daemon thread, for synchronous callers.

    The servers belong to that loop: talk to them over the network, not by awaiting them.
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="sandbox-world", daemon=True)
    thread.start()
    try:
        running = asyncio.run_coroutine_threadsafe(start_world(state_dir, **options), loop).result()
        try:
            yield running
        finally:
            asyncio.run_coroutine_threadsafe(running.stop(), loop).result(timeout=30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()
