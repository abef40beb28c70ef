"""Finding addresses for researched people who have none published.

The domain's pattern is learned from the addresses found on its site; each person without an
address gets the top candidate stored as `guessed` (never shown as found), with its calibrated
confidence and the pattern it follows. The learned pattern is kept on DomainInfo.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower

from coldflow.contacts.models import DomainInfo, EmailAddress, Person
from coldflow.contacts.patterns.candidates import generate_candidates
from coldflow.contacts.patterns.learning import KnownAddress, learn_pattern
from coldflow.research.models import Company


@transaction.atomic
def guess_missing_addresses(company: Company) -> int:
    """Store a guessed address for every person of the company without one; returns how many."""
    domain = company.domain.lower()
    known = [
        KnownAddress(name=email.person.full_name, email=email.address)
        for email in EmailAddress.objects.filter(
            company=company, person__isnull=False, origin__in=("found", "imported")
        ).select_related("person")
        if email.address.lower().endswith("@" + domain)
    ]
    pattern = learn_pattern(known, domain)
    DomainInfo.objects.update_or_create(
        domain=domain,
        defaults={
            "pattern": pattern.best or "",
            "pattern_support": pattern.support,
            "pattern_conflicts": [
                {"pattern": fit.template, "support": fit.support} for fit in pattern.conflicts
            ],
        },
    )
    guessed = 0
    for person in Person.objects.filter(company=company).exclude(emails__isnull=False):
        candidates = generate_candidates(pattern, person.full_name, domain, limit=1)
        if not candidates:
            continue
        best = candidates[0]
        taken = (
            EmailAddress.objects.annotate(lower=Lower("address"))
            .filter(workspace=company.workspace, lower=best.email.lower())
            .exists()
        )
        if taken:
            continue
        EmailAddress.objects.create(
            workspace=company.workspace,
            address=best.email,
            domain=domain,
            company=company,
            person=person,
            origin="guessed",
            confidence=best.confidence,
            pattern=best.template,
        )
        guessed += 1
    return guessed
