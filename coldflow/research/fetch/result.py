"""What one fetch produced. Network and HTTP problems are data here, never exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    final_url: str
    # None when no response arrived (refused, timeout, connection failure…).
    status: int | None
    text: str = ""
    # Lower-case names; repeated headers joined with ", ".
    headers: dict[str, str] = field(default_factory=dict)
    # Body bytes after content decoding (gzip, br…), before charset decoding.
    byte_count: int = 0
    encoding: str | None = None
    # Every URL that answered with a redirect, in order; final_url is not included.
    redirects: tuple[str, ...] = ()
    elapsed: float = 0.0
    # Short and readable: "refused: private address 10.0.0.5", "timeout after 10 s"…
    error: str | None = None
    not_modified: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()
