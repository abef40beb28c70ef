"""A/B/n: which variant of a step a lead gets, by weight, the same answer every time."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class VariantChoice:
    label: str
    weight: int


def assign_variant(variants: Sequence[VariantChoice], *, lead_id: int, step_id: int) -> str:
    """The label of the variant for (lead, step).

    A hash of the pair, read as a number in [0, 1), falls into one variant's share of the
    total weight (variants ordered by label). Zero-weight variants never win unless every
    weight is zero.
    """
    if not variants:
        raise ValueError("a step needs at least one variant")
    ordered = sorted(variants, key=lambda v: v.label)
    total = sum(max(v.weight, 0) for v in ordered)
    if total == 0:
        ordered, total = [VariantChoice(v.label, 1) for v in ordered], len(ordered)
    digest = hashlib.sha256(f"variant:{lead_id}:{step_id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64 * total
    for variant in ordered:
        point -= max(variant.weight, 0)
        if point < 0:
            return variant.label
    return ordered[-1].label
