"""The sandbox's mail storage, in memory: the user's IMAP folders and what each prospect received.

Submission, the MX, the prospects and the IMAP server all share one store. Every mutation
happens under one lock and is short, so readers in other threads (tests) see whole states.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from functools import cached_property

SYSTEM_FLAGS = ("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft")
DEFAULT_FOLDERS = ("INBOX", "Sent")

_header_parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)


def header_block(raw: bytes) -> bytes:
    """A message's header block including the blank line that ends it."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        end = raw.find(separator)
        if end != -1:
            return raw[: end + len(separator)]
    return raw


@dataclass
class StoredMessage:
    uid: int
    raw: bytes
    internal_date: datetime
    flags: set[str] = field(default_factory=set)

    @cached_property
    def header_bytes(self) -> bytes:
        return header_block(self.raw)

    @cached_property
    def body_bytes(self) -> bytes:
        return self.raw[len(self.header_bytes) :]

    @cached_property
    def headers(self) -> Message:
        return _header_parser.parsebytes(self.header_bytes)


@dataclass
class Folder:
    name: str
    uid_validity: int
    uid_next: int = 1
    messages: list[StoredMessage] = field(default_factory=list)
    # UIDs no session has seen as \Recent yet; the first SELECT claims them.
    unclaimed_recent: set[int] = field(default_factory=set)

    def by_uid(self, uid: int) -> StoredMessage | None:
        for message in self.messages:
            if message.uid == uid:
                return message
        return None


Listener = Callable[[], None]


class MailStore:
    def __init__(self, owners: Iterable[str]):
        self._lock = threading.RLock()
        # UIDVALIDITY must differ from any earlier server life, so it starts from the clock.
        self._validity = itertools.count(int(time.time()))
        self._folders: dict[str, dict[str, Folder]] = {}
        self._listeners: dict[tuple[str, str], set[Listener]] = {}
        self._received: dict[str, list[bytes]] = {}
        for owner in owners:
            self._folders[owner.lower()] = {
                name: Folder(name, next(self._validity)) for name in DEFAULT_FOLDERS
            }

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    def has_owner(self, owner: str) -> bool:
        return owner.lower() in self._folders

    def folder_names(self, owner: str) -> list[str]:
        with self._lock:
            return list(self._folders.get(owner.lower(), {}))

    def folder(self, owner: str, name: str) -> Folder | None:
        folders = self._folders.get(owner.lower(), {})
        if name.upper() == "INBOX":
            name = "INBOX"
        return folders.get(name)

    def create_folder(self, owner: str, name: str) -> bool:
        with self._lock:
            folders = self._folders.get(owner.lower())
            if folders is None or self.folder(owner, name) is not None:
                return False
            folders[name] = Folder(name, next(self._validity))
            return True

    def delete_folder(self, owner: str, name: str) -> bool:
        with self._lock:
            folder = self.folder(owner, name)
            if folder is None or folder.name == "INBOX":
                return False
            del self._folders[owner.lower()][folder.name]
            self._notify(owner, folder.name)
            return True

    def append(
        self,
        owner: str,
        folder_name: str,
        raw: bytes,
        *,
        flags: Iterable[str] = (),
        internal_date: datetime | None = None,
    ) -> tuple[int, int] | None:
        """File a message; returns (UIDVALIDITY, UID), or None when the folder doesn't exist."""
        with self._lock:
            folder = self.folder(owner, folder_name)
            if folder is None:
                return None
            uid = folder.uid_next
            folder.uid_next += 1
            folder.messages.append(
                StoredMessage(
                    uid=uid,
                    raw=raw,
                    internal_date=internal_date or datetime.now(UTC).replace(microsecond=0),
                    flags={flag for flag in flags if flag != "\\Recent"},
                )
            )
            folder.unclaimed_recent.add(uid)
            self._notify(owner, folder.name)
            return folder.uid_validity, uid

    def expunge(self, owner: str, folder_name: str, uids: Iterable[int]) -> None:
        with self._lock:
            folder = self.folder(owner, folder_name)
            if folder is None:
                return
            gone = set(uids)
            folder.messages = [m for m in folder.messages if m.uid not in gone]
            folder.unclaimed_recent -= gone
            self._notify(owner, folder.name)

    def subscribe(self, owner: str, folder_name: str, listener: Listener) -> None:
        with self._lock:
            self._listeners.setdefault((owner.lower(), folder_name), set()).add(listener)

    def unsubscribe(self, owner: str, folder_name: str, listener: Listener) -> None:
        with self._lock:
            self._listeners.get((owner.lower(), folder_name), set()).discard(listener)

    def _notify(self, owner: str, folder_name: str) -> None:
        for listener in list(self._listeners.get((owner.lower(), folder_name), ())):
            listener()

    def messages(self, owner: str, folder_name: str) -> list[bytes]:
        """A snapshot of a folder's messages, oldest first."""
        with self._lock:
            folder = self.folder(owner, folder_name)
            return [m.raw for m in folder.messages] if folder else []

    def add_received(self, address: str, raw: bytes) -> None:
        with self._lock:
            self._received.setdefault(address.lower(), []).append(raw)

    def received(self, address: str) -> list[bytes]:
        with self._lock:
            return list(self._received.get(address.lower(), []))
