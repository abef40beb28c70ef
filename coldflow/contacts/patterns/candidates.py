"""Ranked address candidates for a person, from a learned domain pattern.

The confidence of a candidate is the model's probability that it is the person's address: the
sum over every template, spelling and name order that produces it, times the share of addresses
that follow any template at all. Candidates are guesses and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from coldflow.contacts.names import PersonName, parse_name
from coldflow.contacts.patterns.learning import DomainPattern, explanation_weight
from coldflow.contacts.patterns.name_forms import NameForms
from coldflow.contacts.patterns.templates import TEMPLATES

DEFAULT_LIMIT = 5
# Templates and spellings this improbable cannot reach the top of a list: skipping them saves work.
_NEGLIGIBLE = 2e-3


@dataclass(frozen=True)
class Candidate:
    email: str
    confidence: float
    template: str  # the template most of the confidence comes from
    guessed: bool = True  # False only for an address published for this very person


def generate_candidates(
    pattern: DomainPattern,
    name: PersonName | str,
    domain: str = "",
    limit: int = DEFAULT_LIMIT,
) -> list[Candidate]:
    parsed = parse_name(name) if isinstance(name, str) else name
    domain = (domain or pattern.domain).strip().lower()
    if parsed.is_empty or not domain:
        return []
    forms = NameForms(parsed)
    orders = (False, True) if forms.can_swap else (False,)
    theta = [pattern.template_probs[t.text] for t in TEMPLATES]
    totals: dict[str, float] = {}
    sources: dict[str, dict[str, float]] = {}
    for index, template in enumerate(TEMPLATES):
        if theta[index] < _NEGLIGIBLE:
            continue
        for swapped in orders:
            for local, assignment in forms.renderings(template, swapped):
                weight = explanation_weight(
                    (index, assignment, swapped),
                    forms,
                    theta,
                    pattern.style_probs,
                    pattern.order_probs,
                )
                totals[local] = totals.get(local, 0.0) + weight
                by_template = sources.setdefault(local, {})
                by_template[template.text] = by_template.get(template.text, 0.0) + weight
    followed = 1.0 - pattern.unexplained_rate
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [
        Candidate(
            email=f"{local}@{domain}",
            confidence=round(weight * followed, 4),
            template=max(sources[local], key=lambda t: sources[local][t]),
        )
        for local, weight in ranked
    ]
