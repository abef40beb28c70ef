"""Which company gets which team-page layout, address disguise, hostile case and mail behaviour.

Features that tests and benchmarks rely on are dealt out, not drawn: with the default 60
companies every layout, every disguise and every hostile case occurs at least once."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from coldflow.sandbox.world.disguises import TEXT_DISGUISES
from coldflow.sandbox.world.hostile import GERMAN_ONLY, HOSTILE_CASES
from coldflow.sandbox.world.model import Disguise, Layout

MailKind = Literal["normal", "catch_all", "greylist", "no_mx", "null_mx"]
TEXT_LAYOUTS: tuple[Layout, ...] = ("cards", "table", "definition_list", "paragraphs")


@dataclass(frozen=True)
class CompanyPlan:
    layout: Layout
    # How the team page writes addresses.
    disguise: Disguise
    # Forced site language, when a feature needs German.
    language: Literal["en", "de"] | None
    hostile: str | None
    mail: MailKind
    # One of the company's addresses is accepted at RCPT time and bounces later.
    bounce_after_accept: bool
    robots_disallow_team: bool
    # The team page must publish at least one address (the plan relies on its disguise).
    must_publish: bool


def _share(count: int, rate: float, minimum: int) -> int:
    return min(count, max(minimum, round(count * rate)))


def plan_companies(rng: random.Random, count: int) -> list[CompanyPlan]:
    required: list[tuple[Layout, Disguise]] = [("jsonld", "jsonld"), ("microdata", "microdata")]
    required += [(TEXT_LAYOUTS[i % 4], d) for i, d in enumerate(TEXT_DISGUISES)]
    # Most sites just use mailto links or plain text.
    common: list[Disguise] = ["mailto"] * 6 + ["plain"] * 3 + list(TEXT_DISGUISES)
    looks: list[tuple[Layout, Disguise, bool]] = [(lay, dis, True) for lay, dis in required]
    while len(looks) < count:
        layout = rng.choice(TEXT_LAYOUTS + ("jsonld", "microdata"))
        if layout in ("jsonld", "microdata"):
            looks.append((layout, layout, False))  # type: ignore[arg-type]
        else:
            looks.append((layout, rng.choice(common), False))
    if count < len(looks):
        looks = rng.sample(looks, count)
    rng.shuffle(looks)

    order = list(range(count))
    rng.shuffle(order)
    hostile = dict(zip(order, HOSTILE_CASES, strict=False))

    mail: dict[int, MailKind] = {}
    shuffled = list(range(count))
    rng.shuffle(shuffled)
    cursor = 0
    for kind, rate, minimum in (
        ("null_mx", 0.0, 1),
        ("no_mx", 0.04, 2),
        ("catch_all", 0.12, 2),
        ("greylist", 0.1, 2),
    ):
        for index in shuffled[cursor : cursor + _share(count, rate, minimum)]:
            mail[index] = kind  # type: ignore[assignment]
        cursor += _share(count, rate, minimum)
    # Bounces after acceptance need a normal mail server that rejects nothing at RCPT time.
    bouncing = set(shuffled[cursor : cursor + _share(count, 0.05, 2)])
    disallowing = set(rng.sample(range(count), _share(count, 0.1, 2)))

    plans = []
    for index, (layout, disguise, must_publish) in enumerate(looks):
        case = hostile.get(index)
        language: Literal["en", "de"] | None = None
        if case in GERMAN_ONLY or disguise == "at_umlaut":
            language = "de"
        plans.append(
            CompanyPlan(
                layout=layout,
                disguise=disguise,
                language=language,
                hostile=case,
                mail=mail.get(index, "normal"),
                bounce_after_accept=index in bouncing,
                robots_disallow_team=index in disallowing,
                must_publish=must_publish,
            )
        )
    return plans
