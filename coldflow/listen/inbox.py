"""One pass over a mailbox: read new mail, store it once, tie it to what we sent, act on it.

The database shell around coldflow.listen.reader (IMAP), classify, matching and consequences.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from coldflow.listen.classify import Classification, classify, mime
from coldflow.listen.matching import SentLookup, match, normalise_subject
from coldflow.listen.models import FolderState, InboundMessage
from coldflow.listen.reader import (
    AuthenticationFailed,
    FetchedMessage,
    FolderCursor,
    ImapEndpoint,
    MailboxReader,
    ReadLimits,
    ServerUnreachable,
)
from coldflow.send.connections import MailServerError
from coldflow.send.mailboxes import (
    SYSTEM,
    forget_access_token,
    imap_access,
    pause_mailbox,
    refuse_by_rules,
)
from coldflow.send.models import Mailbox, MailboxStatus, MessageState, OutboundMessage

log = logging.getLogger(__name__)

# The stored copy of a message is capped; the mailbox keeps the original.
RAW_STORE_LIMIT = mime.MAX_PARSE_BYTES
# A mailbox paused with a reason starting so is not read again until the user fixes it.
LOGIN_FAILED = "IMAP login failed"
_SENT_STATES = (MessageState.SENT, MessageState.UNKNOWN, MessageState.SENDING)


@dataclass(frozen=True)
class ListenSettings:
    max_message_bytes: int = 5_000_000
    auto_reply_postpone_days: int = 5
    soft_bounce_limit: int = 3
    # Hard-bounce rate past which the send stage's auto-pause stops mailbox and campaign.
    bounce_threshold: float = 0.02
    # Key for VERP return addresses; None when VERP is off.
    verp_key: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config: Any) -> ListenSettings:
        from django.conf import settings

        return cls(
            max_message_bytes=config["INBOX_MAX_MESSAGE_BYTES"],
            auto_reply_postpone_days=config["AUTO_REPLY_POSTPONE_DAYS"],
            soft_bounce_limit=config["SOFT_BOUNCE_LIMIT"],
            bounce_threshold=config["SEND_BOUNCE_THRESHOLD"],
            verp_key=settings.SECRET_KEY if config["VERP_RETURN_PATH"] else None,
            timeout=config["SEND_SMTP_TIMEOUT"],
        )


@dataclass
class PollReport:
    mailbox: str
    new: int = 0
    duplicates: int = 0
    kinds: Counter = field(default_factory=Counter)
    matched: int = 0
    consequences: Counter = field(default_factory=Counter)
    truncated: int = 0
    malformed: int = 0
    failed: int = 0
    reconnects: int = 0
    folders: list[str] = field(default_factory=list)
    uidvalidity_changed: list[str] = field(default_factory=list)
    error: str = ""
    paused: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "mailbox": self.mailbox,
            "folders": self.folders,
            "new": self.new,
            "duplicates": self.duplicates,
            "kinds": dict(self.kinds),
            "matched": self.matched,
            "consequences": dict(self.consequences),
            "truncated": self.truncated,
            "malformed": self.malformed,
            "failed": self.failed,
            "reconnects": self.reconnects,
            "uidvalidity_changed": self.uidvalidity_changed,
            "error": self.error,
            "paused": self.paused,
        }


def mailboxes_to_poll(email: str | None = None):
    """Mailboxes with IMAP set up, except removed ones and those paused because their login
    failed (replies keep coming to a mailbox whose sending is paused, so those are read)."""
    mailboxes = (
        Mailbox.objects.exclude(imap_host="").exclude(status=MailboxStatus.ARCHIVED).order_by("id")
    )
    if email:
        mailboxes = mailboxes.filter(email__iexact=email)
    return [
        mailbox
        for mailbox in mailboxes
        if not (
            mailbox.status == MailboxStatus.PAUSED_BY_SYSTEM
            and mailbox.status_reason.startswith(LOGIN_FAILED)
        )
    ]


class TokenRefused(Exception):
    """An OAuth2 mailbox's token endpoint refused the refresh: the user must reconnect it."""


