"""Reading new mail from one IMAP account: per-folder UID tracking, reconnects, huge messages.

No database here. The caller says how far each folder was read (`FolderCursor`) and receives
each new message and each step of progress through callbacks, so it can store them as they
come: a connection lost mid-folder resumes after the last message handed over.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

log = logging.getLogger(__name__)

# Folder names (last path segment, case-folded) that hold what the server judged to be spam,
# for servers that do not mark the folder with the \Junk special-use attribute.
JUNK_NAMES = frozenset(
    {
        "junk",
        "spam",
        "junk e-mail",
        "junk email",
        "junk mail",
        "bulk mail",
        "spamverdacht",
        "courrier indésirable",
        "correo no deseado",
        "posta indesiderata",
        "ongewenste e-mail",
    }
)
FETCH_BATCH = 100


class AuthenticationFailed(Exception):
    """The server refused the user name or password: retrying will not help."""


class ServerUnreachable(Exception):
    """The server could not be reached, or the connection kept failing, after retries."""


@dataclass(frozen=True)
class ImapEndpoint:
    host: str
    port: int
    # "tls" (implicit, port 993), "starttls" or "plain" (loopback only).
    security: str
    username: str
    password: str
    timeout: float = 30.0
    # XOAUTH2 instead of the password when set (OAuth2 mailboxes).
    access_token: str = ""

    def __repr__(self) -> str:  # never print credentials, not even in a traceback
        return f"ImapEndpoint({self.host}:{self.port}, {self.security}, {self.username})"

    def describe(self) -> str:
        return f"{self.username} at {self.host}:{self.port}"


@dataclass(frozen=True)
class FolderCursor:
    """How far a folder was read: the UIDVALIDITY the UIDs belong to and the highest UID."""

    uidvalidity: int | None = None
    last_uid: int = 0


@dataclass(frozen=True)
class FetchedMessage:
    folder: str
    uidvalidity: int
    uid: int
    # The size the server reports; `raw` is shorter when `truncated`.
    size: int
    raw: bytes
    # Too big to read whole: `raw` holds the header and the first bytes of the body.
    truncated: bool = False
    internal_date: datetime | None = None


@dataclass
class FolderOutcome:
    folder: str
    uidvalidity: int | None = None
    new: int = 0
    uidvalidity_changed: bool = False
    error: str = ""


@dataclass
class ReadOutcome:
    folders: list[FolderOutcome] = field(default_factory=list)
    reconnects: int = 0

    @property
    def new(self) -> int:
        return sum(folder.new for folder in self.folders)


@dataclass(frozen=True)
class ReadLimits:
    # Above this size (RFC822.SIZE) only the header and the first `partial_bytes` of the body
    # are fetched.
    max_message_bytes: int = 5_000_000
    partial_bytes: int = 200_000
    # Connection attempts per pass, with exponential backoff between them.
    attempts: int = 4
    backoff_seconds: float = 0.5


# What a dropped or broken connection looks like through IMAPClient and imaplib.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    IMAPClientAbortError,
    imaplib.IMAP4.abort,
    OSError,  # socket errors, timeouts, ssl.SSLError, ConnectionResetError…
    EOFError,
)


def connect(endpoint: ImapEndpoint) -> IMAPClient:
    """A logged-in client. Raises AuthenticationFailed for refused credentials and one of
    CONNECTION_ERRORS when the server cannot be reached."""
    context = ssl.create_default_context()
    client = IMAPClient(
        endpoint.host,
        port=endpoint.port,
        ssl=endpoint.security == "tls",
        ssl_context=context if endpoint.security == "tls" else None,
        timeout=endpoint.timeout,
    )
    try:
        # IMAPClient writes a command's final CRLF separately: with Nagle's algorithm and
        # delayed ACKs that would cost 40 ms per command.
        client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if endpoint.security == "starttls":
            client.starttls(context)
        if endpoint.access_token:
            client.oauth2_login(endpoint.username, endpoint.access_token)
        else:
            client.login(endpoint.username, endpoint.password)
    except LoginError as error:
        _close(client)
        raise AuthenticationFailed(_server_text(error)) from error
    except BaseException:
        _close(client)
        raise
    return client


def _server_text(error: BaseException) -> str:
    text = str(error)
    if isinstance(error.args[0] if error.args else None, bytes):
        text = error.args[0].decode("utf-8", "replace")
    return text.strip() or "authentication failed"


def _close(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):
        client.logout()
    with contextlib.suppress(Exception):
        client.shutdown()


def inbound_folders(client: IMAPClient) -> list[str]:
    """INBOX plus the spam folder when there is one (replies land there too)."""
    folders = ["INBOX"]
    for flags, delimiter, name in client.list_folders():
        if not isinstance(name, str) or name.upper() == "INBOX":
            continue
        if any(flag.lower() == b"\\noselect" for flag in flags):
            continue
        leaf = name.rsplit(delimiter.decode() if delimiter else "/", 1)[-1].casefold()
        if any(flag.lower() == b"\\junk" for flag in flags) or leaf in JUNK_NAMES:
            folders.append(name)
    return folders


class MailboxReader:
    """One pass over an account's inbound folders.

    `on_message` receives each new message in UID order (it must store idempotently: after a
    reconnect the last message may come again); `on_progress(folder, uidvalidity, last_uid)`
    is called after each one, and once per folder, to persist the cursor.
    """

    def __init__(
        self,
        endpoint: ImapEndpoint,
        *,
        limits: ReadLimits = ReadLimits(),
        connector: Callable[[ImapEndpoint], IMAPClient] = connect,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.endpoint = endpoint
        self.limits = limits
        self._connector = connector
        self._sleep = sleep
        self._client: IMAPClient | None = None

    def read(
        self,
        cursors: dict[str, FolderCursor],
        on_message: Callable[[FetchedMessage], None],
        on_progress: Callable[[str, int, int], None],
        folders: Iterable[str] | None = None,
    ) -> ReadOutcome:
        outcome = ReadOutcome()
        cursors = dict(cursors)
        try:
            client = self._connected(outcome)
            wanted = list(folders) if folders is not None else inbound_folders(client)
            for name in wanted:
                folder = FolderOutcome(name)
                outcome.folders.append(folder)
                self._read_folder_with_retries(
                    name, cursors, folder, outcome, on_message, on_progress
                )
        finally:
            self.close()
        return outcome

    def close(self) -> None:
        if self._client is not None:
            _close(self._client)
            self._client = None

    def _connected(self, outcome: ReadOutcome) -> IMAPClient:
        """The open connection, or a new one after backoff. AuthenticationFailed passes
        through at once; ServerUnreachable after the last attempt."""
        if self._client is not None:
            return self._client
        delay = self.limits.backoff_seconds
        last_error: BaseException | None = None
        for attempt in range(self.limits.attempts):
            if attempt:
                self._sleep(delay)
                delay *= 2
            try:
                self._client = self._connector(self.endpoint)
                return self._client
            except CONNECTION_ERRORS as error:
                last_error = error
                log.info("IMAP %s: connection failed (%s)", self.endpoint.describe(), error)
        raise ServerUnreachable(
            f"cannot reach the IMAP server {self.endpoint.host}:{self.endpoint.port} "
            f"after {self.limits.attempts} attempts ({_describe(last_error)})"
        )

    def _read_folder_with_retries(
        self,
        name: str,
        cursors: dict[str, FolderCursor],
        folder: FolderOutcome,
        outcome: ReadOutcome,
        on_message: Callable[[FetchedMessage], None],
        on_progress: Callable[[str, int, int], None],
    ) -> None:
        def progress(folder_name: str, uidvalidity: int, last_uid: int) -> None:
            cursors[folder_name] = FolderCursor(uidvalidity, last_uid)
            on_progress(folder_name, uidvalidity, last_uid)

        for attempt in range(self.limits.attempts):
            try:
                client = self._connected(outcome)
                self._read_folder(
                    client, name, cursors.get(name, FolderCursor()), folder, on_message, progress
                )
                return
            except CONNECTION_ERRORS as error:
                # Drop the broken connection; the next attempt resumes from the cursor.
                log.info(
                    "IMAP %s: connection lost in %s (%s)", self.endpoint.describe(), name, error
                )
                self.close()
                outcome.reconnects += 1
                folder.error = f"connection lost: {_describe(error)}"
                if attempt + 1 < self.limits.attempts:
                    self._sleep(self.limits.backoff_seconds * 2**attempt)
            except IMAPClientError as error:
                # The server refused something about this folder (it vanished, say): report it
                # and go on with the next folder.
                folder.error = _describe(error)
                return
        raise ServerUnreachable(
            f"the connection to {self.endpoint.host}:{self.endpoint.port} kept failing while "
            f"reading {name} ({folder.error})"
        )

    def _read_folder(
        self,
        client: IMAPClient,
        name: str,
        cursor: FolderCursor,
        folder: FolderOutcome,
        on_message: Callable[[FetchedMessage], None],
        progress: Callable[[str, int, int], None],
    ) -> None:
        selected = client.select_folder(name, readonly=True)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        folder.uidvalidity = uidvalidity
        last_uid = cursor.last_uid
        if cursor.uidvalidity is not None and cursor.uidvalidity != uidvalidity:
            # Every UID we knew is meaningless now: read the folder again from the start (the
            # caller recognises messages it already has by their Message-ID).
            folder.uidvalidity_changed = True
            last_uid = 0
        # "N:*" always matches the highest UID, even when it is below N.
        uids = sorted(uid for uid in client.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start : start + FETCH_BATCH]
            for message in self._fetch(client, name, uidvalidity, batch):
                on_message(message)
                folder.new += 1
                last_uid = message.uid
                progress(name, uidvalidity, last_uid)
            # Messages expunged between SEARCH and FETCH are simply gone.
            last_uid = max(last_uid, batch[-1])
        progress(name, uidvalidity, last_uid)

    def _fetch(
        self, client: IMAPClient, folder: str, uidvalidity: int, uids: list[int]
    ) -> list[FetchedMessage]:
        sizes = client.fetch(uids, ["RFC822.SIZE", "INTERNALDATE"])
        small = [
            uid
            for uid in uids
            if uid in sizes and _size(sizes[uid]) <= self.limits.max_message_bytes
        ]
        huge = [uid for uid in uids if uid in sizes and uid not in set(small)]
        bodies = client.fetch(small, ["BODY.PEEK[]"]) if small else {}
        partial_item = f"BODY.PEEK[TEXT]<0.{self.limits.partial_bytes}>"
        parts = client.fetch(huge, ["BODY.PEEK[HEADER]", partial_item]) if huge else {}
        fetched = []
        for uid in uids:
            if uid in bodies:
                raw = bodies[uid].get(b"BODY[]") or b""
                truncated = False
            elif uid in parts:
                header = parts[uid].get(b"BODY[HEADER]") or b""
                text = parts[uid].get(b"BODY[TEXT]<0>") or b""
                raw, truncated = header + text, True
            else:
                continue
            info = sizes[uid]
            fetched.append(
                FetchedMessage(
                    folder=folder,
                    uidvalidity=uidvalidity,
                    uid=uid,
                    size=_size(info) or len(raw),
                    raw=bytes(raw),
                    truncated=truncated,
                    internal_date=info.get(b"INTERNALDATE"),
                )
            )
        return fetched


def _size(info: dict) -> int:
    return int(info.get(b"RFC822.SIZE") or 0)


def _describe(error: BaseException | None) -> str:
    if error is None:
        return "no answer"
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
