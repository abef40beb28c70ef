"""Mailboxes: adding, changing and removing one, reaching its servers, testing the login.

The CLI (`coldflow mailbox …`) and the dashboard both go through these functions.
Credentials are stored encrypted (coldflow.crypto) and never printed: listings and test
reports name servers and users only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone

from coldflow.errors import UserError
from coldflow.research.fetch.address_policy import refusal_reason
from coldflow.send.connections import (
    MailServerError,
    ServerAccess,
    SmtpSession,
    close_imap,
    is_loopback_host,
    open_imap,
    resolve_host,
)
from coldflow.send.dkim_signing import DkimKeyError, check_private_key, normalise_private_key
from coldflow.send.models import Mailbox, MailboxStatus
from coldflow.send.oauth import TOKEN_URLS, OAuthError, OAuthGrant, access_token, forget_token

log = logging.getLogger(__name__)


class MailboxError(UserError):
    pass


@dataclass
class MailboxSpec:
    email: str
    smtp_host: str
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username: str = ""
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = "tls"
    imap_username: str = ""
    password: str = ""
    display_name: str = ""
    daily_cap: int = 30
    oauth_provider: str = ""
    oauth_token_url: str = ""
    oauth_client_id: str = ""
    oauth_client_secret: str = ""
    oauth_refresh_token: str = ""
    append_to_sent: bool = True
    sent_folder: str = "Sent"
    dkim_selector: str = ""
    dkim_private_key: str = ""
    timezone: str = "UTC"
    # None: the model's default for a new mailbox, unchanged for an existing one.
    ramp_start: int | None = None
    ramp_step: int | None = None
    min_gap_seconds: int | None = None
    max_gap_seconds: int | None = None


@dataclass(frozen=True)
class ServerRules:
    """Which addresses a mailbox's SMTP and IMAP servers may have: public ones, as for every
    outbound connection (coldflow.network); loopback too in the sandbox; loopback and private
    networks with MAILBOX_ALLOW_PRIVATE_SERVERS (a relay on this machine or in the office)."""

    allow_loopback: bool = False
    allow_private: bool = False


def server_rules(config=None) -> ServerRules:
    from coldflow.config.loader import load_settings
    from coldflow.network import network_from_config

    config = config or load_settings()
    private = bool(config["MAILBOX_ALLOW_PRIVATE_SERVERS"])
    return ServerRules(
        allow_loopback=private or network_from_config(config).allow_loopback,
        allow_private=private,
    )


def server_refusal(kind: str, host: str, rules: ServerRules) -> str | None:
    """Why coldflow may not connect to the `kind` ("SMTP", "IMAP") server `host`, or None.

    A name that does not resolve is not refused here: the connection check says so (DNS)."""
    try:
        addresses = resolve_host(host, 0)
    except MailServerError:
        return None
    for address in addresses:
        reason = refusal_reason(
            address, allow_loopback=rules.allow_loopback, allow_private=rules.allow_private
        )
        if reason is None:
            continue
        shown = host if host == address else f"{host} ({address})"
        hint = ""
        if reason.startswith(("loopback", "private")):
            hint = (
                "; for a server on this machine or in your own network set "
                "MAILBOX_ALLOW_PRIVATE_SERVERS=true"
            )
        return (
            f"{kind} server {shown} is refused: {reason.partition(' address')[0]} address, "
            f"mail servers must be reachable on the internet{hint}"
        )
    return None


def validate_spec(spec: MailboxSpec, rules: ServerRules | None = None) -> None:
    """Everything that makes a mailbox unusable or unsafe, said before it is stored.
    `rules` default to this installation's settings."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(spec.email.strip())
    except ValidationError:
        raise MailboxError(f"not an email address: {spec.email!r}") from None
    if not spec.smtp_host.strip():
        raise MailboxError("give the SMTP server (host name of your provider's submission server)")
    for kind, port in (("SMTP", spec.smtp_port), ("IMAP", spec.imap_port)):
        if not 1 <= port <= 65535:
            raise MailboxError(f"{kind} port must be between 1 and 65535")
    rules = rules if rules is not None else server_rules()
    for kind, host, security in (
        ("SMTP", spec.smtp_host, spec.smtp_security),
        ("IMAP", spec.imap_host, spec.imap_security),
    ):
        if security not in ("starttls", "tls", "plain"):
            raise MailboxError(f"{kind} security must be starttls, tls or plain")
        if host and security == "plain" and not is_loopback_host(host):
            raise MailboxError(
                f"{kind} host {host} is not on this machine: unencrypted (plain) connections are "
                "allowed to loopback only; use starttls or tls"
            )
        refusal = server_refusal(kind, host, rules) if host else None
        if refusal:
            raise MailboxError(refusal)
    check_sending_rules(
        {
            name: value
            for name in RULE_FIELDS
            if (value := getattr(spec, name, None)) is not None and name != "signature"
        }
    )
    if spec.dkim_private_key:
        if not spec.dkim_selector:
            raise MailboxError("a DKIM private key needs its selector (the name in DNS)")
        try:
            check_private_key(spec.dkim_private_key)
        except DkimKeyError as error:
            raise MailboxError(str(error)) from None
    if spec.oauth_provider or spec.oauth_refresh_token:
        if not spec.oauth_refresh_token or not spec.oauth_client_id:
            raise MailboxError("OAuth2 needs a client id and a refresh token")
        if not (spec.oauth_token_url or TOKEN_URLS.get(spec.oauth_provider)):
            raise MailboxError("OAuth2 needs --oauth-token-url (or provider google/microsoft)")
    elif not spec.password:
        raise MailboxError("give a password (or app password), or OAuth2")


