"""Mailboxes: adding one, reaching its servers, testing the login, listing them.

Credentials are stored encrypted (coldflow.crypto) and never printed: listings and test
reports name servers and users only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coldflow.errors import UserError
from coldflow.send.connections import (
    MailServerError,
    ServerAccess,
    SmtpSession,
    close_imap,
    is_loopback_host,
    open_imap,
)
from coldflow.send.models import Mailbox
from coldflow.send.oauth import TOKEN_URLS, OAuthError, OAuthGrant, access_token, forget_token


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


def validate_spec(spec: MailboxSpec) -> None:
    if "@" not in spec.email or spec.email.startswith("@") or spec.email.endswith("@"):
        raise MailboxError(f"not an email address: {spec.email!r}")
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
    if spec.oauth_provider or spec.oauth_refresh_token:
        if not spec.oauth_refresh_token or not spec.oauth_client_id:
            raise MailboxError("OAuth2 needs a client id and a refresh token")
        if not (spec.oauth_token_url or TOKEN_URLS.get(spec.oauth_provider)):
            raise MailboxError("OAuth2 needs --oauth-token-url (or provider google/microsoft)")
    elif not spec.password:
        raise MailboxError("give a password (prompted, or COLDFLOW_MAILBOX_PASSWORD) or OAuth2")


def add_mailbox(workspace, spec: MailboxSpec) -> tuple[Mailbox, bool]:
    """Create the mailbox, or update the one with the same address. (mailbox, created)."""
    validate_spec(spec)
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
        "dkim_private_key": spec.dkim_private_key,
        "timezone": spec.timezone,
    }
    existing = Mailbox.objects.filter(workspace=workspace, email__iexact=spec.email).first()
    if existing is None:
        return Mailbox.objects.create(workspace=workspace, **values), True
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    return existing, False


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


def smtp_access(mailbox: Mailbox, timeout: float = 60.0) -> ServerAccess:
    return ServerAccess(
        host=mailbox.smtp_host,
        port=mailbox.smtp_port,
        security=mailbox.smtp_security,
        username=mailbox.smtp_username,
        password=mailbox.smtp_password,
        access_token=_token(mailbox, timeout),
        timeout=timeout,
    )


def imap_access(mailbox: Mailbox, timeout: float = 60.0) -> ServerAccess:
    if not mailbox.imap_host:
        raise MailServerError("imap", "no IMAP server configured for this mailbox")
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
    words = STAGE_WORDS.get(error.stage, error.stage)
    detail = f"{words}: {error.detail}"
    if error.code is not None or error.text:
        detail += f" ({f'{error.code} ' if error.code else ''}{error.text})".rstrip()
    return ServerCheck(server, False, detail, error.stage)


def check_mailbox(mailbox: Mailbox, timeout: float = 20.0) -> MailboxReport:
    """Log in to SMTP and IMAP (nothing is sent) and say what failed, in words."""
    report = MailboxReport(mailbox.email)
    try:
        with SmtpSession(smtp_access(mailbox, timeout)) as session:
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
        client = open_imap(imap_access(mailbox, timeout))
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


def set_sending_rules(mailbox: Mailbox, **rules) -> list[str]:
    """Change a mailbox's sending rules (only those given); returns the fields changed."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    low = rules.get("min_gap_seconds", mailbox.min_gap_seconds)
    high = rules.get("max_gap_seconds", mailbox.max_gap_seconds)
    if low > high:
        raise MailboxError(f"the minimum gap ({low} s) is longer than the maximum ({high} s)")
    changed = [name for name, value in rules.items() if getattr(mailbox, name) != value]
    for name in changed:
        setattr(mailbox, name, rules[name])
    if changed:
        mailbox.save(update_fields=changed)
    return changed


def pause_by_user(mailbox: Mailbox, reason: str, *, by: str) -> bool:
    """Pause an active mailbox at the user's request; True if it was active."""
    from django.utils import timezone

    from coldflow.analytics.events import record

    if not Mailbox.objects.filter(pk=mailbox.pk, status="active").update(
        status="paused_by_user", status_reason=reason, status_changed_at=timezone.now()
    ):
        return False
    record(
        "mailbox.paused",
        workspace_id=mailbox.workspace_id,
        mailbox_id=mailbox.pk,
        data={"reason": reason, "by": by},
    )
    return True


def resume(mailbox: Mailbox, *, by: str) -> str | None:
    """Let a paused mailbox send again; the status it had, or None if it was active."""
    from django.utils import timezone

    from coldflow.analytics.events import record

    before = Mailbox.objects.values_list("status", flat=True).get(pk=mailbox.pk)
    if not (
        Mailbox.objects.filter(pk=mailbox.pk, status=before)
        .exclude(status="active")
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
