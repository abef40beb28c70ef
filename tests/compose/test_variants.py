"""A/B/n variants: assigned per lead and step by weight, the same every time, stored on the draft."""

from collections import Counter

import pytest

from coldflow.compose.variants import VariantChoice, assign_variant


def test_assignment_follows_the_weights():
    variants = [VariantChoice("A", 1), VariantChoice("B", 1), VariantChoice("C", 2)]
    counts = Counter(assign_variant(variants, lead_id=n, step_id=5) for n in range(20_000))
    assert abs(counts["A"] / 20_000 - 0.25) < 0.015
    assert abs(counts["B"] / 20_000 - 0.25) < 0.015
    assert abs(counts["C"] / 20_000 - 0.50) < 0.015


def test_a_lead_gets_the_same_variant_every_time_whatever_the_order_given():
    variants = [VariantChoice("A", 3), VariantChoice("B", 1)]
    first = [assign_variant(variants, lead_id=n, step_id=2) for n in range(500)]
    again = [assign_variant(variants[::-1], lead_id=n, step_id=2) for n in range(500)]
    assert first == again


def test_steps_are_assigned_independently():
    variants = [VariantChoice("A", 1), VariantChoice("B", 1)]
    pairs = Counter(
        (
            assign_variant(variants, lead_id=n, step_id=1),
            assign_variant(variants, lead_id=n, step_id=2),
        )
        for n in range(4000)
    )
    assert len(pairs) == 4 and min(pairs.values()) > 800


def test_a_zero_weight_variant_is_never_chosen():
    variants = [VariantChoice("A", 0), VariantChoice("B", 1)]
    assert {assign_variant(variants, lead_id=n, step_id=1) for n in range(1000)} == {"B"}


def test_a_step_without_variants_is_an_error():
    with pytest.raises(ValueError):
        assign_variant([], lead_id=1, step_id=1)