def endpoint_of(mailbox: Mailbox, timeout: float = 30.0) -> ImapEndpoint:
    """Where and how to log in. For an OAuth2 mailbox this gets an access token (cached until
    shortly before it expires): TokenRefused when the grant is refused, ServerUnreachable when
    the token endpoint cannot be reached."""
    if mailbox.auth_method != "oauth2":
        try:
            refuse_by_rules("IMAP", mailbox.imap_host)
        except MailServerError as error:
            raise ServerUnreachable(error.detail) from None
        return ImapEndpoint(
            host=mailbox.imap_host,
            port=mailbox.imap_port,
            security=mailbox.imap_security,
            username=mailbox.imap_username or mailbox.email,
            password=mailbox.imap_password,
            timeout=timeout,
        )
    try:
        access = imap_access(mailbox, timeout)
    except MailServerError as error:
        if error.stage == "auth":
            raise TokenRefused(error.detail) from None
        raise ServerUnreachable(error.detail) from None
    return ImapEndpoint(
        host=access.host,
        port=access.port,
        security=access.security,
        username=access.username or mailbox.email,
        password="",
        timeout=timeout,
        access_token=access.access_token,
    )


def poll_mailbox(
    mailbox: Mailbox,
    settings: ListenSettings = ListenSettings(),
    *,
    folders: list[str] | None = None,
    limits: ReadLimits | None = None,
) -> PollReport:
    """Read the mailbox's new mail once. Never raises for mail or server trouble: the report
    says what happened (and an auth failure pauses the mailbox with the reason)."""
    report = PollReport(mailbox.email)
    limits = limits or ReadLimits(max_message_bytes=settings.max_message_bytes)
    cursors = {
        state.folder: FolderCursor(state.uidvalidity, state.last_uid)
        for state in FolderState.objects.filter(mailbox=mailbox)
    }
    listener = _Listener(mailbox, settings, report)
    oauth = mailbox.auth_method == "oauth2"
    # An OAuth2 mailbox gets a second try with a fresh token: the cached one may be revoked.
    for attempt in range(2 if oauth else 1):
        try:
            reader = MailboxReader(endpoint_of(mailbox, settings.timeout), limits=limits)
            outcome = reader.read(cursors, listener.on_message, listener.on_progress, folders)
            break
        except (AuthenticationFailed, TokenRefused) as error:
            if oauth:
                forget_access_token(mailbox)
            if oauth and attempt == 0 and isinstance(error, AuthenticationFailed):
                continue
            where = reader.endpoint.describe() if isinstance(error, AuthenticationFailed) else ""
            report.error = f"{LOGIN_FAILED} for {where or mailbox.email}: {error}"
            report.paused = _pause_for_login(mailbox, report.error)
            return report
        except ServerUnreachable as error:
            report.error = str(error)
            FolderState.objects.filter(mailbox=mailbox).update(last_error=report.error[:2000])
            return report
    report.reconnects = outcome.reconnects
    for folder in outcome.folders:
        report.folders.append(folder.folder)
        if folder.uidvalidity_changed:
            report.uidvalidity_changed.append(folder.folder)
        if folder.error:
            FolderState.objects.filter(mailbox=mailbox, folder=folder.folder).update(
                last_error=folder.error[:2000]
            )
    return report


def _pause_for_login(mailbox: Mailbox, reason: str) -> bool:
    text = (
        f"{reason}. Check the IMAP user name and password in the mailbox's settings, "
        "then resume the mailbox."
    )
    changed = pause_mailbox(mailbox, text, by=SYSTEM, even_if_paused=True)
    if changed:
        mailbox.refresh_from_db()
    return changed