def _values(spec: MailboxSpec) -> dict:
    oauth = bool(spec.oauth_refresh_token)
    values = {
        "email": spec.email.strip(),
        "display_name": spec.display_name,
        "smtp_host": spec.smtp_host,
        "smtp_port": spec.smtp_port,
        "smtp_security": spec.smtp_security,
        "smtp_username": spec.smtp_username or spec.email,
        "smtp_password": "" if oauth else spec.password,
        "imap_host": spec.imap_host,
        "imap_port": spec.imap_port,
        "imap_security": spec.imap_security,
        "imap_username": spec.imap_username or spec.smtp_username or spec.email,
        "imap_password": "" if oauth else spec.password,
        "auth_method": "oauth2" if oauth else "password",
        "oauth_provider": spec.oauth_provider,
        "oauth_token_url": spec.oauth_token_url or TOKEN_URLS.get(spec.oauth_provider, ""),
        "oauth_client_id": spec.oauth_client_id,
        "oauth_client_secret": spec.oauth_client_secret,
        "oauth_refresh_token": spec.oauth_refresh_token,
        "daily_cap": spec.daily_cap,
        "append_to_sent": spec.append_to_sent,
        "sent_folder": spec.sent_folder,
        "dkim_selector": spec.dkim_selector,
        "dkim_private_key": normalise_private_key(spec.dkim_private_key),
        "timezone": spec.timezone,
    }
    for name in ("ramp_start", "ramp_step", "min_gap_seconds", "max_gap_seconds"):
        if getattr(spec, name) is not None:
            values[name] = getattr(spec, name)
    return values


def _revive(mailbox: Mailbox) -> None:
    """An archived mailbox added again starts afresh: active, not yet checked."""
    if mailbox.status == MailboxStatus.ARCHIVED:
        mailbox.status, mailbox.status_reason = MailboxStatus.ACTIVE, ""
        mailbox.status_changed_at = timezone.now()
        mailbox.check_ok, mailbox.checked_at, mailbox.check_result = None, None, {}


