"""Recording verification results on the stored addresses, every step included."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction
from django.db.models.functions import Lower

from coldflow.contacts.models import EmailAddress, VerificationStep
from coldflow.contacts.verify import VerificationResult


@transaction.atomic
def record_verifications(workspace, results: list[VerificationResult]) -> None:
    by_address = {r.address.lower(): r for r in results}
    emails = EmailAddress.objects.annotate(lower=Lower("address")).filter(
        workspace=workspace, lower__in=list(by_address)
    )
    for email in emails:
        result = by_address[email.address.lower()]
        checked = datetime.fromtimestamp(result.checked_at, tz=UTC)
        email.verdict = result.verdict
        email.verdict_confidence = result.confidence
        email.verified_at = checked
        email.save(update_fields=["verdict", "verdict_confidence", "verified_at"])
        email.verification_steps.all().delete()
        VerificationStep.objects.bulk_create(
            VerificationStep(
                email=email, step=s.name, outcome=s.outcome, detail=s.detail[:1000], at=checked
            )
            for s in result.steps
        )
