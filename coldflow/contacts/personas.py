"""Which people an ICP wants to reach: personas and matching a normalised title against them.

A persona is a set of departments and a set of seniorities (an empty set means "any"). It can be
given as structured data, {"departments": ["sales"], "seniorities": ["owner", "c_level"]}, or as
free text, "decision makers in sales" or "Entscheider im Vertrieb", which is read with the same
keyword table that normalises job titles plus a few phrases for groups of seniorities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coldflow.contacts.titles import DEPARTMENTS, SENIORITIES, TitleInfo, roles_named

_LEADERSHIP = frozenset({"owner", "c_level", "vp", "head"})
_EXECUTIVES = frozenset({"owner", "c_level"})
# Phrases naming a group of seniorities rather than one of them.
_SENIORITY_PHRASES = (
    (
        r"decision[\s-]?makers?|entscheider(innen)?|entscheidungsträger\w*|leadership|leaders?\b"
        r"|führungskräften?|senior management",
        _LEADERSHIP,
    ),
    (
        r"c[\s-]?level|c[\s-]?suite|executives?|top[\s-]?management|geschäftsleitung|"
        r"unternehmensleitung",
        _EXECUTIVES,
    ),
    (r"individual contributors?|employees|staff\b|specialists?|fachkräfte", frozenset({"staff"})),
)
# Owners and general managers (CEO, Geschäftsführer) decide for every department of a small
# company, so they match a department-specific persona unless it says otherwise.
_GENERAL_MANAGEMENT = frozenset({"owner", "c_level"})


@dataclass(frozen=True)
class Persona:
    departments: frozenset[str] = frozenset()  # empty: any department
    seniorities: frozenset[str] = frozenset()  # empty: any seniority
    include_general_management: bool = True
    label: str = ""


def parse_persona(spec: Persona | Mapping | str) -> Persona:
    """A persona from free text or from a mapping; raises ValueError on unknown names."""
    if isinstance(spec, Persona):
        return spec
    if isinstance(spec, str):
        return _from_text(spec)
    if isinstance(spec, Mapping):
        return _from_mapping(spec)
    raise ValueError(f"a persona is text or a mapping, not {type(spec).__name__}")


def match_persona(
    title: TitleInfo, personas: Iterable[Persona | Mapping | str]
) -> tuple[bool, str]:
    """Does a person with this title fit any persona? With the reason, either way."""
    parsed = [parse_persona(p) for p in personas]
    if not parsed:
        return True, "no persona is set, so everyone fits"
    reasons = []
    for persona in parsed:
        fits, reason = _match_one(title, persona)
        if fits:
            return True, reason
        reasons.append(reason)
    return False, "; ".join(reasons)


def _match_one(title: TitleInfo, persona: Persona) -> tuple[bool, str]:
    name = f"'{persona.label}'"
    role = f"{title.seniority} in {title.department}"
    if persona.seniorities and title.seniority not in persona.seniorities:
        wanted = ", ".join(sorted(persona.seniorities))
        return False, f"{name}: seniority {title.seniority} is not one of {wanted}"
    if persona.departments and title.department not in persona.departments:
        general = title.seniority in _GENERAL_MANAGEMENT and title.department == "other"
        if persona.include_general_management and general:
            return True, f"{name}: {role} is general management, which decides for every department"
        wanted = ", ".join(sorted(persona.departments))
        return False, f"{name}: department {title.department} is not one of {wanted}"
    return True, f"{name}: {role} fits"


def _from_text(text: str) -> Persona:
    seniorities, departments = roles_named(text)
    lowered = text.lower()
    for phrase, group in _SENIORITY_PHRASES:
        if re.search(phrase, lowered):
            seniorities |= group
    return Persona(frozenset(departments), frozenset(seniorities), label=text.strip())


def _from_mapping(spec: Mapping) -> Persona:
    departments = frozenset(_names(spec.get("departments", ()), DEPARTMENTS, "department"))
    seniorities = frozenset(_names(spec.get("seniorities", ()), SENIORITIES, "seniority"))
    label = str(spec.get("label") or _describe(departments, seniorities))
    general = bool(spec.get("include_general_management", True))
    return Persona(departments, seniorities, general, label)


def _names(values: object, allowed: tuple[str, ...], kind: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, Iterable):
        raise ValueError(f"{kind} names must be a list")
    names = [str(v).strip().lower().replace("-", "_").replace(" ", "_") for v in values]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValueError(f"unknown {kind}: {', '.join(unknown)} (known: {', '.join(allowed)})")
    return names


def _describe(departments: frozenset[str], seniorities: frozenset[str]) -> str:
    who = ", ".join(s for s in SENIORITIES if s in seniorities) or "anyone"
    where = ", ".join(d for d in DEPARTMENTS if d in departments) or "any department"
    return f"{who} in {where}"
