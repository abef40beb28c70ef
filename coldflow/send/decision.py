"""The one place that decides whether an email may go out, asked at the moment of sending.

`decide` is pure: it judges plain facts. `may_send` gathers those facts for a stored message
from the database (suppression list, enrollment, lead, mailbox, campaign); a batch gathers them
for all its messages at once (`load_suppressions`, `facts_of`), and `still_sendable` repeats
the verdict inside the claiming UPDATE, so the rules hold at the moment of sending.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

# Lead statuses (coldflow.contacts.models.LeadStatus) after which nothing more is sent to the
# lead, ever, in this campaign: the one list, for delivery and for the dispatcher's planning.
FINAL_LEAD_STATUSES = frozenset(
    {
        "bounced",
        "unsubscribed",
        "replied",
        "interested",
        "not_interested",
        "stopped",
        "disqualified",
    }
)
# Campaign states in which nothing is sent for now (running again later sends).
WAITING_CAMPAIGN_STATES = frozenset({"draft", "paused"})
# Campaign and enrollment states in which nothing more is sent, ever.
ENDED_CAMPAIGN_STATES = frozenset({"completed", "cancelled"})
STOPPED_ENROLLMENT_STATES = frozenset({"stopped", "completed"})
# Workers on several machines disagree a little about the time; a retry is not held for that.
CLOCK_TOLERANCE = timedelta(seconds=60)


@dataclass(frozen=True)
class SendFacts:
    to_address: str
    lead_status: str
    campaign_status: str
    # "address" or "domain" suppression reason (unsubscribe, hard_bounce…), None when clean.
    suppressed_address: str | None = None
    suppressed_domain: str | None = None
    enrollment_status: str | None = None
    enrollment_stop_reason: str = ""
    mailbox_status: str | None = None
    mailbox_reason: str = ""
    scheduled_at: datetime | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class Decision:
    # send: go ahead. hold: not now, keep it queued. drop: never, fail it with the reason.
    action: Literal["send", "hold", "drop"]
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.action == "send"


def decide(facts: SendFacts) -> Decision:
    if facts.suppressed_address:
        return Decision("drop", f"suppressed address ({facts.suppressed_address})")
    if facts.suppressed_domain:
        domain = facts.to_address.rpartition("@")[2]
        return Decision("drop", f"suppressed domain {domain} ({facts.suppressed_domain})")
    if facts.lead_status in FINAL_LEAD_STATUSES:
        return Decision("drop", f"lead is {facts.lead_status}")
    if facts.enrollment_status in STOPPED_ENROLLMENT_STATES:
        why = f": {facts.enrollment_stop_reason}" if facts.enrollment_stop_reason else ""
        return Decision("drop", f"enrollment {facts.enrollment_status}{why}")
    if facts.campaign_status in ENDED_CAMPAIGN_STATES:
        return Decision("drop", f"campaign {facts.campaign_status}")
    if facts.campaign_status in WAITING_CAMPAIGN_STATES:
        return Decision("hold", f"campaign {facts.campaign_status}")
    if facts.enrollment_status == "paused":
        return Decision("hold", "enrollment paused")
    if facts.mailbox_status is None:
        return Decision("hold", "no mailbox assigned")
    if facts.mailbox_status != "active":
        why = f": {facts.mailbox_reason}" if facts.mailbox_reason else ""
        return Decision("hold", f"mailbox {facts.mailbox_status.replace('_', ' ')}{why}")
    if facts.scheduled_at and facts.now and facts.scheduled_at > facts.now + CLOCK_TOLERANCE:
        return Decision("hold", f"not due before {facts.scheduled_at.isoformat()}")
    return Decision("send")


def _address_and_domain(message) -> tuple[str, str]:
    address = message.to_address.strip().lower()
    return address, address.rpartition("@")[2]


def load_suppressions(messages: Iterable) -> dict[tuple[int, str, str], str]:
    """Every suppression that concerns these messages' recipients, in one query:
    (workspace id, "address" or "domain", value) → reason."""
    from django.db.models import Q

    from coldflow.send.models import Suppression

    wanted: dict[int, tuple[set[str], set[str]]] = {}
    for message in messages:
        address, domain = _address_and_domain(message)
        addresses, domains = wanted.setdefault(message.workspace_id, (set(), set()))
        addresses.add(address)
        domains.add(domain)
    if not wanted:
        return {}
    condition = Q()
    for workspace_id, (addresses, domains) in wanted.items():
        condition |= Q(workspace_id=workspace_id) & (
            Q(kind="address", value__in=addresses) | Q(kind="domain", value__in=domains)
        )
    rows = Suppression.objects.filter(condition).values_list(
        "workspace_id", "kind", "value", "reason"
    )
    return {(workspace_id, kind, value): reason for workspace_id, kind, value, reason in rows}


def facts_of(
    message, suppressions: Mapping[tuple[int, str, str], str], *, now: datetime
) -> SendFacts:
    """The facts about a stored OutboundMessage (with its enrollment, lead, mailbox and campaign
    loaded) and the suppressions from `load_suppressions`."""
    address, domain = _address_and_domain(message)
    enrollment = message.enrollment
    mailbox = message.mailbox
    return SendFacts(
        to_address=address,
        lead_status=message.lead.status,
        campaign_status=message.campaign.status,
        suppressed_address=suppressions.get((message.workspace_id, "address", address)),
        suppressed_domain=suppressions.get((message.workspace_id, "domain", domain)),
        enrollment_status=enrollment.status if enrollment else None,
        enrollment_stop_reason=enrollment.stop_reason if enrollment else "",
        mailbox_status=mailbox.status if mailbox else None,
        mailbox_reason=mailbox.status_reason if mailbox else "",
        scheduled_at=message.scheduled_at,
        now=now,
    )


def may_send(message, *, now: datetime | None = None) -> Decision:
    """Judge a stored OutboundMessage against the database as it is right now."""
    from django.utils import timezone

    return decide(facts_of(message, load_suppressions([message]), now=now or timezone.now()))


def still_sendable(message, *, now: datetime) -> tuple[str, list]:
    """`decide`'s "send", as an SQL condition on the message's row for the claiming UPDATE.

    A worker judges a whole batch from facts it loads up front; between that and the claim of
    a later message, a reply may stop the enrollment or an unsubscribe suppress the address.
    The claim therefore re-asserts every fact `decide` depends on inside the UPDATE itself, as
    EXISTS subqueries on the current rows: the check and the claim are one statement, so
    nothing can change between them. Correlated subqueries (not joins) keep the UPDATE on the
    message's own row, where PostgreSQL re-checks `state = 'queued'` after waiting for a
    concurrent claim, so there is still exactly one winner. Keep in step with `decide`.

    Plain SQL because the ORM spends longer compiling these subqueries than the database
    spends running them. Returns (condition, parameters).
    """
    from django.db import connection

    address, domain = _address_and_domain(message)
    adapted_now = connection.ops.adapt_datetimefield_value(now + CLOCK_TOLERANCE)
    return _still_sendable_sql(connection.vendor), [address, domain, adapted_now]


@functools.cache
def _still_sendable_sql(vendor: str) -> str:
    from django.db import connection

    from coldflow.campaigns.models import Campaign
    from coldflow.contacts.models import Lead
    from coldflow.send.models import Enrollment, Mailbox, OutboundMessage, Suppression

    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(field: str) -> str:
        return f"{table(OutboundMessage)}.{quote(OutboundMessage._meta.get_field(field).column)}"

    def one_of(values) -> str:
        assert all(v.isidentifier() for v in values)  # our own constants, never input
        return ", ".join(f"'{v}'" for v in sorted(values))

    return f"""
        NOT EXISTS (SELECT 1 FROM {table(Suppression)} s
            WHERE s.workspace_id = {column("workspace")}
            AND ((s.kind = 'address' AND s.value = %s) OR (s.kind = 'domain' AND s.value = %s)))
        AND EXISTS (SELECT 1 FROM {table(Lead)} l WHERE l.id = {column("lead")}
            AND l.status NOT IN ({one_of(FINAL_LEAD_STATUSES)}))
        AND ({column("enrollment")} IS NULL OR EXISTS (SELECT 1 FROM {table(Enrollment)} e
            WHERE e.id = {column("enrollment")}
            AND e.status NOT IN ({one_of(STOPPED_ENROLLMENT_STATES | {"paused"})})))
        AND EXISTS (SELECT 1 FROM {table(Campaign)} c WHERE c.id = {column("campaign")}
            AND c.status NOT IN ({one_of(ENDED_CAMPAIGN_STATES | WAITING_CAMPAIGN_STATES)}))
        AND EXISTS (SELECT 1 FROM {table(Mailbox)} b WHERE b.id = {column("mailbox")}
            AND b.status = 'active')
        AND ({column("scheduled_at")} IS NULL OR {column("scheduled_at")} <= %s)
    """
