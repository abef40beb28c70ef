"""What a person can do to leads from the dashboard (the leads table's bulk actions and the
inbox's quick actions), each stopping the lead's sequence where it should and audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from coldflow.accounts.access import Access, audit
from coldflow.analytics.events import record
from coldflow.contacts.models import Lead
from coldflow.send.models import Enrollment
from coldflow.send.suppression import set_lead_status, stop_enrollment, suppress

ACTIONS = {
    "disqualify": "Disqualify",
    "stop": "Stop the sequence",
    "suppress": "Suppress the address",
    "interested": "Mark interested",
}


def _stop(lead: Lead, reason: str) -> None:
    for enrollment in Enrollment.objects.filter(lead=lead, status__in=("active", "paused")):
        stop_enrollment(enrollment, reason, data={"by": "dashboard"})


@transaction.atomic
def apply(access: Access, action: str, leads: Iterable[Lead]) -> list[int]:
    """Apply `action` to leads already scoped to the access's workspace; the ids changed."""
    access.require_write()
    if action not in ACTIONS:
        raise ValueError(f"unknown lead action {action!r}")
    changed = []
    for lead in leads:
        if action == "disqualify":
            _stop(lead, "disqualified")
            Lead.objects.filter(pk=lead.pk).update(status="disqualified")
        elif action == "stop":
            _stop(lead, "stopped by hand")
            set_lead_status(lead.pk, "stopped")
        elif action == "suppress":
            address = lead.email.address if lead.email_id else ""
            if address:
                suppress(
                    access.workspace.pk, "address", address, "manual", f"dashboard: {access.actor}"
                )
            _stop(lead, "suppressed")
            set_lead_status(lead.pk, "stopped")
        elif action == "interested":
            if lead.campaign.stop_on_interested:
                _stop(lead, "interested")
            set_lead_status(lead.pk, "interested")
            record(
                "lead.marked",
                workspace_id=access.workspace.pk,
                campaign_id=lead.campaign_id,
                lead_id=lead.pk,
                data={"status": "interested", "by": access.actor},
            )
        changed.append(lead.pk)
    if changed:
        audit(
            access, f"lead.{action}", ("lead", ",".join(map(str, changed[:8]))), {"leads": changed}
        )
    return changed