class _Listener:
    """Receives the reader's messages and progress for one mailbox."""

    def __init__(self, mailbox: Mailbox, settings: ListenSettings, report: PollReport):
        self.mailbox = mailbox
        self.settings = settings
        self.report = report
        self.lookup = DatabaseLookup(mailbox)
        self.own = own_addresses(mailbox.workspace_id)
        self._cursors: dict[str, tuple[int, int]] = {}

    def on_progress(self, folder: str, uidvalidity: int, last_uid: int) -> None:
        if self._cursors.get(folder) == (uidvalidity, last_uid):
            return
        values = {
            "uidvalidity": uidvalidity,
            "last_uid": last_uid,
            "last_polled_at": timezone.now(),
            "last_error": "",
        }
        if not FolderState.objects.filter(mailbox=self.mailbox, folder=folder).update(**values):
            FolderState.objects.create(mailbox=self.mailbox, folder=folder, **values)
        self._cursors[folder] = (uidvalidity, last_uid)

    def on_message(self, fetched: FetchedMessage) -> None:
        # The message, what it causes and the folder's cursor commit together.
        with transaction.atomic():
            self._take(fetched)
            self.on_progress(fetched.folder, fetched.uidvalidity, fetched.uid)

    def _take(self, fetched: FetchedMessage) -> None:
        try:
            with transaction.atomic():
                inbound, reading = store_message(
                    self.mailbox, fetched, self.lookup, self.own, self.settings
                )
        except Exception:  # noqa: BLE001 - one bad message must not stop the rest
            log.exception(
                "inbox %s: could not store %s uid %s",
                self.mailbox.email,
                fetched.folder,
                fetched.uid,
            )
            self.report.failed += 1
            return
        if inbound is None:
            self.report.duplicates += 1
            return
        self.report.new += 1
        self.report.kinds[inbound.kind] += 1
        self.report.matched += inbound.matched_message_id is not None
        self.report.truncated += bool(inbound.classification.get("truncated"))
        self.report.malformed += bool(inbound.classification.get("parse_error"))
        try:
            for kind in apply_consequences(inbound, reading, self.settings, own=self.own):
                self.report.consequences[kind] += 1
        except Exception:  # noqa: BLE001 - stored; consequences_applied_at stays empty
            log.exception(
                "inbox %s: consequences of message %s failed", self.mailbox.email, inbound.pk
            )
            self.report.failed += 1


def own_addresses(workspace_id: int) -> frozenset[str]:
    """The workspace's own mailboxes: never a bounce's failed recipient or a referral."""
    return frozenset(
        address.lower()
        for address in Mailbox.objects.filter(workspace_id=workspace_id).values_list(
            "email", flat=True
        )
    )


class DatabaseLookup(SentLookup):
    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox
        self.sent = OutboundMessage.objects.filter(workspace_id=mailbox.workspace_id)

    def by_message_id(self, message_ids):
        variants = {
            v for mid in message_ids for v in (mid, mid.strip("<>"), f"<{mid.strip('<>')}>")
        }
        return self.sent.filter(message_id__in=variants).values_list("pk", flat=True).first()

    def by_pk(self, pk):
        return self.sent.filter(pk=pk).values_list("pk", flat=True).first()

    def by_recipient(self, addresses, subject):
        query = Q()
        for address in addresses:
            query |= Q(to_address__iexact=address)
        candidates = (
            self.sent.filter(query, mailbox=self.mailbox, state__in=_SENT_STATES)
            .order_by("-sent_at", "-pk")
            .values_list("pk", "subject")[:50]
        )
        for pk, sent_subject in candidates:
            if subject is None or normalise_subject(sent_subject) == subject:
                return pk
        return None


def read(raw: bytes, own: frozenset[str]) -> tuple[Classification, dict[str, Any]]:
    """Classify, and describe what was wrong with the message's structure, if anything."""
    notes: dict[str, Any] = {}
    try:
        reading = classify(raw, own_addresses=own)
    except Exception as error:  # noqa: BLE001 - classify promises not to raise; if it does
        notes["parse_error"] = f"{type(error).__name__}: {error}"[:500]
        return Classification("other", "", "", None, None, ()), notes
    defects = _defects(mime.parse(raw))
    if defects:
        notes["defects"] = defects
    if not raw.strip() or not reading.message_id and not reading.sender and not reading.subject:
        notes["parse_error"] = "no readable header: " + (", ".join(defects) or "empty message")
    return reading, notes


def _defects(message: Message) -> list[str]:
    found: list[str] = []
    for part in mime.walk(message):
        for defect in getattr(part, "defects", ()):
            name = type(defect).__name__
            if name not in found:
                found.append(name)
    return found[:20]


