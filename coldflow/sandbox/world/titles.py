"""Job titles as companies publish them, each with the normalised title, seniority and department
the contacts stage should arrive at."""

from __future__ import annotations

import random
from dataclasses import dataclass

from coldflow.sandbox.world.model import Department, Seniority


@dataclass(frozen=True)
class TitleRole:
    normalised: str
    seniority: Seniority
    department: Department
    english: tuple[str, ...]
    # (masculine, feminine) German phrasings.
    german: tuple[tuple[str, str], ...]

    def phrase(self, rng: random.Random, language: str, gender: str) -> str:
        # German companies often use English titles too.
        if language == "en" or rng.random() < 0.2:
            return rng.choice(self.english)
        masculine, feminine = rng.choice(self.german)
        return feminine if gender == "f" else masculine


# normalised ; seniority ; department ; English phrasings | … ; German m/f phrasings | …
_TABLE = """
Founder ; owner ; other ; Founder|Co-Founder|Founder & CEO|Owner ; Gründer und Geschäftsführer/Gründerin und Geschäftsführerin|Inhaber/Inhaberin|Geschäftsführender Gesellschafter/Geschäftsführende Gesellschafterin|Mitgründer/Mitgründerin
CEO ; c_level ; other ; CEO|Chief Executive Officer|Managing Director ; Geschäftsführer/Geschäftsführerin|Vorstandsvorsitzender/Vorstandsvorsitzende|CEO/CEO
CTO ; c_level ; engineering ; CTO|Chief Technology Officer ; Technischer Geschäftsführer/Technische Geschäftsführerin|CTO/CTO
CFO ; c_level ; finance ; CFO|Chief Financial Officer|Finance Director ; Kaufmännischer Geschäftsführer/Kaufmännische Geschäftsführerin|CFO/CFO
COO ; c_level ; operations ; COO|Chief Operating Officer ; COO/COO|Geschäftsführer Operations/Geschäftsführerin Operations
CMO ; c_level ; marketing ; CMO|Chief Marketing Officer ; CMO/CMO
Chief Revenue Officer ; c_level ; sales ; Chief Revenue Officer|CRO|Chief Sales Officer ; Chief Sales Officer/Chief Sales Officer|Geschäftsführer Vertrieb/Geschäftsführerin Vertrieb
VP Sales ; vp ; sales ; VP Sales|VP, Sales|Vice President of Sales|VP of Sales ; Vice President Vertrieb/Vice President Vertrieb|VP Sales/VP Sales
VP Marketing ; vp ; marketing ; VP Marketing|VP, Marketing|Vice President Marketing ; Vice President Marketing/Vice President Marketing
VP Engineering ; vp ; engineering ; VP Engineering|VP of Engineering|Vice President, Engineering ; VP Engineering/VP Engineering
VP Operations ; vp ; operations ; VP Operations|Vice President of Operations ; Vice President Operations/Vice President Operations
Head of Sales ; head ; sales ; Head of Sales|Sales Director|Director of Sales ; Vertriebsleiter/Vertriebsleiterin|Leiter Vertrieb/Leiterin Vertrieb|Head of Sales/Head of Sales
Head of Marketing ; head ; marketing ; Head of Marketing|Marketing Director|Director, Marketing ; Marketingleiter/Marketingleiterin|Leiter Marketing/Leiterin Marketing
Head of Engineering ; head ; engineering ; Head of Engineering|Engineering Director|Head of Development ; Leiter Softwareentwicklung/Leiterin Softwareentwicklung|Entwicklungsleiter/Entwicklungsleiterin
Head of Operations ; head ; operations ; Head of Operations|Operations Director ; Betriebsleiter/Betriebsleiterin|Leiter Operations/Leiterin Operations
Head of Finance ; head ; finance ; Head of Finance|Financial Controller ; Leiter Finanzen/Leiterin Finanzen|Leiter Rechnungswesen/Leiterin Rechnungswesen
Head of People ; head ; hr ; Head of People|HR Director|Head of HR ; Personalleiter/Personalleiterin|Leiter Personal/Leiterin Personal
Head of Customer Success ; head ; customer_success ; Head of Customer Success|Director of Customer Success ; Leiter Kundenservice/Leiterin Kundenservice
Sales Manager ; manager ; sales ; Sales Manager|Regional Sales Manager|Key Account Manager ; Vertriebsmanager/Vertriebsmanagerin|Teamleiter Vertrieb/Teamleiterin Vertrieb|Key Account Manager/Key Account Managerin
Marketing Manager ; manager ; marketing ; Marketing Manager|Content Marketing Manager|Growth Manager ; Marketing Manager/Marketing Managerin|Teamleiter Marketing/Teamleiterin Marketing
Engineering Manager ; manager ; engineering ; Engineering Manager|Team Lead, Engineering ; Teamleiter Entwicklung/Teamleiterin Entwicklung
Operations Manager ; manager ; operations ; Operations Manager|Office Manager|Project Manager ; Projektleiter/Projektleiterin|Office Manager/Office Managerin
HR Manager ; manager ; hr ; HR Manager|Talent Acquisition Manager ; HR Manager/HR Managerin|Personalreferent/Personalreferentin
Customer Success Manager ; manager ; customer_success ; Customer Success Manager|Account Manager ; Customer Success Manager/Customer Success Managerin|Kundenbetreuer/Kundenbetreuerin
Account Executive ; staff ; sales ; Account Executive|Sales Representative|Business Development Representative ; Vertriebsmitarbeiter/Vertriebsmitarbeiterin|Außendienstmitarbeiter/Außendienstmitarbeiterin
Software Engineer ; staff ; engineering ; Software Engineer|Senior Developer|Frontend Developer ; Softwareentwickler/Softwareentwicklerin
Marketing Specialist ; staff ; marketing ; Marketing Specialist|Content Writer ; Referent Marketing/Referentin Marketing
Accountant ; staff ; finance ; Accountant|Bookkeeper ; Buchhalter/Buchhalterin
Dispatcher ; staff ; operations ; Dispatcher|Project Coordinator ; Disponent/Disponentin|Projektkoordinator/Projektkoordinatorin
Recruiter ; staff ; hr ; Recruiter|Talent Partner ; Recruiter/Recruiterin
Support Specialist ; staff ; customer_success ; Support Specialist|Customer Support Agent ; Kundenservice-Mitarbeiter/Kundenservice-Mitarbeiterin
Executive Assistant ; staff ; other ; Executive Assistant|Office Assistant ; Assistenz der Geschäftsführung/Assistenz der Geschäftsführung
"""


