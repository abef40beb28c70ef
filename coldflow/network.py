"""How coldflow reaches the outside world: the one place that reads the network settings.

Real mode: the configured (or system) DNS resolver, and no loopback or private addresses,
ever. Sandbox mode (SANDBOX=true): the sandbox's DNS server, loopback allowed, and the
well-known ports (80/443 for the web, 25 for MX hosts) mapped to the sandbox's ports, all read
from the sandbox.json that `coldflow sandbox serve` wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coldflow.config.loader import Config, ConfigError


@dataclass(frozen=True)
class Network:
    nameserver: str | None = None
    nameserver_port: int = 53
    allow_loopback: bool = False
    # Sandbox only: well-known port → the sandbox's port.
    port_map: dict[int, int] = field(default_factory=dict)
    # Sandbox only: the endpoints file as written by the sandbox.
    sandbox: dict[str, Any] | None = None

    def smtp_port(self, port: int = 25) -> int:
        return self.port_map.get(port, port)


def network_from_config(config: Config) -> Network:
    if config["SANDBOX"]:
        return _sandbox_network(config)
    nameserver, port = _parse_resolver(config["DNS_RESOLVER"])
    return Network(nameserver=nameserver, nameserver_port=port)


def _parse_resolver(value: str) -> tuple[str | None, int]:
    if not value:
        return None, 53
    host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "53")
    try:
        return host, int(port)
    except ValueError:
        raise ConfigError("DNS_RESOLVER", f"expected host or host:port, got {value!r}") from None


def load_sandbox_endpoints(state_dir: Path | None) -> dict[str, Any]:
    if state_dir is None:
        raise ConfigError("SANDBOX_STATE_DIR", "SANDBOX is on but SANDBOX_STATE_DIR is not set")
    path = Path(state_dir) / "sandbox.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            "SANDBOX_STATE_DIR",
            f"no sandbox.json in {state_dir}: start `coldflow sandbox serve --state-dir "
            f"{state_dir}` first",
        ) from None
    except (OSError, ValueError) as exc:
        raise ConfigError("SANDBOX_STATE_DIR", f"cannot read {path}: {exc}") from None


def _sandbox_network(config: Config) -> Network:
    endpoints = load_sandbox_endpoints(config["SANDBOX_STATE_DIR"])
    http_port = endpoints["http"]["port"]
    port_map = {80: http_port, 443: http_port}
    if endpoints.get("mx"):
        port_map[25] = endpoints["mx"]["port"]
    return Network(
        nameserver=endpoints["dns"]["host"],
        nameserver_port=endpoints["dns"]["port"],
        allow_loopback=True,
        port_map=port_map,
        sandbox=endpoints,
    )
