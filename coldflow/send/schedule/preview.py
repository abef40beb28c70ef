"""`coldflow schedule`: the dispatcher run forward on a simulated clock, sending nothing.

Starts from the database as it is (enrollments, today's counts per mailbox, domain and
campaign, the suppression list), adds the READY leads that the next tick would enrol, and
assumes every follow-up draft is approved in time and nobody replies. Other campaigns sharing
the mailboxes count only with what they already sent today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef

from coldflow.campaigns.models import Campaign
from coldflow.contacts.models import Lead, LeadStatus
from coldflow.send.decision import FINAL_LEAD_STATUSES
from coldflow.send.models import (
    CampaignMailbox,
    Enrollment,
    EnrollmentStatus,
    MessageState,
    OutboundMessage,
    Suppression,
)
from coldflow.send.schedule.business_days import after_business_days, zone
from coldflow.send.schedule.dispatch import (
    calendar_of,
    campaign_counts,
    campaign_rules,
    load_mailboxes,
    planner_seed,
    recipient_tz_of,
    step_delays,
)
from coldflow.send.schedule.simulate import SimCampaign, SimLead, Simulation


@dataclass(frozen=True)
class PlannedRow:
    at: datetime
    local_time: datetime
    recipient_tz: str
    mailbox: str
    lead: str
    to_address: str
    step: int  # position: 0 is the first email

    def as_dict(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "local_time": self.local_time.isoformat(),
            "recipient_timezone": self.recipient_tz,
            "mailbox": self.mailbox,
            "lead": self.lead,
            "to": self.to_address,
            "step": self.step,
        }


def preview(campaign: Campaign, now: datetime, days: int) -> list[PlannedRow]:
    mailbox_ids = list(
        CampaignMailbox.objects.filter(campaign=campaign)
        .order_by("id")
        .values_list("mailbox_id", flat=True)
    )
    rules = campaign_rules(campaign, mailbox_ids)
    calendar = calendar_of(campaign)
    by_position = step_delays([campaign.sequence_id]).get(campaign.sequence_id, {})
    positions = sorted(by_position)
    delays = tuple(by_position[p] for p in positions)
    sim_campaign = SimCampaign(rules, calendar, delays, campaign.stop_on_interested)

    leads: list[SimLead] = []
    labels: dict[int, tuple[str, str]] = {}
    rows = Enrollment.objects.filter(campaign=campaign, status=EnrollmentStatus.ACTIVE).values_list(
        "pk",
        "lead_id",
        "next_step",
        "next_action_at",
        "mailbox_id",
        "lead__email__address",
        "lead__person__full_name",
        "lead__company__country",
        "lead__company__city",
        "lead__status",
    )
    for pk, lead_id, step, due, mailbox_id, address, name, country, city, status in rows:
        if not address or status in FINAL_LEAD_STATUSES or step not in positions:
            continue
        index = positions.index(step)
        tz = recipient_tz_of(country, city)
        if due is None:
            # In flight: its step goes out now; show the steps after it.
            index += 1
            if index >= len(positions):
                continue
            due = after_business_days(now, delays[index], calendar, tz or campaign.timezone)
        leads.append(
            SimLead(
                pk, lead_id, campaign.pk, address, due, tz, next_step=index, mailbox_id=mailbox_id
            )
        )
        labels[lead_id] = (name, address)

    first_draft = OutboundMessage.objects.filter(
        lead=OuterRef("pk"),
        campaign_id=campaign.pk,
        state=MessageState.APPROVED,
        step__position=0,
    )
    waiting = (
        Lead.objects.filter(campaign=campaign, status=LeadStatus.READY, enrollment__isnull=True)
        .filter(Exists(first_draft))
        .values_list(
            "pk", "email__address", "person__full_name", "company__country", "company__city"
        )
    )
    for lead_id, address, name, country, city in waiting:
        if address and positions:
            tz = recipient_tz_of(country, city)
            leads.append(SimLead(-lead_id, lead_id, campaign.pk, address, now, tz))
            labels[lead_id] = (name, address)

    mailboxes = load_mailboxes(
        now, set(mailbox_ids) | {lead.mailbox_id for lead in leads if lead.mailbox_id}
    )
    domain_counts, new_leads = campaign_counts(now, [campaign])
    suppressed = Suppression.objects.filter(workspace_id=campaign.workspace_id)
    simulation = Simulation(
        campaigns={campaign.pk: sim_campaign},
        mailboxes={pk: state for pk, (state, _) in mailboxes.items()},
        leads=leads,
        seed=planner_seed(),
        suppressed_addresses=set(suppressed.filter(kind="address").values_list("value", flat=True)),
        suppressed_domains=set(suppressed.filter(kind="domain").values_list("value", flat=True)),
        initial_domain_counts=domain_counts,
        initial_new_leads=new_leads,
    )
    sends = simulation.run(now, now + timedelta(days=days))
    emails = {pk: email for pk, (_, email) in mailboxes.items()}
    result = []
    for send in sends:
        name, address = labels[send.lead_id]
        result.append(
            PlannedRow(
                at=send.at,
                local_time=send.at.astimezone(zone(send.recipient_tz)),
                recipient_tz=send.recipient_tz,
                mailbox=emails.get(send.mailbox_id, str(send.mailbox_id)),
                lead=name,
                to_address=address,
                step=positions[send.step],
            )
        )
    return result