def _parse(table: str) -> tuple[TitleRole, ...]:
    roles = []
    for line in table.strip().splitlines():
        normalised, seniority, department, english, german = (p.strip() for p in line.split(";"))
        roles.append(
            TitleRole(
                normalised=normalised,
                seniority=seniority,  # type: ignore[arg-type]
                department=department,  # type: ignore[arg-type]
                english=tuple(english.split("|")),
                german=tuple(tuple(g.split("/")) for g in german.split("|")),  # type: ignore[misc]
            )
        )
    return tuple(roles)


ROLES: tuple[TitleRole, ...] = _parse(_TABLE)
BY_NORMALISED: dict[str, TitleRole] = {r.normalised: r for r in ROLES}
LEADERS: tuple[TitleRole, ...] = (BY_NORMALISED["Founder"], BY_NORMALISED["CEO"])

# How likely each seniority is among the rest of a team, by company size band.
_SENIORITY_WEIGHTS = {
    "small": {"c_level": 1, "vp": 0, "head": 3, "manager": 3, "staff": 4},
    "large": {"c_level": 2, "vp": 2, "head": 4, "manager": 3, "staff": 3},
}


def pick_team_roles(rng: random.Random, count: int, large: bool) -> list[TitleRole]:
    """A leader plus `count - 1` other roles; a company has each C-level and VP role once."""
    roles = [rng.choice(LEADERS)]
    weights = _SENIORITY_WEIGHTS["large" if large else "small"]
    while len(roles) < count:
        seniority = rng.choices(list(weights), weights=list(weights.values()))[0]
        candidates = [r for r in ROLES if r.seniority == seniority]
        role = rng.choice(candidates)
        if role.seniority in ("c_level", "vp") and role in roles:
            continue
        roles.append(role)
    return roles
