"""One IMAP connection: authentication, the selected mailbox's view, and every command."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from coldflow.sandbox.mail.imap.fetch import (
    FetchItem,
    flag_list,
    parse_fetch_items,
    render_item,
)
from coldflow.sandbox.mail.imap.search import MONTHS, Bounds, Candidate, compile_search
from coldflow.sandbox.mail.imap.sequence_set import (
    contains,
    highest_explicit,
    parse_sequence_set,
)
from coldflow.sandbox.mail.imap.wire import (
    ConnectionSpoiled,
    LiteralRefused,
    ParseError,
    Token,
    quote,
    read_command,
    read_line,
    text_of,
    tokenize,
)
from coldflow.sandbox.mail.store import SYSTEM_FLAGS, MailStore, StoredMessage
from coldflow.sandbox.mail_world import SenderMailbox

log = logging.getLogger(__name__)

# XOAUTH2 (Gmail, Outlook): the sandbox takes an account's password as its bearer token.
CAPABILITIES = (
    "IMAP4rev1 LITERAL+ SASL-IR IDLE UIDPLUS UNSELECT SPECIAL-USE AUTH=PLAIN AUTH=XOAUTH2"
)
# RFC 3501 5.4: an inactivity autologout timer must be at least 30 minutes.
AUTOLOGOUT_SECONDS = 30 * 60
SPECIAL_USE = {"Sent": "\\Sent"}
_TAG = re.compile(r"^[\x21-\x7e]+$")
_CANONICAL_FLAGS = {flag.lower(): flag for flag in (*SYSTEM_FLAGS, "\\Recent")}
_APPEND_DATE = re.compile(r"^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-]\d{4})$")

NOT_AUTHENTICATED, AUTHENTICATED, SELECTED = 0, 1, 2


@dataclass
class ImapCounters:
    connections: int = 0
    commands: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {"connections": self.connections, "commands": dict(self.commands)}


class SessionClosed(Exception):
    """The client went away or was logged out."""


Handler = Callable[[list[Token], bool], Awaitable[str]]


class ImapSession:
    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        store: MailStore,
        accounts: dict[str, SenderMailbox],
        counters: ImapCounters,
    ):
        self.reader = reader
        self.writer = writer
        self.store = store
        self.accounts = accounts
        self.counters = counters
        self.user: SenderMailbox | None = None
        self.selected: str | None = None
        self.read_only = False
        # UIDs in the order the client knows them: index + 1 is the sequence number.
        self.view: list[int] = []
        self.recent: set[int] = set()
        self.changed = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._listener = lambda: self._loop.call_soon_threadsafe(self.changed.set)
        self._logged_out = False
        self._handlers: dict[str, tuple[int, Handler]] = {
            "CAPABILITY": (NOT_AUTHENTICATED, self._capability),
            "NOOP": (NOT_AUTHENTICATED, self._noop),
            "LOGOUT": (NOT_AUTHENTICATED, self._logout),
            "LOGIN": (NOT_AUTHENTICATED, self._login),
            "AUTHENTICATE": (NOT_AUTHENTICATED, self._authenticate),
            "SELECT": (AUTHENTICATED, self._select),
            "EXAMINE": (AUTHENTICATED, self._examine),
            "CREATE": (AUTHENTICATED, self._create),
            "DELETE": (AUTHENTICATED, self._delete),
            "SUBSCRIBE": (AUTHENTICATED, self._subscribe),
            "UNSUBSCRIBE": (AUTHENTICATED, self._subscribe),
            "LIST": (AUTHENTICATED, self._list),
            "LSUB": (AUTHENTICATED, self._lsub),
            "STATUS": (AUTHENTICATED, self._status),
            "APPEND": (AUTHENTICATED, self._append),
            "IDLE": (AUTHENTICATED, self._idle),
            "CHECK": (SELECTED, self._noop),
            "CLOSE": (SELECTED, self._close),
            "UNSELECT": (SELECTED, self._unselect),
            "EXPUNGE": (SELECTED, self._expunge),
            "SEARCH": (SELECTED, self._search),
            "FETCH": (SELECTED, self._fetch),
            "STORE": (SELECTED, self._store),
            "COPY": (SELECTED, self._copy),
        }

    # The command loop.

    async def run(self) -> None:
        self.counters.connections += 1
        try:
            await self._send(f"* OK [CAPABILITY {CAPABILITIES}] coldflow sandbox IMAP ready")
            while not self._logged_out:
                await self._one_command()
        except (SessionClosed, ConnectionError):
            pass
        except ConnectionSpoiled as error:
            await self._send_quietly(f"* BYE {error}")
        except TimeoutError:
            await self._send_quietly("* BYE Autologout; idle for too long")
        finally:
            self._deselect()
            self.writer.close()

    async def _one_command(self) -> None:
        try:
            segments = await asyncio.wait_for(
                read_command(self.reader, self.writer), AUTOLOGOUT_SECONDS
            )
        except LiteralRefused as refused:
            tag = refused.first_line.split(b" ", 1)[0].decode("latin-1")
            await self._send(f"{tag} NO [TOOBIG] Literal too large")
            return
        if segments is None:
            raise SessionClosed
        try:
            tokens = tokenize(segments)
        except ParseError as error:
            await self._send(f"{_tag_of(segments[0])} BAD {error}")
            return
        if not tokens or not isinstance(tokens[0], str) or not _TAG.match(tokens[0]):
            await self._send("* BAD Missing or invalid tag")
            return
        tag = tokens[0]
        if len(tokens) < 2 or not isinstance(tokens[1], str):
            await self._send(f"{tag} BAD Missing command")
            return
        name, args, uid = tokens[1].upper(), tokens[2:], False
        if name == "UID":
            if not args or not isinstance(args[0], str):
                await self._send(f"{tag} BAD UID needs a command")
                return
            name, args, uid = args[0].upper(), args[1:], True
            if name not in ("FETCH", "SEARCH", "STORE", "COPY", "EXPUNGE"):
                await self._send(f"{tag} BAD UID {name[:20]} is not a command")
                return
        entry = self._handlers.get(name)
        if entry is None:
            await self._send(f"{tag} BAD Unknown command")
            return
        self.counters.commands[("UID " if uid else "") + name] += 1
        needed, handler = entry
        if self._state() < needed:
            await self._send(f"{tag} BAD {name} is not valid in this state")
            return
        try:
            result = await handler(args, uid)
        except ParseError as error:
            await self._send(f"{tag} BAD {error}")
            return
        except (SessionClosed, ConnectionError, ConnectionSpoiled, TimeoutError):
            raise
        except Exception:  # a bug in one command must not take the connection down
            log.exception("sandbox IMAP: %s failed", name)
            await self._send(f"{tag} BAD Internal error")
            return
        if self.selected is not None:
            # RFC 3501 7.4.1: no EXPUNGE responses during FETCH, STORE or SEARCH.
            await self._sync(allow_expunge=uid or name not in ("FETCH", "STORE", "SEARCH"))
        await self._send(f"{tag} {result}")

    def _state(self) -> int:
        if self.user is None:
            return NOT_AUTHENTICATED
        return SELECTED if self.selected is not None else AUTHENTICATED

    async def _send(self, *lines: str | bytes) -> None:
        for line in lines:
            data = line.encode("utf-8") if isinstance(line, str) else line
            self.writer.write(data + b"\r\n")
        await self.writer.drain()

    async def _send_quietly(self, line: str) -> None:
        with contextlib.suppress(ConnectionError):
            await self._send(line)

    # Mailbox view bookkeeping.

    @property
    def owner(self) -> str:
        assert self.user is not None
        return self.user.address

    def _deselect(self) -> None:
        if self.user is not None and self.selected is not None:
            self.store.unsubscribe(self.owner, self.selected, self._listener)
        self.selected = None
        self.view = []
        self.recent = set()

    async def _sync(self, *, allow_expunge: bool) -> None:
        """Tell the client what changed in the selected mailbox since it last looked."""
        assert self.selected is not None
        self.changed.clear()
        lines = []
        with self.store.lock:
            folder = self.store.folder(self.owner, self.selected)
            current = [m.uid for m in folder.messages] if folder else []
            present = set(current)
            if allow_expunge:
                for index in range(len(self.view) - 1, -1, -1):
                    if self.view[index] not in present:
                        lines.append(f"* {index + 1} EXPUNGE")
                        self.recent.discard(self.view.pop(index))
            last = self.view[-1] if self.view else 0
            new = [uid for uid in current if uid > last]
            if new:
                self.view.extend(new)
                if folder is not None and not self.read_only:
                    claimed = folder.unclaimed_recent & set(new)
                    folder.unclaimed_recent -= claimed
                    self.recent |= claimed
                lines.append(f"* {len(self.view)} EXISTS")
                lines.append(f"* {len(self.recent)} RECENT")
        if lines:
            await self._send(*lines)

    def _messages_by_uid(self) -> dict[int, StoredMessage]:
        folder = self.store.folder(self.owner, self.selected or "")
        return {m.uid: m for m in folder.messages} if folder else {}

    def _targets(self, token: Token, uid: bool) -> list[tuple[int, int]]:
        """(sequence number, UID) of the messages a sequence set names."""
        ranges = parse_sequence_set(text_of(token))
        if uid:
            largest = self.view[-1] if self.view else 0
            return [(i + 1, u) for i, u in enumerate(self.view) if contains(ranges, u, largest)]
        if highest_explicit(ranges) > len(self.view):
            raise ParseError("Invalid message sequence number")
        return [
            (i + 1, u) for i, u in enumerate(self.view) if contains(ranges, i + 1, len(self.view))
        ]

    # Any state.

    async def _capability(self, args: list[Token], uid: bool) -> str:
        await self._send(f"* CAPABILITY {CAPABILITIES}")
        return "OK CAPABILITY completed"

    async def _noop(self, args: list[Token], uid: bool) -> str:
        return "OK NOOP completed"

    async def _logout(self, args: list[Token], uid: bool) -> str:
        await self._send("* BYE coldflow sandbox IMAP logging out")
        self._deselect()
        self._logged_out = True
        return "OK LOGOUT completed"

    async def _login(self, args: list[Token], uid: bool) -> str:
        if self.user is not None:
            return "BAD Already authenticated"
        if len(args) != 2:
            raise ParseError("LOGIN needs a user name and a password")
        return self._log_in(text_of(args[0]), text_of(args[1]))

    def _log_in(self, username: str, password: str) -> str:
        account = self.accounts.get(username)
        if account is None or account.password != password:
            return "NO [AUTHENTICATIONFAILED] Authentication failed"
        self.user = account
        return f"OK [CAPABILITY {CAPABILITIES}] Logged in"

    async def _authenticate(self, args: list[Token], uid: bool) -> str:
        if self.user is not None:
            return "BAD Already authenticated"
        if not args or len(args) > 2:
            raise ParseError("AUTHENTICATE needs a mechanism")
        mechanism = text_of(args[0]).upper()
        if mechanism not in ("PLAIN", "XOAUTH2"):
            return "NO [CANNOT] Unsupported authentication mechanism"
        if len(args) == 2:
            response = text_of(args[1]).encode()
            if response == b"=":
                response = b""
        else:
            await self._send("+ ")
            line = await read_line(self.reader)
            if line is None:
                raise SessionClosed
            response = line.strip()
        if response == b"*":
            return "BAD Authentication cancelled"
        try:
            decoded = base64.b64decode(response, validate=True)
        except binascii.Error:
            return "BAD Invalid base64 in authentication response"
        if mechanism == "XOAUTH2":
            return self._log_in_with_token(decoded)
        parts = decoded.split(b"\0")
        if len(parts) != 3:
            return "NO [AUTHENTICATIONFAILED] Authentication failed"
        authzid, authcid, password = (p.decode("utf-8", "replace") for p in parts)
        if authzid and authzid != authcid:
            return "NO [AUTHORIZATIONFAILED] Cannot act as another user"
        return self._log_in(authcid, password)

    def _log_in_with_token(self, decoded: bytes) -> str:
        """XOAUTH2: "user=NAME^Aauth=Bearer TOKEN^A^A"."""
        fields = dict(
            part.split("=", 1)
            for part in decoded.decode("utf-8", "replace").split("\x01")
            if "=" in part
        )
        scheme, _, token = fields.get("auth", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return "NO [AUTHENTICATIONFAILED] Authentication failed"
        return self._log_in(fields.get("user", ""), token)

    # Authenticated state.

    def _mailbox_name(self, token: Token) -> str:
        name = text_of(token)
        return "INBOX" if name.upper() == "INBOX" else name

    async def _select(self, args: list[Token], uid: bool) -> str:
        return await self._open(args, read_only=False)

    async def _examine(self, args: list[Token], uid: bool) -> str:
        return await self._open(args, read_only=True)

    async def _open(self, args: list[Token], *, read_only: bool) -> str:
        if len(args) != 1:
            raise ParseError("SELECT needs one mailbox name")
        self._deselect()
        name = self._mailbox_name(args[0])
        with self.store.lock:
            folder = self.store.folder(self.owner, name)
            if folder is None:
                return "NO [NONEXISTENT] Mailbox doesn't exist"
            self.view = [m.uid for m in folder.messages]
            # EXAMINE shows \Recent without taking it from the next SELECT.
            self.recent = set(folder.unclaimed_recent)
            if not read_only:
                folder.unclaimed_recent.clear()
            keywords = sorted({f for m in folder.messages for f in m.flags} - set(SYSTEM_FLAGS))
            first_unseen = next(
                (i + 1 for i, m in enumerate(folder.messages) if "\\Seen" not in m.flags), None
            )
            uid_validity, uid_next = folder.uid_validity, folder.uid_next
            self.selected = folder.name
            self.read_only = read_only
            self.store.subscribe(self.owner, folder.name, self._listener)
        flags = " ".join([*SYSTEM_FLAGS, *keywords])
        lines = [
            f"* FLAGS ({flags})",
            f"* OK [PERMANENTFLAGS ({flags} \\*)] Flags permitted",
            f"* {len(self.view)} EXISTS",
            f"* {len(self.recent)} RECENT",
        ]
        if first_unseen is not None:
            lines.append(f"* OK [UNSEEN {first_unseen}] First unseen")
        lines += [
            f"* OK [UIDVALIDITY {uid_validity}] UIDs valid",
            f"* OK [UIDNEXT {uid_next}] Predicted next UID",
        ]
        await self._send(*lines)
        mode = "READ-ONLY" if read_only else "READ-WRITE"
        return f"OK [{mode}] {'EXAMINE' if read_only else 'SELECT'} completed"

    async def _create(self, args: list[Token], uid: bool) -> str:
        if len(args) != 1:
            raise ParseError("CREATE needs one mailbox name")
        name = self._mailbox_name(args[0]).rstrip("/")
        if not name or "*" in name or "%" in name:
            return "NO [CANNOT] Invalid mailbox name"
        if not self.store.create_folder(self.owner, name):
            return "NO [ALREADYEXISTS] Mailbox already exists"
        return "OK CREATE completed"

    async def _delete(self, args: list[Token], uid: bool) -> str:
        if len(args) != 1:
            raise ParseError("DELETE needs one mailbox name")
        name = self._mailbox_name(args[0])
        if name == "INBOX":
            return "NO [CANNOT] INBOX can't be deleted"
        if name == self.selected:
            self._deselect()
        if not self.store.delete_folder(self.owner, name):
            return "NO [NONEXISTENT] Mailbox doesn't exist"
        return "OK DELETE completed"

    async def _subscribe(self, args: list[Token], uid: bool) -> str:
        if len(args) != 1:
            raise ParseError("needs one mailbox name")
        if self.store.folder(self.owner, self._mailbox_name(args[0])) is None:
            return "NO [NONEXISTENT] Mailbox doesn't exist"
        return "OK completed"

    async def _list(self, args: list[Token], uid: bool) -> str:
        await self._send(*self._list_lines("LIST", args))
        return "OK LIST completed"

    async def _lsub(self, args: list[Token], uid: bool) -> str:
        await self._send(*self._list_lines("LSUB", args))
        return "OK LSUB completed"

    def _list_lines(self, kind: str, args: list[Token]) -> list[bytes]:
        if len(args) != 2:
            raise ParseError(f"{kind} needs a reference and a mailbox pattern")
        reference, pattern = text_of(args[0]), text_of(args[1])
        if pattern == "":
            return [f'* {kind} (\\Noselect) "/" ""'.encode()]
        wildcard = "".join(
            ".*" if c == "*" else "[^/]*" if c == "%" else re.escape(c) for c in reference + pattern
        )
        matcher = re.compile(wildcard, re.DOTALL)
        inbox_matcher = re.compile(wildcard, re.DOTALL | re.IGNORECASE)
        lines = []
        for name in self.store.folder_names(self.owner):
            wanted = matcher.fullmatch(name) or (name == "INBOX" and inbox_matcher.fullmatch(name))
            if not wanted:
                continue
            attributes = ["\\HasNoChildren"]
            if kind == "LIST" and name in SPECIAL_USE:
                attributes.append(SPECIAL_USE[name])
            lines.append(f'* {kind} ({" ".join(attributes)}) "/" '.encode() + quote(name))
        return lines

    async def _status(self, args: list[Token], uid: bool) -> str:
        if len(args) != 2 or not isinstance(args[1], list) or not args[1]:
            raise ParseError("STATUS needs a mailbox name and a list of items")
        name = self._mailbox_name(args[0])
        with self.store.lock:
            folder = self.store.folder(self.owner, name)
            if folder is None:
                return "NO [NONEXISTENT] Mailbox doesn't exist"
            values = {
                "MESSAGES": len(folder.messages),
                "RECENT": len(folder.unclaimed_recent),
                "UIDNEXT": folder.uid_next,
                "UIDVALIDITY": folder.uid_validity,
                "UNSEEN": sum(1 for m in folder.messages if "\\Seen" not in m.flags),
            }
        answer = []
        for item in args[1]:
            key = text_of(item).upper()
            if key not in values:
                raise ParseError(f"unknown STATUS item {key[:20]!r}")
            answer.append(f"{key} {values[key]}")
        await self._send(b"* STATUS " + quote(name) + f" ({' '.join(answer)})".encode())
        return "OK STATUS completed"

    async def _append(self, args: list[Token], uid: bool) -> str:
        if len(args) < 2 or not isinstance(args[-1], bytes):
            raise ParseError("APPEND needs a mailbox name and a message literal")
        name = self._mailbox_name(args[0])
        options, message = args[1:-1], args[-1]
        flags: list[str] = []
        when: datetime | None = None
        if options and isinstance(options[0], list):
            flags = _flags(options.pop(0))
        if options:
            when = _append_date(text_of(options.pop(0)))
        if options:
            raise ParseError("too many APPEND arguments")
        result = self.store.append(self.owner, name, message, flags=flags, internal_date=when)
        if result is None:
            return "NO [TRYCREATE] Mailbox doesn't exist"
        uid_validity, new_uid = result
        return f"OK [APPENDUID {uid_validity} {new_uid}] APPEND completed"

    async def _idle(self, args: list[Token], uid: bool) -> str:
        await self._send("+ idling")
        reading = asyncio.ensure_future(read_line(self.reader))
        try:
            while True:
                waiting = asyncio.ensure_future(self.changed.wait())
                done, _ = await asyncio.wait(
                    {reading, waiting},
                    timeout=AUTOLOGOUT_SECONDS,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if waiting not in done:
                    waiting.cancel()
                if not done:
                    raise TimeoutError
                if waiting in done and self.selected is not None:
                    await self._sync(allow_expunge=True)
                elif waiting in done:
                    self.changed.clear()
                if reading in done:
                    break
        finally:
            if not reading.done():
                reading.cancel()
        line = reading.result()
        if line is None:
            raise SessionClosed
        if line.strip().upper() != b"DONE":
            return "BAD Expected DONE"
        return "OK IDLE terminated"

    # Selected state.

    async def _close(self, args: list[Token], uid: bool) -> str:
        assert self.selected is not None
        if not self.read_only:
            messages = self._messages_by_uid()
            doomed = [u for u in self.view if u in messages and "\\Deleted" in messages[u].flags]
            self.store.expunge(self.owner, self.selected, doomed)
        self._deselect()
        return "OK CLOSE completed"

    async def _unselect(self, args: list[Token], uid: bool) -> str:
        self._deselect()
        return "OK UNSELECT completed"

    async def _expunge(self, args: list[Token], uid: bool) -> str:
        assert self.selected is not None
        if self.read_only:
            return "NO [READ-ONLY] Mailbox is read-only"
        if uid and len(args) != 1:
            raise ParseError("UID EXPUNGE needs a UID set")
        allowed = {u for _, u in self._targets(args[0], True)} if uid else set(self.view)
        messages = self._messages_by_uid()
        doomed = [u for u in allowed if u in messages and "\\Deleted" in messages[u].flags]
        self.store.expunge(self.owner, self.selected, doomed)
        return "OK EXPUNGE completed"

    async def _search(self, args: list[Token], uid: bool) -> str:
        if len(args) >= 2 and isinstance(args[0], str) and args[0].upper() == "CHARSET":
            if text_of(args[1]).upper() not in ("UTF-8", "US-ASCII"):
                return "NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset"
            args = args[2:]
        bounds = Bounds(len(self.view), self.view[-1] if self.view else 0)
        matches = compile_search(args, bounds)
        messages = self._messages_by_uid()
        found = []
        for index, message_uid in enumerate(self.view):
            message = messages.get(message_uid)
            if message is None:
                continue
            if matches(Candidate(index + 1, message, message_uid in self.recent)):
                found.append(message_uid if uid else index + 1)
        await self._send(" ".join(["* SEARCH", *map(str, found)]))
        return "OK SEARCH completed"

    async def _fetch(self, args: list[Token], uid: bool) -> str:
        if len(args) != 2:
            raise ParseError("FETCH needs a sequence set and data items")
        targets = self._targets(args[0], uid)
        items = parse_fetch_items(args[1])
        if uid and not any(item.kind == "UID" for item in items):
            items.insert(0, FetchItem("UID"))
        sets_seen = not self.read_only and any(item.sets_seen for item in items)
        wants_flags = any(item.kind == "FLAGS" for item in items)
        messages = self._messages_by_uid()
        for seq, message_uid in targets:
            message = messages.get(message_uid)
            if message is None:
                continue
            shown = items
            if sets_seen and "\\Seen" not in message.flags:
                message.flags.add("\\Seen")
                if not wants_flags:
                    shown = [*items, FetchItem("FLAGS")]
            recent = message_uid in self.recent
            rendered = b" ".join(render_item(item, message, recent) for item in shown)
            self.writer.write(b"* %d FETCH (" % seq + rendered + b")\r\n")
            await self.writer.drain()
        return "OK FETCH completed"

    async def _store(self, args: list[Token], uid: bool) -> str:
        if len(args) < 3:
            raise ParseError("STORE needs a sequence set, an item and flags")
        if self.read_only:
            return "NO [READ-ONLY] Mailbox is read-only"
        targets = self._targets(args[0], uid)
        item = text_of(args[1]).upper()
        mode, _, silent = item.partition(".")
        if mode not in ("FLAGS", "+FLAGS", "-FLAGS") or silent not in ("", "SILENT"):
            raise ParseError(f"unknown STORE item {item[:20]!r}")
        flags = set(_flags(args[2] if isinstance(args[2], list) else args[2:]))
        flags.discard("\\Recent")
        messages = self._messages_by_uid()
        lines = []
        for seq, message_uid in targets:
            message = messages.get(message_uid)
            if message is None:
                continue
            if mode == "FLAGS":
                message.flags = set(flags)
            elif mode == "+FLAGS":
                message.flags |= flags
            else:
                message.flags -= flags
            if not silent:
                shown = flag_list(message.flags, message_uid in self.recent)
                uid_part = b" UID %d" % message_uid if uid else b""
                lines.append(b"* %d FETCH (FLAGS " % seq + shown + uid_part + b")")
        if lines:
            await self._send(*lines)
        return "OK STORE completed"

    async def _copy(self, args: list[Token], uid: bool) -> str:
        if len(args) != 2:
            raise ParseError("COPY needs a sequence set and a mailbox name")
        targets = self._targets(args[0], uid)
        destination = self._mailbox_name(args[1])
        if self.store.folder(self.owner, destination) is None:
            return "NO [TRYCREATE] Mailbox doesn't exist"
        messages = self._messages_by_uid()
        copied: list[tuple[int, int]] = []
        uid_validity = 0
        for _, message_uid in targets:
            message = messages.get(message_uid)
            if message is None:
                continue
            result = self.store.append(
                self.owner,
                destination,
                message.raw,
                flags=set(message.flags),
                internal_date=message.internal_date,
            )
            if result is not None:
                uid_validity = result[0]
                copied.append((message_uid, result[1]))
        if not copied:
            return "OK COPY completed"
        sources = ",".join(str(s) for s, _ in copied)
        copies = ",".join(str(c) for _, c in copied)
        return f"OK [COPYUID {uid_validity} {sources} {copies}] COPY completed"


def _tag_of(first_line: bytes) -> str:
    tag = first_line.split(b" ", 1)[0].decode("latin-1")
    return tag if _TAG.match(tag) else "*"


def _flags(tokens: list[Token]) -> list[str]:
    flags = []
    for token in tokens:
        if not isinstance(token, str) or not token:
            raise ParseError("flags must be atoms")
        flags.append(_CANONICAL_FLAGS.get(token.lower(), token))
    return flags


def _append_date(text: str) -> datetime:
    match = _APPEND_DATE.match(text)
    if match is None:
        raise ParseError("invalid APPEND date")
    day, month, year, hour, minute, second, zone = match.groups()
    if month.capitalize() not in MONTHS:
        raise ParseError("invalid APPEND date")
    try:
        return datetime.strptime(
            f"{year}-{MONTHS.index(month.capitalize()) + 1:02d}-{int(day):02d} "
            f"{hour}:{minute}:{second} {zone}",
            "%Y-%m-%d %H:%M:%S %z",
        )
    except ValueError as error:
        raise ParseError("invalid APPEND date") from error
