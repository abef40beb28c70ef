"""How the email verifier behaves: SMTP identity, limits, throttling, caching, DNS and sandbox."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class VerifySettings:
    # The name we give in EHLO; real MX hosts check that it resolves back to our address.
    helo_name: str = "localhost"
    # The probe's reverse path. Empty means the null sender "<>", which some hosts refuse.
    mail_from: str = ""
    smtp_probe: bool = True
    # Seconds to connect and read the banner, and to wait for each reply.
    connect_timeout: float = 10.0
    command_timeout: float = 10.0
    # Connections to one MX host; every recipient on that host shares them.
    per_mx_connections: int = 1
    # Minimum seconds between two RCPT commands to the same MX host.
    per_mx_delay: float = 0.0
    # MX hosts probed at once across the batch.
    total_connections: int = 100
    # RCPTs per MAIL transaction; RSET starts the next one. 1 keeps each probe independent of
    # the answers before it (some hosts turn hostile after a few unknown recipients).
    recipients_per_transaction: int = 1
    # Temporarily refused recipients (greylisting) are asked again once, this many seconds
    # after the last refusal, while the connection stays open; unless that is past max_wait.
    greylist_retry_delay: float = 60.0
    greylist_max_wait: float = 300.0
    # Reconnects per MX host after a dropped connection or a 421 before giving up as unknown.
    reconnects: int = 1
    # Cache lifetimes in seconds: definite verdicts, unknown ones, and domain facts (MX, catch-all).
    result_ttl: float = 30 * 86400.0
    unknown_result_ttl: float = 3600.0
    domain_ttl: float = 86400.0
    # None: the system resolver configuration.
    nameserver: str | None = None
    nameserver_port: int = 53
    dns_timeout: float = 5.0
    # Sandbox mode only: MX hosts on loopback become reachable (private ones never do).
    allow_loopback: bool = False
    # Sandbox mode only: connect to another local port than SMTP's, e.g. {25: 2525}.
    port_map: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.port_map and not self.allow_loopback:
            raise ValueError("port_map is a sandbox setting and needs allow_loopback=True")
        if min(self.per_mx_connections, self.total_connections) < 1:
            raise ValueError("connection limits must be at least 1")
        if self.recipients_per_transaction < 1:
            raise ValueError("recipients_per_transaction must be at least 1")
        if self.reconnects < 0:
            raise ValueError("reconnects must not be negative")
        for name in ("helo_name", "mail_from"):
            value = getattr(self, name)
            if any(c.isspace() or not c.isprintable() or c in "<>" for c in value):
                raise ValueError(f"{name} must not contain spaces, control characters or <>")
        if not self.helo_name:
            raise ValueError("helo_name must not be empty")

    @property
    def smtp_port(self) -> int:
        return self.port_map.get(25, 25)
