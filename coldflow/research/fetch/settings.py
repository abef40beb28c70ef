"""How the one HTTP fetcher behaves: limits, politeness, DNS and the sandbox exception."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_USER_AGENT = "coldflow/0.1 (self-hosted research crawler)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = DEFAULT_USER_AGENT
    # Seconds for one request (connect, headers and body) of one redirect hop.
    timeout: float = 10.0
    connect_timeout: float = 5.0
    # Counted on decoded bytes, so a small compressed body cannot expand past it.
    max_bytes: int = 2_000_000
    max_redirects: int = 5
    # Extra attempts after a connection failure or a 429/502/503/504 answer.
    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 10.0
    per_host_concurrency: int = 2
    # Minimum seconds between the starts of two requests to the same host.
    per_host_delay: float = 1.0
    # A robots.txt Crawl-delay raises the per-host delay, but never past this.
    max_crawl_delay: float = 5.0
    total_concurrency: int = 100
    # None: the system resolver (getaddrinfo).
    nameserver: str | None = None
    nameserver_port: int = 53
    dns_timeout: float = 5.0
    # Sandbox mode only: loopback addresses become reachable (private ones never do).
    allow_loopback: bool = False
    # Sandbox mode only: connect to another local port than the URL's, e.g. {80: 8081}.
    port_map: dict[int, int] = field(default_factory=dict)
    respect_robots: bool = True
    # Scheme tried first for a bare domain; the other one is the fallback.
    default_scheme: str = "https"
    render_javascript: bool = False
    chromium_path: str = "/usr/bin/chromium"

    def __post_init__(self) -> None:
        if self.port_map and not self.allow_loopback:
            raise ValueError("port_map is a sandbox setting and needs allow_loopback=True")
        if self.per_host_concurrency < 1 or self.total_concurrency < 1:
            raise ValueError("concurrency settings must be at least 1")
        if self.default_scheme not in ("http", "https"):
            raise ValueError("default_scheme must be http or https")