def add_mailbox(
    workspace, spec: MailboxSpec, rules: ServerRules | None = None
) -> tuple[Mailbox, bool]:
    """Create the mailbox, or update the one with the same address (`coldflow mailbox add`).
    (mailbox, created)."""
    validate_spec(spec, rules)
    values = _values(spec)
    existing = Mailbox.objects.filter(workspace=workspace, email__iexact=spec.email).first()
    if existing is None:
        return Mailbox.objects.create(workspace=workspace, **values), True
    for name, value in values.items():
        setattr(existing, name, value)
    _revive(existing)
    existing.save()
    return existing, False


def create_mailbox(workspace, spec: MailboxSpec, rules: ServerRules | None = None) -> Mailbox:
    """A new mailbox (the dashboard's "Add mailbox"): refused when the workspace has one with
    this address already, except a removed (archived) one, which comes back with these
    settings."""
    validate_spec(spec, rules)
    values = _values(spec)
    with transaction.atomic():
        existing = (
            Mailbox.objects.select_for_update()
            .filter(workspace=workspace, email__iexact=spec.email.strip())
            .first()
        )
        if existing is None:
            return Mailbox.objects.create(workspace=workspace, **values)
        if existing.status != MailboxStatus.ARCHIVED:
            raise MailboxError(
                f"{existing.email} is already a mailbox of this workspace: change it on its page"
            )
        for name, value in values.items():
            setattr(existing, name, value)
        _revive(existing)
        existing.save()
        return existing


# Connection fields: a change to one of them calls for a new connection check.
CONNECTION_FIELDS = (
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_username",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_username",
    "append_to_sent",
    "sent_folder",
    "dkim_selector",
)
# The sending rules a user sets per mailbox, with the bounds that keep them meaningful.
RULE_FIELDS = (
    "display_name",
    "signature",
    "daily_cap",
    "ramp_start",
    "ramp_step",
    "min_gap_seconds",
    "max_gap_seconds",
    "timezone",
)
# What the dashboard's edit form may change: servers, credentials and the sending rules but
# the signature, which the form does not show (the address and an OAuth2 grant stay).
EDITABLE_FIELDS = (
    *CONNECTION_FIELDS,
    *(name for name in RULE_FIELDS if name != "signature"),
    "smtp_password",
    "imap_password",
    "dkim_private_key",
)
SECRET_FIELDS = (
    "smtp_password",
    "imap_password",
    "oauth_client_secret",
    "oauth_refresh_token",
    "dkim_private_key",
)


def update_mailbox(
    mailbox: Mailbox, spec: MailboxSpec, rules: ServerRules | None = None
) -> list[str]:
    """Change a mailbox's servers, user names, sending rules and (when given) its password and
    DKIM key; an empty password or key keeps the stored one, and an OAuth2 mailbox keeps its
    grant. The address stays. Returns the names of what changed ("password" and
    "dkim_private_key" for secrets, never their values)."""
    if mailbox.status == MailboxStatus.ARCHIVED:
        raise MailboxError(f"{mailbox.email} was removed: add it again instead")
    oauth = mailbox.auth_method == "oauth2"
    full = MailboxSpec(
        **{
            **spec.__dict__,
            "email": mailbox.email,
            "password": "" if oauth else (spec.password or mailbox.smtp_password),
            "oauth_provider": mailbox.oauth_provider if oauth else "",
            "oauth_token_url": mailbox.oauth_token_url if oauth else "",
            "oauth_client_id": mailbox.oauth_client_id if oauth else "",
            "oauth_client_secret": mailbox.oauth_client_secret if oauth else "",
            "oauth_refresh_token": mailbox.oauth_refresh_token if oauth else "",
            "dkim_private_key": spec.dkim_private_key,
        }
    )
    # A new DKIM key is checked; the stored one was when it was given.
    validate_spec(full, rules)
    if not spec.dkim_private_key and mailbox.dkim_private_key and not spec.dkim_selector:
        raise MailboxError("the stored DKIM private key needs its selector (the name in DNS)")
    values = {name: value for name, value in _values(full).items() if name in EDITABLE_FIELDS}
    # Secrets not given are kept as stored (the IMAP password too where it differs).
    if not spec.password:
        del values["smtp_password"], values["imap_password"]
    if not spec.dkim_private_key:
        del values["dkim_private_key"]
    changed = [name for name, value in values.items() if getattr(mailbox, name) != value]
    for name in changed:
        setattr(mailbox, name, values[name])
    if changed:
        mailbox.save(update_fields=changed)
    shown = {"smtp_password": "password", "imap_password": "password"}
    return list(dict.fromkeys(shown.get(name, name) for name in changed))


