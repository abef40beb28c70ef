"""Carrying out a consequences plan in the database, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from coldflow.analytics.events import record
from coldflow.analytics.models import Event
from coldflow.contacts.models import EmailAddress, EmailOrigin, Lead, Person
from coldflow.listen import consequences
from coldflow.listen.classify import Classification
from coldflow.listen.models import InboundMessage
from coldflow.send.auto_pause import check_bounce_rates, record_complaint
from coldflow.send.mailboxes import SYSTEM, pause_mailbox
from coldflow.send.models import Enrollment, EnrollmentStatus
from coldflow.send.suppression import (
    apply_hard_bounce,
    apply_unsubscribe,
    set_lead_status,
    stop_enrollment,
    suppress,
)

if TYPE_CHECKING:
    from coldflow.listen.inbox import ListenSettings

_OPEN = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


def carry_out(
    inbound: InboundMessage,
    reading: Classification,
    settings: ListenSettings,
    now: datetime,
    own: frozenset[str],
) -> list[str]:
    """Act on the plan through the send stage's functions; returns the event kinds written."""
    mailbox = inbound.mailbox
    sent = inbound.matched_message
    lead = inbound.lead
    enrollment = _enrollment(sent, lead)
    context = consequences.Context(
        matched=sent is not None,
        lead_address=sent.to_address.lower() if sent else "",
        enrollment_active=enrollment is not None and enrollment.status in _OPEN,
        next_action_at=enrollment.next_action_at if enrollment else None,
        soft_bounces=_soft_bounces(lead) if reading.kind == "bounce" else 0,
        own_addresses=own,
    )
    policy = consequences.Policy(
        auto_reply_postpone_days=settings.auto_reply_postpone_days,
        soft_bounce_limit=settings.soft_bounce_limit,
    )
    plan = consequences.plan(reading, context, now, policy)
    cause = {"inbound_id": inbound.pk}
    source = f"inbound message {inbound.pk} ({mailbox.email})"

    for kind, data in plan.events:
        record(
            kind,
            data={**cause, **data},
            workspace_id=inbound.workspace_id,
            mailbox=mailbox,
            lead=lead,
            campaign_id=sent.campaign_id if sent else (lead.campaign_id if lead else None),
            message=sent,
        )
    if sent is not None:
        for failure in plan.hard_bounces:
            detail = " ".join(filter(None, (failure["status"], failure["reason"])))
            apply_hard_bounce(
                sent,
                detail or "delivery report",
                stage="report",
                address=failure["address"],
                data={**cause, "status": failure["status"], "reason": failure["reason"]},
            )
        if plan.hard_bounces:
            check_bounce_rates(sent, settings.bounce_threshold, data=cause)
        if plan.unsubscribe:
            apply_unsubscribe(sent, source, data=cause)
        if plan.complaint:
            record_complaint(sent, plan.complaint, data=cause)
    for address, reason in plan.suppress:
        suppress(inbound.workspace_id, "address", address, reason, source, message=sent, data=cause)
    if plan.stop_reason:
        stop_enrollment(enrollment, plan.stop_reason, data=cause)
    if plan.postpone_until is not None and enrollment is not None:
        moved = Enrollment.objects.filter(pk=enrollment.pk, status=EnrollmentStatus.ACTIVE).update(
            next_action_at=plan.postpone_until
        )
        if moved:
            record(
                "enrollment.postponed",
                data={**cause, "until": plan.postpone_until.isoformat()},
                workspace_id=inbound.workspace_id,
                campaign_id=enrollment.campaign_id,
                lead_id=enrollment.lead_id,
            )
    if plan.lead_status and lead is not None:
        set_lead_status(lead.pk, plan.lead_status)
    if plan.pause_mailbox:
        pause_mailbox(mailbox, plan.pause_mailbox, by=SYSTEM, data=cause)
    if plan.referral is not None and lead is not None:
        referred = _referred_lead(lead, *plan.referral)
        record(
            "lead.created",
            data={
                **cause,
                "source": "referral",
                "lead_id": referred.pk,
                "name": referred.person.full_name,
            },
            workspace_id=inbound.workspace_id,
            campaign_id=lead.campaign_id,
            lead=lead,
        )
    # Every event above carries the inbound message's id, whichever function wrote it.
    return list(
        Event.objects.filter(
            workspace_id=inbound.workspace_id, at__gte=now, data__inbound_id=inbound.pk
        )
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def _enrollment(sent, lead) -> Enrollment | None:
    if sent is not None and sent.enrollment_id is not None:
        return Enrollment.objects.filter(pk=sent.enrollment_id).first()
    if lead is not None:
        return Enrollment.objects.filter(lead=lead).first()
    return None


def _soft_bounces(lead: Lead | None) -> int:
    if lead is None:
        return 0
    return Event.objects.filter(lead=lead, kind="message.soft_bounced").count()


def _referred_lead(lead: Lead, name: str, email: str) -> Lead:
    """The person a reply points to, as a new lead of the same campaign and company."""
    from coldflow.contacts.names import parse_name
    from coldflow.research.store import name_key

    parsed = parse_name(name)
    person, _ = Person.objects.get_or_create(
        company_id=lead.company_id,
        name_key=name_key(name),
        defaults={
            "workspace_id": lead.workspace_id,
            "full_name": (parsed.display or name)[:300],
            "given_name": parsed.given[:150],
            "family_name": parsed.family_with_particles[:150],
        },
    )
    address = None
    if email:
        address = EmailAddress.objects.filter(
            workspace_id=lead.workspace_id, address__iexact=email
        ).first() or EmailAddress.objects.create(
            workspace_id=lead.workspace_id,
            address=email,
            domain=email.rpartition("@")[2],
            person=person,
            company_id=lead.company_id,
            origin=EmailOrigin.REFERRAL,
        )
    referred, _ = Lead.objects.get_or_create(
        campaign_id=lead.campaign_id,
        person=person,
        defaults={
            "workspace_id": lead.workspace_id,
            "company_id": lead.company_id,
            "email": address,
        },
    )
    return referred
