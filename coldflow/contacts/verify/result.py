"""What verifying one address produces: a verdict, a confidence, and every step's outcome."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["valid", "invalid", "accept_all", "unknown", "disposable", "role"]

STEP_NAMES = ("syntax", "disposable", "role", "mx", "provider", "catch_all", "smtp")


@dataclass(frozen=True, slots=True)
class Step:
    # One of STEP_NAMES.
    name: str
    # Short and machine-readable: "ok", "invalid", "found", "accepted", "skipped"…
    outcome: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class VerificationResult:
    # As given by the caller.
    address: str
    verdict: Verdict
    # 0..1: how sure the verdict is; 0 for unknown.
    confidence: float
    steps: list[Step] = field(default_factory=list)
    # The address as probed (IDN domain in ASCII), None when the syntax is invalid.
    normalized: str | None = None
    mx_host: str | None = None
    catch_all: bool | None = None
    # Unix time of the verification (a cached result keeps its original time).
    checked_at: float = 0.0

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        """One line of JSON, as `coldflow verify --json` prints it per address."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def with_address(self, address: str) -> VerificationResult:
        """The same result reported under another spelling of the same address."""
        return VerificationResult(
            address,
            self.verdict,
            self.confidence,
            list(self.steps),
            self.normalized,
            self.mx_host,
            self.catch_all,
            self.checked_at,
        )