def _grant(mailbox: Mailbox) -> OAuthGrant:
    return OAuthGrant(
        token_url=mailbox.oauth_token_url or TOKEN_URLS.get(mailbox.oauth_provider, ""),
        client_id=mailbox.oauth_client_id,
        client_secret=mailbox.oauth_client_secret,
        refresh_token=mailbox.oauth_refresh_token,
    )


def _token(mailbox: Mailbox, timeout: float) -> str:
    if mailbox.auth_method != "oauth2":
        return ""
    try:
        token = access_token(_grant(mailbox), timeout=timeout)
    except OAuthError as error:
        raise MailServerError(error.stage, f"OAuth2 token: {error.detail}") from None
    if token.new_refresh_token and token.new_refresh_token != mailbox.oauth_refresh_token:
        mailbox.oauth_refresh_token = token.new_refresh_token
        # update() encrypts through the field, like save() does.
        Mailbox.objects.filter(pk=mailbox.pk).update(oauth_refresh_token=token.new_refresh_token)
    return token.token


def forget_access_token(mailbox: Mailbox) -> None:
    if mailbox.auth_method == "oauth2":
        forget_token(_grant(mailbox))


def refuse_by_rules(kind: str, host: str, rules: ServerRules | None = None) -> None:
    """Every connection to a mailbox's server passes the address rules again: its name may
    resolve somewhere else than when it was saved (DNS rebinding toward the inside)."""
    refusal = server_refusal(kind, host, rules if rules is not None else server_rules())
    if refusal:
        raise MailServerError("address", refusal)


def smtp_access(
    mailbox: Mailbox, timeout: float = 60.0, rules: ServerRules | None = None
) -> ServerAccess:
    """How to reach the mailbox's SMTP server; MailServerError (stage "address") when its
    address is one the installation's rules refuse."""
    refuse_by_rules("SMTP", mailbox.smtp_host, rules)
    return ServerAccess(
        host=mailbox.smtp_host,
        port=mailbox.smtp_port,
        security=mailbox.smtp_security,
        username=mailbox.smtp_username,
        password=mailbox.smtp_password,
        access_token=_token(mailbox, timeout),
        timeout=timeout,
    )


def imap_access(
    mailbox: Mailbox, timeout: float = 60.0, rules: ServerRules | None = None
) -> ServerAccess:
    if not mailbox.imap_host:
        raise MailServerError("imap", "no IMAP server configured for this mailbox")
    refuse_by_rules("IMAP", mailbox.imap_host, rules)
    return ServerAccess(
        host=mailbox.imap_host,
        port=mailbox.imap_port,
        security=mailbox.imap_security,
        username=mailbox.imap_username or mailbox.smtp_username,
        password=mailbox.imap_password or mailbox.smtp_password,
        access_token=_token(mailbox, timeout),
        timeout=timeout,
    )


STAGE_WORDS = {
    "dns": "DNS",
    "tcp": "TCP",
    "tls": "TLS",
    "greeting": "greeting",
    "auth": "authentication",
    "imap": "configuration",
    "folder": "folder",
}


@dataclass
class ServerCheck:
    server: str  # "SMTP" or "IMAP"
    ok: bool
    detail: str
    stage: str = ""

    def as_dict(self) -> dict:
        return {"server": self.server, "ok": self.ok, "stage": self.stage, "detail": self.detail}


