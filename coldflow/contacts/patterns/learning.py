"""Learn a domain's address pattern from known name/address pairs.

The model: the company picks a template (first.last, flast...), a spelling style (umlauts
written out or stripped, which part of a double family name...) and writes each person's name
in the order we parsed it or, now and then, in the other order. Some addresses follow no
template at all (nicknames, "jsmith2", legacy accounts).

A known address is often explained several ways: "anna@" by {first}, "anna.anna@" by every
template with a dot, "wang.wei@" for "Wang Wei" by {first}.{last} with the name swapped or by
{last}.{first} as written. Expectation-maximisation shares each example among its explanations
in proportion to how probable they are under the current estimate, then re-estimates from those
shares; a few rounds settle it. Every estimate is a posterior mean over a popularity prior, so a
domain with one example still leans on what is common elsewhere, and one with twenty does not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from coldflow.contacts.names import PersonName, parse_name
from coldflow.contacts.patterns.name_forms import STYLE_CHOICES, Assignment, NameForms
from coldflow.contacts.patterns.templates import POPULARITY, TEMPLATES

# How many examples the popularity prior is worth.
TEMPLATE_PRIOR_WEIGHT = 0.25
STYLE_PRIOR_WEIGHT = 1.0
STYLE_PRIORS: dict[str, dict[str, float]] = {
    "diacritics": {"expand": 0.5, "strip": 0.46, "keep": 0.04},
    "cyrillic": {"bgn": 0.4, "simple": 0.3, "icao": 0.15, "german": 0.15},
    "korean": {"customary": 0.8, "revised": 0.2},
    "given_compound": {"join": 0.45, "first_part": 0.25, "hyphen": 0.2, "separator": 0.1},
    "family_compound": {
        "join": 0.4,
        "hyphen": 0.25,
        "first_part": 0.2,
        "separator": 0.08,
        "last_part": 0.07,
    },
    "particles": {"keep": 0.75, "drop": 0.25},
    "initials": {"first": 0.8, "all": 0.2},
    "nickname": {"unused": 0.6, "used": 0.4},
    "middle_name": {"separate": 0.85, "joined": 0.15},
    "han_reading": {"chinese": 0.65, "japanese": 0.35},
    "long_vowels": {"short": 0.6, "oh": 0.2, "spelled": 0.2},
}
# German-speaking companies mostly write umlauts out, and romanise Cyrillic the German way.
_GERMAN_TLDS = ("de", "at", "ch", "li")
_GERMAN_STYLE_PRIORS = {
    "diacritics": {"expand": 0.75, "strip": 0.23, "keep": 0.02},
    "cyrillic": {"bgn": 0.3, "simple": 0.2, "icao": 0.15, "german": 0.35},
}
# Two or three Chinese characters read as Chinese or as Japanese: the country decides most.
_HAN_READING_BY_TLD = {
    "jp": {"chinese": 0.1, "japanese": 0.9},
    **dict.fromkeys(("cn", "tw", "hk", "mo", "sg"), {"chinese": 0.97, "japanese": 0.03}),
}
# Names whose writing shows their order ("MÜLLER, Hans", "毛泽东", "Anna Berg"): the prior share
# written the other way round all the same, and its weight.
SWAP_PRIOR = (0.03, 4.0)
# Names whose order was guessed from lists of names ("Nagy Péter", "Wang Wei"): how likely the
# name itself is family-first, by the parser's guess, combined with how the domain's pages write
# such names (learned from its examples, prior 0.5 with this weight).
FAMILY_FIRST_BY_GUESS = {True: 0.7, False: 0.35}
PAGE_ORDER_PRIOR_WEIGHT = 2.0
# Share of addresses no template explains, and its weight.
UNEXPLAINED_PRIOR = (0.05, 4.0)
EM_ROUNDS = 25


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Local parts that belong to a function, not a person.
ROLE_LOCAL_PARTS = _words(
    """
    abuse accounts admin bewerbung bewerbungen billing booking bookings buchhaltung career careers
    contact datenschutz empfang enquiries finance hallo hello help hr info inquiries invoice
    invoices jobs karriere kontakt legal mail mailbox marketing newsletter no-reply noreply office
    post postmaster press presse privacy reception rechnung sales security service support team
    vertrieb verwaltung webmaster zentrale
    """
)
# Personal mailboxes say nothing about a company's pattern.
FREEMAIL_DOMAINS = _words(
    """
    126.com 163.com aol.com freenet.de gmail.com gmx.at gmx.ch gmx.de gmx.net googlemail.com
    hanmail.net hotmail.com hotmail.de icloud.com live.com mail.ru mailbox.org me.com msn.com
    naver.com outlook.com outlook.de posteo.de proton.me protonmail.com qq.com t-online.de web.de
    yahoo.com yahoo.de yandex.com yandex.ru
    """
)


@dataclass(frozen=True)
class KnownAddress:
    name: str
    email: str


@dataclass(frozen=True)
class TemplateFit:
    template: str
    support: int  # known addresses this template explains
    share: float  # its estimated probability for the next address of the domain


@dataclass(frozen=True)
class DomainPattern:
    domain: str
    fits: tuple[TemplateFit, ...]  # templates with evidence, most probable first
    examples: int  # known addresses used
    unexplained: int  # of which no template explains
    template_probs: dict[str, float]
    style_probs: dict[str, dict[str, float]]
    # "swapped": share of names with a visible order written the other way round;
    # "family_first": share of names with a guessed order that the pages write family first.
    order_probs: dict[str, float]
    unexplained_rate: float
    # Examples each template explains (indices into the used examples), for conflicts.
    explained: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)

    @property
    def best(self) -> str:
        return max(self.template_probs, key=lambda t: self.template_probs[t])

    @property
    def support(self) -> int:
        return next((fit.support for fit in self.fits if fit.template == self.best), 0)

    @property
    def conflicts(self) -> tuple[TemplateFit, ...]:
        """Templates explaining known addresses that the best template does not explain."""
        covered = self.explained.get(self.best, frozenset())
        return tuple(
            fit
            for fit in self.fits
            if fit.template != self.best and self.explained[fit.template] - covered
        )


@dataclass
class _Example:
    forms: NameForms
    # (template index, style answers, swapped)
    explanations: list[tuple[int, Assignment, bool]]


def usable_examples(known: Iterable[KnownAddress]) -> list[tuple[PersonName, str]]:
    """Parsed names and local parts of the known addresses that can teach a pattern."""
    seen = set()
    usable = []
    for item in known:
        local, _, host = item.email.strip().lower().rpartition("@")
        if not local or not host or local in ROLE_LOCAL_PARTS or host in FREEMAIL_DOMAINS:
            continue
        name = parse_name(item.name)
        if name.is_empty or (name.display, local) in seen:
            continue
        seen.add((name.display, local))
        usable.append((name, local))
    return usable


def explain(forms: NameForms, local: str) -> list[tuple[int, Assignment, bool]]:
    """Every (template, style, order) that turns this name into this local part."""
    return list(_explanations(forms.name, local))


# The same known addresses come back case after case in a batch (every person of a company is
# asked about with the others as examples), so their explanations are remembered.
@lru_cache(maxsize=65_536)
def _explanations(name: PersonName, local: str) -> tuple[tuple[int, Assignment, bool], ...]:
    forms = NameForms(name)
    orders = (False, True) if forms.can_swap else (False,)
    return tuple(
        (index, assignment, swapped)
        for index, template in enumerate(TEMPLATES)
        for swapped in orders
        for assignment in forms.matches(template, swapped, local)
    )


def learn_pattern(known: Iterable[KnownAddress], domain: str = "") -> DomainPattern:
    examples = [
        _Example(forms, explain(forms, local))
        for forms, local in ((NameForms(name), local) for name, local in usable_examples(known))
    ]
    style_priors = _style_priors(domain)
    template_prior = _normalised(POPULARITY)
    priors = [template_prior[t.text] for t in TEMPLATES]
    theta, phi = list(priors), {q: dict(p) for q, p in style_priors.items()}
    psi = {"swapped": SWAP_PRIOR[0], "family_first": 0.5}
    explained_examples = [e for e in examples if e.explanations]
    for _ in range(EM_ROUNDS if explained_examples else 0):
        previous = theta
        theta, phi, psi = _em_round(explained_examples, theta, phi, psi, priors, style_priors)
        if max(abs(a - b) for a, b in zip(theta, previous, strict=True)) < 1e-4:
            break
    prior_rate, prior_weight = UNEXPLAINED_PRIOR
    unexplained = len(examples) - len(explained_examples)
    rate = (prior_rate * prior_weight + unexplained) / (prior_weight + len(examples))
    explained = _explained_by(explained_examples, theta, phi, psi)
    template_probs = {t.text: p for t, p in zip(TEMPLATES, theta, strict=True)}
    fits = sorted(
        (TemplateFit(t, len(ids), round(template_probs[t], 4)) for t, ids in explained.items()),
        key=lambda fit: -template_probs[fit.template],
    )
    return DomainPattern(
        domain=domain.strip().lower(),
        fits=tuple(fits),
        examples=len(examples),
        unexplained=unexplained,
        template_probs=template_probs,
        style_probs=phi,
        order_probs=psi,
        unexplained_rate=rate,
        explained={t: frozenset(ids) for t, ids in explained.items()},
    )


def explanation_weight(
    explanation: tuple[int, Assignment, bool],
    forms: NameForms,
    theta: list[float],
    phi: dict[str, dict[str, float]],
    orders: dict[str, float],
) -> float:
    index, assignment, swapped = explanation
    weight = theta[index] * math.prod(phi[q][a] for q, a in assignment)
    return weight * order_weight(forms, swapped, orders)


def order_weight(forms: NameForms, swapped: bool, orders: dict[str, float]) -> float:
    """Probability that the name was written in the order `swapped` implies."""
    if not forms.can_swap:
        return 1.0
    name = forms.name
    if name.order_certain:
        return orders["swapped"] if swapped else 1.0 - orders["swapped"]
    by_name = FAMILY_FIRST_BY_GUESS[name.family_first]
    by_pages = orders["family_first"]
    odds = by_name / (1.0 - by_name) * by_pages / (1.0 - by_pages)
    family_first = odds / (1.0 + odds)
    return family_first if name.family_first != swapped else 1.0 - family_first


def _em_round(
    examples: list[_Example],
    theta: list[float],
    phi: dict[str, dict[str, float]],
    psi: dict[str, float],
    priors: list[float],
    style_priors: dict[str, dict[str, float]],
) -> tuple[list[float], dict[str, dict[str, float]], dict[str, float]]:
    template_counts = [0.0] * len(theta)
    style_counts = {q: dict.fromkeys(choices, 0.0) for q, choices in STYLE_CHOICES.items()}
    # [expected count, examples] of swapped certain names and of family-first uncertain ones.
    order_counts = {"swapped": [0.0, 0.0], "family_first": [0.0, 0.0]}
    for example in examples:
        forms = example.forms
        weights = [explanation_weight(e, forms, theta, phi, psi) for e in example.explanations]
        total = sum(weights)
        kind = "swapped" if forms.name.order_certain else "family_first"
        for (index, assignment, swapped), weight in zip(example.explanations, weights, strict=True):
            share = weight / total
            template_counts[index] += share
            for question, answer in assignment:
                style_counts[question][answer] += share
            ordered = swapped if kind == "swapped" else forms.name.family_first != swapped
            order_counts[kind][0] += share if ordered else 0.0
        if forms.can_swap:
            order_counts[kind][1] += 1.0
    n = len(examples)
    theta = [
        (TEMPLATE_PRIOR_WEIGHT * prior + count) / (TEMPLATE_PRIOR_WEIGHT + n)
        for prior, count in zip(priors, template_counts, strict=True)
    ]
    phi = {
        question: _posterior(style_priors[question], counts, STYLE_PRIOR_WEIGHT)
        for question, counts in style_counts.items()
    }
    swap_rate, swap_weight = SWAP_PRIOR
    swapped_count, named = order_counts["swapped"]
    family_first_count, guessed = order_counts["family_first"]
    psi = {
        "swapped": (swap_rate * swap_weight + swapped_count) / (swap_weight + named),
        "family_first": (0.5 * PAGE_ORDER_PRIOR_WEIGHT + family_first_count)
        / (PAGE_ORDER_PRIOR_WEIGHT + guessed),
    }
    return theta, phi, psi


def _posterior(
    prior: dict[str, float], counts: dict[str, float], weight: float
) -> dict[str, float]:
    total = sum(counts.values())
    return {a: (weight * prior[a] + counts[a]) / (weight + total) for a in prior}


def _explained_by(
    examples: list[_Example],
    theta: list[float],
    phi: dict[str, dict[str, float]],
    psi: dict[str, float],
) -> dict[str, set[int]]:
    """Templates that explain each example in its more probable name order."""
    explained: dict[str, set[int]] = {}
    for number, example in enumerate(examples):
        forms = example.forms
        weights = [explanation_weight(e, forms, theta, phi, psi) for e in example.explanations]
        swapped_share = sum(w for w, e in zip(weights, example.explanations, strict=True) if e[2])
        likely_swapped = swapped_share > sum(weights) / 2
        for index, _, swapped in example.explanations:
            if swapped == likely_swapped:
                explained.setdefault(TEMPLATES[index].text, set()).add(number)
    return explained


def _style_priors(domain: str) -> dict[str, dict[str, float]]:
    priors = dict(STYLE_PRIORS)
    tld = domain.strip().lower().rsplit(".", 1)[-1]
    if tld in _GERMAN_TLDS:
        priors.update(_GERMAN_STYLE_PRIORS)
    if tld in _HAN_READING_BY_TLD:
        priors["han_reading"] = _HAN_READING_BY_TLD[tld]
    return priors


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {key: value / total for key, value in weights.items()}
