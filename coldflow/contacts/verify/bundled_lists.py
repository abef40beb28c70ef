"""The lists shipped in coldflow/contacts/data: disposable domains, role local parts, and the
big mailbox providers whose MX hosts must not be trusted with a probe."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, slots=True)
class MailboxProvider:
    name: str
    mx_suffixes: tuple[str, ...]
    # What to answer instead of probing.
    verdict: Literal["unknown", "accept_all"]
    why: str


def _lines(file_name: str) -> frozenset[str]:
    text = (DATA_DIR / file_name).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


@cache
def disposable_domains() -> frozenset[str]:
    return _lines("disposable_domains.txt")


@cache
def role_local_parts() -> frozenset[str]:
    return _lines("role_local_parts.txt")


@cache
def mailbox_providers() -> tuple[MailboxProvider, ...]:
    entries = json.loads((DATA_DIR / "mailbox_providers.json").read_text(encoding="utf-8"))
    return tuple(
        MailboxProvider(e["name"], tuple(e["mx_suffixes"]), e["verdict"], e["why"]) for e in entries
    )


def is_disposable(ascii_domain: str) -> bool:
    """True for a listed domain or any subdomain of one."""
    labels = ascii_domain.lower().rstrip(".").split(".")
    listed = disposable_domains()
    return any(".".join(labels[i:]) in listed for i in range(len(labels) - 1))


def is_role(local_part: str) -> bool:
    base = local_part.lower().split("+", 1)[0]
    for separator in ".-_":
        base = base.replace(separator, "")
    return base in role_local_parts()


def provider_for(mx_hosts: tuple[str, ...]) -> MailboxProvider | None:
    """The big provider any of these MX hosts belongs to, by host name suffix."""
    for host in mx_hosts:
        host = host.lower().rstrip(".")
        for provider in mailbox_providers():
            if any(host == s or host.endswith("." + s) for s in provider.mx_suffixes):
                return provider
    return None