def _reading_json(reading: Classification) -> dict[str, Any]:
    return {
        "recipients": [
            {"address": r.address, "status": r.status, "reason": r.reason, "hard": r.hard}
            for r in reading.recipients
        ],
        "original_message_id": reading.original_message_id,
        "referral": (
            {"name": reading.referral.name, "email": reading.referral.email}
            if reading.referral
            else None
        ),
        "in_reply_to": reading.in_reply_to,
        "references": list(reading.references),
    }


def store_message(
    mailbox: Mailbox,
    fetched: FetchedMessage,
    lookup: SentLookup,
    own: frozenset[str],
    settings: ListenSettings,
) -> tuple[InboundMessage | None, Classification]:
    """Store one fetched message, matched, unless the mailbox already has it (same UID, or the
    same Message-ID in any folder after a UIDVALIDITY change or a move). Returns (None, reading)
    for a message already stored whose consequences are applied."""
    reading, notes = read(fetched.raw, own)
    digest = hashlib.sha256(fetched.raw).hexdigest()
    message_id = (reading.message_id or "")[:998]
    existing = InboundMessage.objects.filter(mailbox=mailbox)
    same = existing.filter(
        folder=fetched.folder, uidvalidity=fetched.uidvalidity, uid=fetched.uid
    ).first()
    if same is None:
        same = (
            existing.filter(message_id=message_id).first()
            if message_id
            else existing.filter(message_id="", classification__digest=digest).first()
        )
    if same is not None:
        # Stored before; if a crash came between storing and acting, act now.
        return (same if same.consequences_applied_at is None else None), reading

    found = match(reading, mime.parse(fetched.raw), lookup, verp_key=settings.verp_key)
    sent = (
        OutboundMessage.objects.select_related("lead").get(pk=found.sent)
        if found.sent is not None
        else None
    )
    classification = {**_reading_json(reading), **notes, "digest": digest}
    if fetched.truncated:
        classification["truncated"] = True
    fields = _fields(mailbox, fetched, reading, message_id, classification, sent, found.method)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                mailbox=mailbox,
                folder=fetched.folder,
                uidvalidity=fetched.uidvalidity,
                uid=fetched.uid,
                **fields,
            )
    except IntegrityError:
        # Another worker stored it between our check and our insert.
        inbound = InboundMessage.objects.get(
            mailbox=mailbox, folder=fetched.folder, uidvalidity=fetched.uidvalidity, uid=fetched.uid
        )
        if inbound.consequences_applied_at is not None:
            return None, reading
    return inbound, reading


def _fields(mailbox, fetched, reading, message_id, classification, sent, method) -> dict[str, Any]:
    return {
        "workspace_id": mailbox.workspace_id,
        "message_id": message_id,
        "from_address": reading.sender[:320],
        "subject": reading.subject,
        "received_at": _received_at(fetched),
        "kind": reading.kind,
        "intent": reading.intent or "",
        "reply_text": reading.reply_text,
        "return_date": reading.return_date,
        "classification": classification,
        "matched_message": sent,
        "lead": sent.lead if sent else None,
        "match_method": method,
        "raw_size": fetched.size,
        "raw": fetched.raw[:RAW_STORE_LIMIT],
    }


def _received_at(fetched: FetchedMessage) -> datetime | None:
    value = fetched.internal_date
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def apply_consequences(
    inbound: InboundMessage,
    reading: Classification | None = None,
    settings: ListenSettings = ListenSettings(),
    *,
    own: frozenset[str] | None = None,
) -> list[str]:
    """Act on one stored message, exactly once: the claim on `consequences_applied_at` and the
    actions commit together. Returns the event kinds written (empty when already applied)."""
    from coldflow.listen.apply import carry_out

    now = timezone.now()
    with transaction.atomic():
        claimed = InboundMessage.objects.filter(
            pk=inbound.pk, consequences_applied_at__isnull=True
        ).update(consequences_applied_at=now)
        if not claimed:
            return []
        inbound.consequences_applied_at = now
        if own is None:
            own = own_addresses(inbound.workspace_id)
        if reading is None:
            reading, _ = read(bytes(inbound.raw), own)
        return carry_out(inbound, reading, settings, now, own)
