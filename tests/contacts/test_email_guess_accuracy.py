"""Leave-one-out on a seeded synthetic world (tests/contacts/synthetic_people.py)."""

import pytest

from coldflow.contacts.patterns.evaluation import leave_one_out, majority_guesser
from coldflow.contacts.patterns.learning import KnownAddress
from tests.contacts.synthetic_people import synthetic_domains


@pytest.fixture(scope="module")
def evaluation():
    return leave_one_out(synthetic_domains(seed=7, count=40))


def test_it_beats_always_first_last_and_the_most_fitting_template(evaluation):
    assert evaluation.cases > 200
    assert evaluation.top1 > evaluation.majority_top1 + 0.05
    assert evaluation.top1 > evaluation.first_last_top1 + 0.4
    assert evaluation.top3 > evaluation.majority_top3 + 0.05


def test_its_top_three_come_close_to_everything_a_template_can_explain(evaluation):
    assert evaluation.top3 >= evaluation.explainable - 0.03


def test_its_confidence_tracks_the_hit_rate(evaluation):
    bins = [b for b in evaluation.calibration if b.candidates >= 20]
    assert len(bins) >= 5
    for b in bins:
        assert abs(b.mean_confidence - b.hit_rate) < 0.25, b
    assert bins[0].hit_rate < 0.05
    assert bins[-1].hit_rate > 0.85


def test_the_majority_baseline_picks_the_template_most_examples_fit():
    known = [
        KnownAddress("John Smith", "jsmith@acme.com"),
        KnownAddress("Mary Jones", "mjones@acme.com"),
        KnownAddress("Tom Kurz", "tom.kurz@acme.com"),
    ]
    assert [e for e, _ in majority_guesser(known, "Anna Berg", "acme.com")] == [
        "aberg@acme.com",
        "anna.berg@acme.com",
        "anna@acme.com",
    ]
