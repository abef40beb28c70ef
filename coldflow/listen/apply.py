"""Carrying out a consequences plan in the database, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from coldflow.analytics.events import record
from coldflow.campaigns.models import Campaign, CampaignStatus
from coldflow.contacts.models import EmailAddress, EmailOrigin, Lead, LeadStatus, Person
from coldflow.listen import consequences
from coldflow.listen.classify import Classification
from coldflow.listen.models import InboundMessage
from coldflow.send.models import (
    Enrollment,
    EnrollmentStatus,
    Mailbox,
    MailboxStatus,
    Suppression,
    SuppressionKind,
)

if TYPE_CHECKING:
    from coldflow.listen.inbox import ListenSettings

# A plain "replied" never overwrites what we already know better about the lead.
_KEEP_ON_REPLY = {
    LeadStatus.INTERESTED,
    LeadStatus.NOT_INTERESTED,
    LeadStatus.BOUNCED,
    LeadStatus.UNSUBSCRIBED,
}
_OPEN = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


def carry_out(
    inbound: InboundMessage,
    reading: Classification,
    settings: ListenSettings,
    now: datetime,
    own: frozenset[str],
) -> list[str]:
    mailbox = inbound.mailbox
    sent = inbound.matched_message
    lead = inbound.lead
    enrollment = _enrollment(sent, lead)
    refs = {
        "workspace_id": inbound.workspace_id,
        "mailbox": mailbox,
        "lead": lead,
        "campaign_id": sent.campaign_id if sent else (lead.campaign_id if lead else None),
        "message": sent,
    }
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
    written: list[str] = []

    def event(kind: str, **data) -> None:
        record(kind, data={"inbound_id": inbound.pk, **data}, **refs)
        written.append(kind)

    for kind, data in plan.events:
        event(kind, **data)
    for address, reason in plan.suppress:
        _, created = Suppression.objects.get_or_create(
            workspace_id=inbound.workspace_id,
            kind=SuppressionKind.ADDRESS,
            value=address.strip().lower(),
            defaults={
                "reason": reason,
                "source": f"inbound message {inbound.pk} ({mailbox.email})",
            },
        )
        if created:
            event("address.suppressed", address=address, reason=reason)
    if plan.stop_reason and enrollment is not None:
        stopped = Enrollment.objects.filter(pk=enrollment.pk, status__in=_OPEN).update(
            status=EnrollmentStatus.STOPPED, stop_reason=plan.stop_reason, next_action_at=None
        )
        if stopped:
            event("enrollment.stopped", reason=plan.stop_reason)
    if plan.postpone_until is not None and enrollment is not None:
        moved = Enrollment.objects.filter(pk=enrollment.pk, status=EnrollmentStatus.ACTIVE).update(
            next_action_at=plan.postpone_until
        )
        if moved:
            event("enrollment.postponed", until=plan.postpone_until.isoformat())
    if plan.lead_status and lead is not None:
        _set_lead_status(lead, plan.lead_status)
    if plan.pause_campaign and refs["campaign_id"]:
        paused = (
            Campaign.objects.filter(pk=refs["campaign_id"])
            .exclude(
                status__in=(
                    CampaignStatus.PAUSED,
                    CampaignStatus.COMPLETED,
                    CampaignStatus.CANCELLED,
                )
            )
            .update(status=CampaignStatus.PAUSED, status_reason=plan.pause_campaign)
        )
        if paused:
            event("campaign.paused", reason=plan.pause_campaign)
    if plan.pause_mailbox:
        paused = Mailbox.objects.filter(pk=mailbox.pk, status=MailboxStatus.ACTIVE).update(
            status=MailboxStatus.PAUSED_BY_SYSTEM,
            status_reason=plan.pause_mailbox,
            status_changed_at=now,
        )
        if paused:
            event("mailbox.paused", reason=plan.pause_mailbox)
    if plan.referral is not None and lead is not None:
        referred = _referred_lead(lead, *plan.referral)
        event(
            "lead.created", source="referral", lead_id=referred.pk, name=referred.person.full_name
        )
    return written


def _enrollment(sent, lead) -> Enrollment | None:
    if sent is not None and sent.enrollment_id is not None:
        return Enrollment.objects.filter(pk=sent.enrollment_id).first()
    if lead is not None:
        return Enrollment.objects.filter(lead=lead).first()
    return None


def _soft_bounces(lead: Lead | None) -> int:
    if lead is None:
        return 0
    from coldflow.analytics.models import Event

    return Event.objects.filter(lead=lead, kind="message.soft_bounced").count()


def _set_lead_status(lead: Lead, status: str) -> None:
    current = Lead.objects.filter(pk=lead.pk).values_list("status", flat=True).first()
    if current == LeadStatus.UNSUBSCRIBED and status != LeadStatus.UNSUBSCRIBED:
        return
    if status == LeadStatus.REPLIED and current in _KEEP_ON_REPLY:
        return
    Lead.objects.filter(pk=lead.pk).update(status=status)
    lead.status = status


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