@dataclass
class MailboxReport:
    email: str
    checks: list[ServerCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def _failure(server: str, error: MailServerError) -> ServerCheck:
    if error.stage == "address":  # the refusal names the server and the rule itself
        return ServerCheck(server, False, error.detail, error.stage)
    words = STAGE_WORDS.get(error.stage, error.stage)
    detail = f"{words}: {error.detail}"
    if error.code is not None or error.text:
        detail += f" ({f'{error.code} ' if error.code else ''}{error.text})".rstrip()
    return ServerCheck(server, False, detail, error.stage)


def check_mailbox(
    mailbox: Mailbox, timeout: float = 20.0, rules: ServerRules | None = None
) -> MailboxReport:
    """Log in to SMTP and IMAP (nothing is sent) and say what failed, in words. A server
    whose address the rules refuse (its name may resolve elsewhere than when it was saved)
    is not connected to."""
    rules = rules if rules is not None else server_rules()
    report = MailboxReport(mailbox.email)
    try:
        with SmtpSession(smtp_access(mailbox, timeout, rules)) as session:
            session.open()
        report.checks.append(
            ServerCheck("SMTP", True, f"logged in at {mailbox.smtp_host}:{mailbox.smtp_port}")
        )
    except MailServerError as error:
        report.checks.append(_failure("SMTP", error))
    if not mailbox.imap_host:
        report.checks.append(
            ServerCheck("IMAP", False, "no IMAP server configured: replies cannot be read")
        )
        return report
    try:
        client = open_imap(imap_access(mailbox, timeout, rules))
        try:
            folders = {name for _, _, name in client.list_folders()}
        finally:
            close_imap(client)
        detail = f"logged in at {mailbox.imap_host}:{mailbox.imap_port}"
        if mailbox.sent_folder not in folders:
            detail += f"; no folder {mailbox.sent_folder!r} (sent copies cannot be filed)"
            report.checks.append(ServerCheck("IMAP", False, detail, "folder"))
        else:
            report.checks.append(ServerCheck("IMAP", True, detail))
    except MailServerError as error:
        report.checks.append(_failure("IMAP", error))
    return report


def check_sending_rules(rules: dict, mailbox: Mailbox | None = None) -> None:
    """Refuse sending rules that mean nothing (negative counts, an unknown time zone, a
    minimum gap above the maximum); gaps not given are the mailbox's (or the defaults)."""
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise MailboxError(f"not a mailbox sending rule: {', '.join(sorted(unknown))}")
    for name in ("daily_cap", "ramp_start", "ramp_step", "min_gap_seconds", "max_gap_seconds"):
        if name in rules and rules[name] < 0:
            raise MailboxError(f"{name.replace('_', ' ')} cannot be negative")
    if "timezone" in rules:
        try:
            ZoneInfo(rules["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise MailboxError(
                f"unknown time zone {rules['timezone']!r} (use a name like Europe/Berlin)"
            ) from None
    defaults = mailbox or Mailbox()
    low = rules.get("min_gap_seconds", defaults.min_gap_seconds)
    high = rules.get("max_gap_seconds", defaults.max_gap_seconds)
    if low > high:
        raise MailboxError(f"the minimum gap ({low} s) is longer than the maximum ({high} s)")


def set_sending_rules(mailbox: Mailbox, **rules) -> list[str]:
    """Change a mailbox's sending rules (only those given); returns the fields changed."""
    check_sending_rules(rules, mailbox)
    changed = [name for name, value in rules.items() if getattr(mailbox, name) != value]
    for name in changed:
        setattr(mailbox, name, rules[name])
    if changed:
        mailbox.save(update_fields=changed)
    return changed


# `by` of coldflow's own pauses (a refused login, a policy rejection, the bounce rate, a
# complaint); any other `by` is who paused the mailbox by hand.
SYSTEM = "system"


def pause_mailbox(
    mailbox: Mailbox,
    reason: str,
    *,
    by: str,
    data: dict | None = None,
    even_if_paused: bool = False,
) -> bool:
    """Pause a mailbox with the reason and write the `mailbox.paused` event (the webhook
    `mailbox_paused`); True if it changed.

    `by` is SYSTEM for coldflow's own pauses (status paused_by_system) or who paused it by hand
    ("cli", a user name, an API key: paused_by_user). Normally only an active mailbox is paused.
    `even_if_paused` also re-pauses a paused one with this reason (a login that fails must be
    shown even on a mailbox the user paused, because its replies are still read); the same
    pause twice changes nothing. A removed mailbox stays removed. `data` adds the caller's
    context to the event."""
    from coldflow.analytics.events import record

    status = MailboxStatus.PAUSED_BY_SYSTEM if by == SYSTEM else MailboxStatus.PAUSED_BY_USER
    mailboxes = Mailbox.objects.filter(pk=mailbox.pk).exclude(status=MailboxStatus.ARCHIVED)
    if even_if_paused:
        mailboxes = mailboxes.exclude(status=status, status_reason=reason)
    else:
        mailboxes = mailboxes.filter(status=MailboxStatus.ACTIVE)
    if not mailboxes.update(status=status, status_reason=reason, status_changed_at=timezone.now()):
        return False
    log.warning("mailbox %s paused by %s: %s", mailbox.email, by, reason)
    record(
        "mailbox.paused",
        workspace_id=mailbox.workspace_id,
        mailbox_id=mailbox.pk,
        data={**(data or {}), "reason": reason, "by": by},
    )
    return True


def resume(mailbox: Mailbox, *, by: str) -> str | None:
    """Let a paused mailbox send again; the status it had, or None if it was active (or
    removed: a removed mailbox comes back only by being added again)."""
    from django.utils import timezone

    from coldflow.analytics.events import record

    before = Mailbox.objects.values_list("status", flat=True).get(pk=mailbox.pk)
    if not (
        Mailbox.objects.filter(pk=mailbox.pk, status=before)
        .exclude(status__in=("active", "archived"))
        .update(status="active", status_reason="", status_changed_at=timezone.now())
    ):
        return None
    record(
        "mailbox.resumed",
        workspace_id=mailbox.workspace_id,
        mailbox_id=mailbox.pk,
        data={"from": before, "by": by},
    )
    return before


@dataclass
class RemovalPreview:
    """What removing a mailbox would do, for the confirmation the user sees first."""

    # Why it cannot be removed now, in words; empty when it can.
    blocker: str = ""
    # Leads whose sequence runs through this mailbox (follow-ups come from the same mailbox).
    enrollments: int = 0
    campaigns: list[str] = field(default_factory=list)


def _in_flight(mailbox: Mailbox) -> str:
    from django.db.models import Count, Q

    from coldflow.send.models import OutboundMessage

    rows = (
        OutboundMessage.objects.filter(mailbox=mailbox)
        .filter(Q(state__in=("sending", "unknown")) | Q(state="queued", campaign__status="running"))
        .values_list("campaign__name", "state")
        .annotate(n=Count("id"))
        .order_by("campaign__name", "state")
    )
    words = {"queued": "queued", "sending": "being sent", "unknown": "being looked for in Sent"}
    parts = [f"{n} {words[state]} for campaign {name!r}" for name, state, n in rows]
    if not parts:
        return ""
    return (
        f"{mailbox.email} still has emails on their way out ({'; '.join(parts)}). Remove it "
        "once they have gone: queued emails go out within minutes while the mailbox and its "
        "campaign run (pause the campaign to keep them back), and an email whose worker stopped "
        "is settled by the recovery job, through the mailbox's Sent folder."
    )


def removal_preview(mailbox: Mailbox) -> RemovalPreview:
    from coldflow.send.models import CampaignMailbox, Enrollment

    return RemovalPreview(
        blocker=_in_flight(mailbox),
        enrollments=Enrollment.objects.filter(
            mailbox=mailbox, status__in=("active", "paused")
        ).count(),
        campaigns=sorted(
            CampaignMailbox.objects.filter(mailbox=mailbox).values_list("campaign__name", flat=True)
        ),
    )


def remove_mailbox(mailbox: Mailbox, *, by: str) -> RemovalPreview:
    """Archive the mailbox: it sends and reads nothing more, leaves its campaigns, and its
    stored credentials are wiped; what it sent, received and counted stays (history, analytics,
    the audit trail). Leads mid-sequence through it are stopped ("mailbox_removed"), since a
    follow-up must come from the mailbox of the first email. Refused (MailboxError) while an
    email is on its way out through it. Adding the address again brings it back."""
    from coldflow.analytics.events import record
    from coldflow.send.models import CampaignMailbox, Enrollment, OutboundMessage
    from coldflow.send.suppression import stop_enrollment

    with transaction.atomic():
        locked = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
        if locked.status == MailboxStatus.ARCHIVED:
            raise MailboxError(f"{locked.email} is already removed")
        preview = removal_preview(locked)
        if preview.blocker:
            raise MailboxError(preview.blocker)
        forget_access_token(locked)
        now = timezone.now()
        Mailbox.objects.filter(pk=locked.pk).update(
            status=MailboxStatus.ARCHIVED,
            status_reason=f"removed by {by}",
            status_changed_at=now,
            **dict.fromkeys(SECRET_FIELDS, ""),
        )
        CampaignMailbox.objects.filter(mailbox=locked).delete()
        stopped = 0
        for enrollment in Enrollment.objects.filter(
            mailbox=locked, status__in=("active", "paused")
        ):
            stopped += stop_enrollment(enrollment, "mailbox_removed", data={"by": by})
        # Queued for a campaign that does not run (running ones refused above): never sent.
        OutboundMessage.objects.filter(mailbox=locked, state="queued").update(
            state="failed", error="its mailbox was removed"
        )
        record(
            "mailbox.removed",
            workspace_id=locked.workspace_id,
            mailbox_id=locked.pk,
            data={"by": by, "stopped_enrollments": stopped, "campaigns": preview.campaigns},
        )
    mailbox.status = MailboxStatus.ARCHIVED
    preview.enrollments = stopped
    return preview


def set_campaign_mailboxes(campaign, mailboxes) -> tuple[list[str], list[str]]:
    """Make `mailboxes` the ones that send the campaign's new leads; returns the addresses
    (added, taken out). A sequence already under way finishes from the mailbox of its first
    email, taken out or not, so its follow-ups stay in the prospect's thread. Removed mailboxes
    and other workspaces' are refused."""
    from coldflow.send.models import CampaignMailbox

    chosen = {m.pk: m for m in mailboxes}
    for mailbox in chosen.values():
        if mailbox.workspace_id != campaign.workspace_id:
            raise MailboxError(f"{mailbox.email} is not a mailbox of this workspace")
        if mailbox.status == MailboxStatus.ARCHIVED:
            raise MailboxError(f"{mailbox.email} was removed: add it again to send from it")
    with transaction.atomic():
        linked = dict(
            CampaignMailbox.objects.select_for_update()
            .filter(campaign=campaign)
            .values_list("mailbox_id", "mailbox__email")
        )
        added = [chosen[pk] for pk in chosen if pk not in linked]
        gone = [pk for pk in linked if pk not in chosen]
        CampaignMailbox.objects.bulk_create(
            [CampaignMailbox(campaign=campaign, mailbox=m) for m in added], ignore_conflicts=True
        )
        CampaignMailbox.objects.filter(campaign=campaign, mailbox_id__in=gone).delete()
    return sorted(m.email for m in added), sorted(linked[pk] for pk in gone)
