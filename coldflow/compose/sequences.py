"""Sequences from TOML files, and the default one every campaign can start with."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from coldflow.compose.templates import check_template
from coldflow.errors import UserError


class SequenceFileError(UserError):
    pass


@dataclass(frozen=True)
class VariantSpec:
    label: str
    subject: str
    body: str
    html: bool = False
    weight: int = 1


@dataclass(frozen=True)
class StepSpec:
    delay_business_days: int
    variants: tuple[VariantSpec, ...]


@dataclass(frozen=True)
class SequenceSpec:
    name: str
    steps: tuple[StepSpec, ...]


def parse_sequence(text: str) -> SequenceSpec:
    """A sequence from TOML, every template checked; SequenceFileError says what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SequenceFileError(f"sequence file: {exc}") from None
    steps = []
    for number, step in enumerate(data.get("steps") or [], start=1):
        variants = []
        for variant in step.get("variants") or []:
            label = str(variant.get("label") or chr(ord("A") + len(variants)))
            body = str(variant.get("body") or "").strip()
            if not body:
                raise SequenceFileError(f"sequence file: step {number} variant {label} has no body")
            subject = str(variant.get("subject") or "").strip()
            if number == 1 and not subject:
                raise SequenceFileError("sequence file: the first step needs a subject")
            weight = variant.get("weight", 1)
            if not isinstance(weight, int) or weight < 0:
                raise SequenceFileError(f"sequence file: step {number} variant {label}: bad weight")
            check_template(subject)
            check_template(body)
            variants.append(VariantSpec(label, subject, body, bool(variant.get("html")), weight))
        if not variants:
            raise SequenceFileError(f"sequence file: step {number} has no variants")
        if len({v.label for v in variants}) != len(variants):
            raise SequenceFileError(f"sequence file: step {number} repeats a variant label")
        steps.append(StepSpec(int(step.get("delay_business_days", 3)), tuple(variants)))
    if not steps:
        raise SequenceFileError("sequence file: no steps")
    return SequenceSpec(str(data.get("name") or "Sequence"), tuple(steps))


def default_sequence() -> SequenceSpec:
    text = resources.files("coldflow.compose").joinpath("default_sequence.toml").read_text("utf-8")
    return parse_sequence(text)


@transaction.atomic
def create_sequence(workspace, spec: SequenceSpec):
    from coldflow.campaigns.models import Sequence, SequenceStep, StepVariant

    sequence = Sequence.objects.create(workspace=workspace, name=spec.name)
    for position, step_spec in enumerate(spec.steps):
        step = SequenceStep.objects.create(
            sequence=sequence,
            position=position,
            delay_business_days=step_spec.delay_business_days,
        )
        StepVariant.objects.bulk_create(
            StepVariant(
                step=step,
                label=v.label,
                subject_template=v.subject,
                body_template=v.body,
                html=v.html,
                weight=v.weight,
            )
            for v in step_spec.variants
        )
    return sequence


@transaction.atomic
def ensure_default_sequence(campaign):
    """The campaign's sequence, creating the default one when it has none (safe to repeat)."""
    from coldflow.campaigns.models import Campaign

    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.sequence_id is None:
        locked.sequence = create_sequence(locked.workspace, default_sequence())
        locked.save(update_fields=["sequence"])
    campaign.sequence = locked.sequence
    return locked.sequence
