"""A mailbox's connection check, run by a worker and stored on the mailbox: SMTP and IMAP
login (coldflow.send.mailboxes.check_mailbox) and the sending domain's SPF, DKIM and DMARC
(coldflow.send.domain_check). The dashboard asks for one after a mailbox is added or its
servers change, and on "Check again"; `coldflow mailbox test` runs it in the foreground and
stores its result the same way. What is stored names servers, stages and the servers' words,
never a credential."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from coldflow.send.domain_check import DomainReport, domain_report
from coldflow.send.mailboxes import MailboxReport, check_mailbox, server_rules
from coldflow.send.models import Mailbox, MailboxStatus

log = logging.getLogger(__name__)

# Seconds per server command during a check.
LOGIN_TIMEOUT = 20.0


@dataclass
class CheckOutcome:
    servers: MailboxReport
    domain: DomainReport


def run_check(mailbox: Mailbox, config=None) -> CheckOutcome:
    """Check the mailbox now and store the result with the time; returns it."""
    from coldflow.config.loader import load_settings

    config = config or load_settings()
    servers = check_mailbox(mailbox, LOGIN_TIMEOUT, rules=server_rules(config))
    domain = domain_report(
        config,
        mailbox.email.rpartition("@")[2],
        mailbox.dkim_selector,
        mailbox.dkim_private_key or "",
    )
    Mailbox.objects.filter(pk=mailbox.pk).update(
        checked_at=timezone.now(),
        check_ok=servers.ok,
        check_result={
            "servers": [check.as_dict() for check in servers.checks],
            "domain": {
                "domain": domain.domain,
                "ok": domain.ok,
                "findings": [finding.as_dict() for finding in domain.findings],
            },
        },
    )
    return CheckOutcome(servers, domain)


def run_stored_check(mailbox_id: int) -> CheckOutcome | None:
    """The job's work: check the mailbox as it is stored now (None when it is gone or removed).
    A check that cannot run at all (the settings cannot be read…) is stored as failed with
    why, so that the page does not wait for it for ever."""
    mailbox = Mailbox.objects.filter(pk=mailbox_id).exclude(status=MailboxStatus.ARCHIVED).first()
    if mailbox is None:
        return None
    try:
        return run_check(mailbox)
    except Exception as error:
        log.exception("checking mailbox %s failed", mailbox.email)
        Mailbox.objects.filter(pk=mailbox.pk).update(
            checked_at=timezone.now(),
            check_ok=False,
            check_result={"error": f"the check could not run: {error}"},
        )
        raise


def request_check(mailbox: Mailbox) -> None:
    """Ask a worker to check the mailbox: stamped now, enqueued once the caller's transaction
    has committed (so the worker reads what was just saved)."""
    from coldflow.send.tasks import check_mailbox_connection

    Mailbox.objects.filter(pk=mailbox.pk).update(check_requested_at=timezone.now())
    transaction.on_commit(lambda: check_mailbox_connection(mailbox.pk))


def check_pending(mailbox: Mailbox) -> bool:
    """A check was asked for and has not finished since."""
    requested = mailbox.check_requested_at
    return requested is not None and (mailbox.checked_at is None or mailbox.checked_at < requested)
