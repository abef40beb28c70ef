"""Leave-one-out evaluation of address guessing, with the baselines it must beat.

For every person of every domain: learn from the domain's other people, guess the held-out
person's address, and score top-1 and top-3. Two baselines run on the same cases: "always
first.last", and "pick the template most examples fit" (plain spelling, name as parsed, ties
broken by popularity). `explainable` is the share of held-out addresses that any template,
spelling and name order can produce at all: the ceiling for every method here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from coldflow.contacts.names import parse_name
from coldflow.contacts.patterns.candidates import generate_candidates
from coldflow.contacts.patterns.learning import (
    KnownAddress,
    explain,
    learn_pattern,
    usable_examples,
)
from coldflow.contacts.patterns.name_forms import NameForms
from coldflow.contacts.patterns.templates import POPULARITY, TEMPLATES, parse_template, render

CALIBRATION_EDGES = (0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0001)
# The plain spelling of the baseline: diacritics stripped, compounds joined, particles kept.
_PLAIN = {"diacritics": "strip"}

Guesser = Callable[[Sequence[KnownAddress], str, str], list[tuple[str, float]]]


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    candidates: int
    mean_confidence: float
    hit_rate: float


@dataclass(frozen=True)
class Evaluation:
    cases: int
    top1: float
    top3: float
    first_last_top1: float
    majority_top1: float
    majority_top3: float
    explainable: float
    # Over the top three candidates of every case: does confidence track the hit rate?
    calibration: tuple[CalibrationBin, ...]


def model_guesser(known: Sequence[KnownAddress], name: str, domain: str) -> list[tuple[str, float]]:
    pattern = learn_pattern(known, domain)
    return [(c.email, c.confidence) for c in generate_candidates(pattern, name, domain, limit=3)]


def majority_guesser(
    known: Sequence[KnownAddress], name: str, domain: str
) -> list[tuple[str, float]]:
    """The template that most known addresses fit, then the next ones."""
    counts = dict.fromkeys(POPULARITY, 0)
    for person, local in usable_examples(known):
        tokens = NameForms(person).tokens(_PLAIN, swapped=False)
        for template in TEMPLATES:
            if render(template, tokens) == local:
                counts[template.text] += 1
    ranked = sorted(POPULARITY, key=lambda t: (-counts[t], -POPULARITY[t]))
    tokens = NameForms(parse_name(name)).tokens(_PLAIN, swapped=False)
    guesses: list[tuple[str, float]] = []
    for template in ranked:
        local = render(parse_template(template), tokens)
        email = f"{local}@{domain}"
        if local and email not in (g for g, _ in guesses):
            guesses.append((email, 0.0))
        if len(guesses) == 3:
            break
    return guesses


def first_last_guesser(
    known: Sequence[KnownAddress], name: str, domain: str
) -> list[tuple[str, float]]:
    tokens = NameForms(parse_name(name)).tokens(_PLAIN, swapped=False)
    local = render(parse_template("{first}.{last}"), tokens)
    return [(f"{local}@{domain}", 0.0)] if local else []


def leave_one_out(
    domains: Mapping[str, Sequence[KnownAddress]], guesser: Guesser = model_guesser
) -> Evaluation:
    hits = {"top1": 0, "top3": 0, "first_last": 0, "majority1": 0, "majority3": 0}
    explainable = 0
    cases = 0
    scored: list[tuple[float, bool]] = []
    for domain, people in domains.items():
        for index, person in enumerate(people):
            others = [p for i, p in enumerate(people) if i != index]
            if not others:
                continue
            cases += 1
            truth = person.email.strip().lower()
            guesses = guesser(others, person.name, domain)
            emails = [email for email, _ in guesses]
            hits["top1"] += emails[:1] == [truth]
            hits["top3"] += truth in emails[:3]
            scored += [(confidence, email == truth) for email, confidence in guesses[:3]]
            hits["first_last"] += [
                e for e, _ in first_last_guesser(others, person.name, domain)
            ] == [truth]
            majority = [e for e, _ in majority_guesser(others, person.name, domain)]
            hits["majority1"] += majority[:1] == [truth]
            hits["majority3"] += truth in majority
            local = truth.rpartition("@")[0]
            explainable += bool(explain(NameForms(parse_name(person.name)), local))
    share = (lambda n: n / cases) if cases else (lambda n: 0.0)
    return Evaluation(
        cases=cases,
        top1=share(hits["top1"]),
        top3=share(hits["top3"]),
        first_last_top1=share(hits["first_last"]),
        majority_top1=share(hits["majority1"]),
        majority_top3=share(hits["majority3"]),
        explainable=share(explainable),
        calibration=_calibration(scored),
    )


def _calibration(scored: list[tuple[float, bool]]) -> tuple[CalibrationBin, ...]:
    bins = []
    for low, high in zip(CALIBRATION_EDGES, CALIBRATION_EDGES[1:], strict=False):
        inside = [(c, hit) for c, hit in scored if low <= c < high]
        if inside:
            bins.append(
                CalibrationBin(
                    low=low,
                    high=min(high, 1.0),
                    candidates=len(inside),
                    mean_confidence=sum(c for c, _ in inside) / len(inside),
                    hit_rate=sum(hit for _, hit in inside) / len(inside),
                )
            )
    return tuple(bins)
