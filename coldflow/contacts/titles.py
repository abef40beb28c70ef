"""Job titles to seniority and department, in English and German.

One table of keywords drives everything. A keyword is either a word sequence ("head of",
"vice president") or, for German compounds, a piece of a word ("vertrieb" in
"Vertriebsleiterin", "leiter" in "Abteilungsleiter"). Longer keywords are tried first and claim
their span of text, so "teamleiter" (manager) hides the "leiter" (head) inside it and "produktion"
(operations) hides "produkt" (engineering/product). Seniority and department claim separately:
"account manager" names the department and still leaves "manager" to the seniority.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

SENIORITIES = ("owner", "c_level", "vp", "head", "manager", "staff")
DEPARTMENTS = (
    "sales",
    "marketing",
    "engineering",
    "operations",
    "finance",
    "hr",
    "customer_success",
    "other",
)
DEPARTMENT_LABELS = {
    "sales": "Sales",
    "marketing": "Marketing",
    "engineering": "Engineering",
    "operations": "Operations",
    "finance": "Finance",
    "hr": "HR",
    "customer_success": "Customer Success",
}
MAX_TITLE_LENGTH = 200

_RANK = {seniority: rank for rank, seniority in enumerate(reversed(SENIORITIES))}
# The seniority an "assistant to the CEO" must not inherit from the CEO.
_ASSISTANT = "assistant"


@dataclass(frozen=True)
class TitleInfo:
    title: str  # the title as written, cleaned of gender markers and clutter
    canonical: str  # an English normalised form: "Head of Sales", "Chief Technology Officer"
    seniority: str  # one of SENIORITIES, or "unknown" for an empty title
    department: str  # one of DEPARTMENTS
    language: str  # "de" when the title reads German, else "en"; "" for an empty title


@dataclass(frozen=True)
class _Keyword:
    words: tuple[str, ...]
    seniority: str | None
    department: str | None
    # Which department wins when several are named: "Sales Engineer" is sales, not engineering.
    strength: int
    language: str | None
    # Match inside a word (German compounds) rather than as whole words.
    in_word: bool
    label: str | None
    # Only as the title's last word: "Sales Lead" leads, a "Lead Generation Specialist" does not.
    last_word: bool = False


def _kw(
    phrase: str,
    seniority: str | None = None,
    department: str | None = None,
    strength: int = 3,
    language: str | None = "en",
    in_word: bool = False,
    label: str | None = None,
    last_word: bool = False,
) -> _Keyword:
    words = tuple(phrase.split())
    return _Keyword(words, seniority, department, strength, language, in_word, label, last_word)


def _de(
    phrase: str,
    seniority: str | None = None,
    department: str | None = None,
    strength: int = 3,
    label: str | None = None,
) -> _Keyword:
    return _kw(phrase, seniority, department, strength, "de", True, label)


_KEYWORDS: tuple[_Keyword, ...] = (
    # Owners
    _kw("founder", "owner", label="Founder"),
    _kw("co founder", "owner", label="Co-Founder"),
    _kw("cofounder", "owner", label="Co-Founder"),
    _kw("owner", "owner", label="Owner"),
    _kw("co owner", "owner", label="Co-Owner"),
    _kw("proprietor", "owner", label="Owner"),
    _kw("entrepreneur", "owner", label="Owner"),
    _kw("partner", "owner", label="Partner"),
    _kw("managing partner", "owner", label="Managing Partner"),
    _kw("business partner", "staff"),
    # Recruiters and HR generalists called partners own nothing.
    _kw("talent partner", "staff", "hr"),
    _kw("people partner", "staff", "hr"),
    _kw("recruiting partner", "staff", "hr"),
    _kw("recruitment partner", "staff", "hr"),
    _kw("partner manager", department="sales"),
    _kw("channel partner", department="sales"),
    _kw("partnerships", department="sales", strength=2),
    _de("gründer", "owner", label="Founder"),
    _de("inhaber", "owner", label="Owner"),
    _de("gesellschafter", "owner", label="Partner"),
    _de("unternehmer", "owner", label="Owner"),
    # C-level
    _kw("ceo", "c_level", "other", 4, None, label="Chief Executive Officer"),
    _kw("cto", "c_level", "engineering", 4, None, label="Chief Technology Officer"),
    _kw("cio", "c_level", "engineering", 4, None, label="Chief Information Officer"),
    _kw("ciso", "c_level", "engineering", 4, None, label="Chief Information Security Officer"),
    _kw("cdo", "c_level", "engineering", 4, None, label="Chief Digital Officer"),
    _kw("cpo", "c_level", "engineering", 4, None, label="Chief Product Officer"),
    _kw("cfo", "c_level", "finance", 4, None, label="Chief Financial Officer"),
    _kw("coo", "c_level", "operations", 4, None, label="Chief Operating Officer"),
    _kw("cmo", "c_level", "marketing", 4, None, label="Chief Marketing Officer"),
    _kw("cro", "c_level", "sales", 4, None, label="Chief Revenue Officer"),
    _kw("cso", "c_level", "sales", 4, None, label="Chief Sales Officer"),
    _kw("cco", "c_level", "sales", 4, None, label="Chief Commercial Officer"),
    _kw("chro", "c_level", "hr", 4, None, label="Chief Human Resources Officer"),
    _kw("chief", "c_level"),
    _kw("chief of staff", "head", "other"),
    _kw("president", "c_level", label="President"),
    _kw("managing director", "c_level", label="Managing Director"),
    _kw("general manager", "c_level", label="General Manager"),
    _kw("executive director", "c_level", label="Executive Director"),
    _kw("chairman", "c_level", label="Chair"),
    _kw("chairwoman", "c_level", label="Chair"),
    _kw("board member", "c_level", label="Board Member"),
    _de("geschäftsführer", "c_level", label="Managing Director"),
    _de("geschäftsführung", "c_level", label="Managing Director"),
    _de("vorstand", "c_level", label="Executive Board Member"),
    _de("vorständin", "c_level", label="Executive Board Member"),
    _de("generaldirektor", "c_level", label="Managing Director"),
    _de("aufsichtsrat", "c_level", label="Board Member"),
    # VPs
    _kw("vice president", "vp"),
    _kw("vp", "vp", language=None),
    _kw("svp", "vp", language=None),
    _kw("evp", "vp", language=None),
    _kw("avp", "vp", language=None),
    _de("vizepräsident", "vp"),
    # Heads and directors
    _kw("head", "head"),
    _kw("head of", "head"),
    _kw("director", "head"),
    _de("direktor", "head"),
    _de("leiter", "head"),
    _de("leitung", "head"),
    _de("prokurist", "head"),
    _de("werkleiter", "head", "operations", 2),
    # Managers and team leads
    _kw("manager", "manager", language=None, in_word=True),
    _kw("supervisor", "manager"),
    _kw("team lead", "manager"),
    _kw("teamlead", "manager"),
    _kw("lead", "manager", last_word=True),
    _kw("lead generation", department="marketing"),
    _de("teamleiter", "manager"),
    _de("teamleitung", "manager"),
    _de("gruppenleiter", "manager"),
    _de("projektleiter", "manager", "operations", 1),
    _de("filialleiter", "manager", "operations", 1),
    _de("schichtleiter", "manager", "operations", 1),
    # What English calls an account manager; ranked like one.
    _de("kundenbetreuer", "manager", "customer_success"),
    # Individual contributors worth naming, and assistants of the people above
    _kw("assistant", "staff"),
    _kw("assistant to", _ASSISTANT, "other"),
    _kw("executive assistant", _ASSISTANT, "other"),
    _kw("personal assistant", _ASSISTANT, "other"),
    _kw("office of the", _ASSISTANT, "other"),
    _de("assistent", _ASSISTANT, "other", 1),
    _de("assistenz", _ASSISTANT, "other", 1),
    _de("sekretär", _ASSISTANT, "other", 1),
    _de("sekretariat", _ASSISTANT, "other", 1),
    _de("referent der", _ASSISTANT, "other", 1),
    _kw("intern", "staff"),
    _kw("trainee", "staff"),
    _kw("student", "staff"),
    _de("werkstudent", "staff"),
    _de("praktikant", "staff"),
    _de("auszubildende", "staff"),
    _de("azubi", "staff"),
    _de("mitarbeiter", "staff"),
    _de("sachbearbeiter", "staff"),
    # Sales
    _kw("sales", department="sales", language=None, in_word=True),
    _kw("business development", department="sales"),
    _kw("bizdev", department="sales"),
    _kw("account executive", department="sales"),
    _kw("account manager", department="sales"),
    _kw("account management", department="sales"),
    _kw("key account", department="sales"),
    _kw("sdr", department="sales", language=None),
    _kw("bdr", department="sales", language=None),
    _kw("presales", department="sales"),
    _kw("revenue", department="sales", strength=2),
    _kw("commercial", department="sales", strength=2),
    _kw("channel", department="sales", strength=2),
    _de("vertrieb", department="sales"),
    _de("verkauf", department="sales"),
    _de("verkäufer", department="sales"),
    _de("außendienst", department="sales"),
    _de("aussendienst", department="sales"),
    _de("innendienst", department="sales", strength=2),
    _de("geschäftsentwicklung", department="sales"),
    _de("kundenberater", department="sales"),
    _de("handelsvertreter", department="sales"),
    _de("export", department="sales", strength=2),
    # Marketing
    _kw("marketing", department="marketing", language=None, in_word=True),
    _kw("growth", department="marketing", strength=2),
    _kw("brand", department="marketing", strength=2),
    _kw("content", department="marketing", strength=2),
    _kw("seo", department="marketing", language=None),
    _kw("sem", department="marketing", language=None),
    _kw("communications", department="marketing", strength=2),
    _kw("public relations", department="marketing"),
    _kw("pr", department="marketing", strength=2, language=None),
    _kw("social media", department="marketing", language=None),
    _kw("demand generation", department="marketing"),
    _kw("events", department="marketing", strength=1),
    _de("kommunikation", department="marketing", strength=2),
    _de("öffentlichkeitsarbeit", department="marketing"),
    _de("presse", department="marketing", strength=2),
    _de("werbung", department="marketing"),
    # Engineering and product
    _kw("engineering", department="engineering", strength=2),
    _kw("engineer", department="engineering", strength=1),
    _kw("developer", department="engineering", strength=2),
    _kw("development", department="engineering", strength=1),
    _kw("software", department="engineering", strength=2, language=None, in_word=True),
    _kw("technology", department="engineering", strength=2),
    _kw("technical", department="engineering", strength=1),
    _kw("it", department="engineering", strength=2, language=None),
    _kw("devops", department="engineering", language=None),
    _kw("frontend", department="engineering", language=None),
    _kw("backend", department="engineering", language=None),
    _kw("fullstack", department="engineering", language=None),
    _kw("full stack", department="engineering", language=None),
    _kw("programmer", department="engineering"),
    _kw("architect", department="engineering", strength=2),
    _kw("data", department="engineering", strength=1, language=None),
    _kw("product", department="engineering", strength=2),
    _kw("qa", department="engineering", strength=2, language=None),
    _kw("research", department="engineering", strength=1),
    _kw("r&d", department="engineering", strength=2, language=None),
    _kw("ux", department="engineering", strength=1, language=None),
    _kw("ui", department="engineering", strength=1, language=None),
    _kw("design", department="engineering", strength=1),
    _kw("infrastructure", department="engineering", strength=2),
    _kw("cloud", department="engineering", strength=2, language=None),
    _kw("security", department="engineering", strength=1),
    _kw("sysadmin", department="engineering"),
    _kw("scrum", department="engineering", strength=2, language=None),
    _kw("information", department="engineering", strength=1),
    _kw("digital", department="engineering", strength=1, language=None),
    _de("entwickler", department="engineering", strength=2),
    _de("entwicklung", department="engineering", strength=2),
    _de("ingenieur", department="engineering", strength=1),
    _de("technik", department="engineering", strength=1),
    _de("technisch", department="engineering", strength=1),
    _de("informatik", department="engineering", strength=2),
    _de("edv", department="engineering", strength=2),
    _de("produkt", department="engineering", strength=2),
    _de("programmierer", department="engineering"),
    _de("architekt", department="engineering", strength=2),
    _de("systemadministrator", department="engineering"),
    _de("forschung", department="engineering", strength=1),
    # Operations
    _kw("operations", department="operations", strength=1),
    _kw("operating", department="operations", strength=1),
    _kw("ops", department="operations", strength=1, language=None),
    _kw("logistics", department="operations", strength=2),
    _kw("supply chain", department="operations", strength=2),
    _kw("procurement", department="operations", strength=2),
    _kw("purchasing", department="operations", strength=2),
    _kw("buyer", department="operations", strength=2),
    _kw("production", department="operations", strength=2),
    _kw("office", department="operations", strength=1),
    _kw("facility", department="operations", strength=2),
    _kw("facilities", department="operations", strength=2),
    _kw("administration", department="operations", strength=1),
    _kw("project", department="operations", strength=1),
    _kw("quality", department="operations", strength=1),
    _kw("warehouse", department="operations", strength=2),
    _kw("dispatcher", department="operations", strength=2),
    _kw("dispatch", department="operations", strength=2),
    _de("betrieb", department="operations", strength=1),
    _de("logistik", department="operations", strength=2),
    _de("einkauf", department="operations", strength=2),
    _de("einkäufer", department="operations", strength=2),
    _de("produktion", department="operations", strength=2),
    _de("verwaltung", department="operations", strength=1),
    _de("projekt", department="operations", strength=1),
    _de("qualität", department="operations", strength=1),
    _de("lager", department="operations", strength=2),
    _de("disposition", department="operations", strength=2),
    # Dispatchers ("Disponent", "Disponentin") plan a logistics company's transports.
    _de("disponent", department="operations", strength=2),
    _de("organisation", department="operations", strength=1),
    # Finance
    _kw("finance", department="finance"),
    _kw("financial", department="finance"),
    _kw("accounting", department="finance"),
    _kw("accountant", department="finance"),
    _kw("bookkeeper", department="finance"),
    _kw("bookkeeping", department="finance"),
    # In British and Irish companies the financial controller runs the accounts department.
    _kw("financial controller", "head", "finance", label="Financial Controller"),
    _kw("controlling", department="finance", language=None, in_word=True),
    _kw("controller", department="finance", language=None, in_word=True),
    _kw("treasury", department="finance"),
    _kw("tax", department="finance", strength=2),
    _kw("payroll", department="finance", strength=2),
    _kw("audit", department="finance", strength=2),
    _kw("billing", department="finance", strength=2),
    _kw("investor relations", department="finance", strength=2),
    _kw("fp&a", department="finance", language=None),
    _de("finanz", department="finance"),
    _de("buchhaltung", department="finance"),
    _de("buchhalter", department="finance"),
    _de("rechnungswesen", department="finance"),
    _de("steuer", department="finance", strength=2),
    _de("lohnbuchhaltung", department="finance", strength=2),
    _de("kaufmännisch", department="finance", strength=2),
    _de("revision", department="finance", strength=2),
    # HR and people
    _kw("hr", department="hr", language=None),
    _kw("human resources", department="hr"),
    _kw("people", department="hr", strength=2),
    _kw("recruiting", department="hr", language=None),
    # In word: German adds -in for women ("Recruiterin").
    _kw("recruiter", department="hr", language=None, in_word=True),
    _kw("recruitment", department="hr"),
    _kw("talent", department="hr"),
    _kw("learning and development", department="hr", strength=2),
    _kw("compensation", department="hr", strength=2),
    _kw("culture", department="hr", strength=1),
    _kw("training", department="hr", strength=1),
    _de("personal", department="hr", strength=2),
    _de("personalwesen", department="hr"),
    _de("ausbildung", department="hr", strength=1),
    # Customer success
    _kw("customer success", department="customer_success", language=None),
    _kw("customer service", department="customer_success"),
    _kw("customer support", department="customer_success"),
    _kw("customer experience", department="customer_success"),
    _kw("customer care", department="customer_success"),
    _kw("client services", department="customer_success"),
    _kw("client success", department="customer_success"),
    _kw("cx", department="customer_success", language=None),
    _kw("support", department="customer_success", strength=2, language=None),
    _kw("onboarding", department="customer_success", strength=2, language=None),
    _kw("implementation", department="customer_success", strength=2),
    _kw("customer", department="customer_success", strength=1),
    _de("kundenerfolg", department="customer_success"),
    _de("kundenservice", department="customer_success"),
    _de("kundendienst", department="customer_success"),
    _de("kundenbetreu", department="customer_success"),
    _de("kundensupport", department="customer_success"),
    # Named so that they claim their words and do not fall into another department
    _kw("legal", department="other"),
    _kw("counsel", department="other"),
    _de("recht", department="other"),
    _de("jurist", department="other"),
)
# Longest first, so that the most specific keyword claims its words.
_KEYWORDS = tuple(sorted(_KEYWORDS, key=lambda k: -len(" ".join(k.words))))

_GENDER_MARKERS = re.compile(
    r"\(\s*[mwdfxi](?:\s*[/|,]\s*(?:[mwdfxi]|div))+\s*\)"  # (m/w/d), (w/m/d), (f/m/x)
    r"|\(\s*-?in(?:nen)?\s*\)"  # Geschäftsführer(in)
    r"|(?<=\w)(?:/-?|\*|:|_)in(?:nen)?\b",  # Leiter*in, Mitarbeiter/-in, Berater:in
    re.IGNORECASE,
)
_WORDS = re.compile(r"[\w&+]+")
_GERMAN_HINTS = re.compile(r"[äöüß]|\b(und|der|die|des|für|im|stellv|stellvertretende[r]?)\b", re.I)


def normalise_title(text: str) -> TitleInfo:
    """Seniority and department of a job title; never raises."""
    title = _clean(text if isinstance(text, str) else "")
    if not title:
        return TitleInfo("", "", "unknown", "other", "")
    words = _WORDS.findall(title.lower())
    seniority_hits = _match(words, lambda k: k.seniority is not None)
    department_hits = _match(words, lambda k: k.department is not None)
    seniority = _seniority(seniority_hits)
    department = _department(department_hits)
    return TitleInfo(
        title=title,
        canonical=_canonical(title, seniority, department, seniority_hits),
        seniority=seniority,
        department=department,
        language=_language(title, seniority_hits + department_hits),
    )


def _clean(text: str) -> str:
    text = _GENDER_MARKERS.sub("", text[: MAX_TITLE_LENGTH * 2])
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–—|/")
    return text[:MAX_TITLE_LENGTH]


_Hit = tuple[int, _Keyword]  # (position in the title, keyword)


def _match(words: list[str], wanted: Callable[[_Keyword], bool]) -> list[_Hit]:
    """Every keyword occurrence, longest keywords first, each claiming its span of text."""
    claimed: list[set[int]] = [set() for _ in words]
    hits: list[_Hit] = []
    for keyword in _KEYWORDS:
        if not wanted(keyword):
            continue
        for position, span in _occurrences(words, keyword):
            if any(claimed[i] & span[i] for i in span):
                continue
            for i, chars in span.items():
                claimed[i] |= chars
            hits.append((position, keyword))
    return hits


def _occurrences(words: list[str], keyword: _Keyword) -> Iterator[tuple[int, dict[int, set[int]]]]:
    """(position, {word index: claimed character offsets}) for each place the keyword occurs."""
    if keyword.in_word:
        piece = keyword.words[0]
        for i, word in enumerate(words):
            start = word.find(piece)
            if start >= 0:
                yield i * 100 + start, {i: set(range(start, start + len(piece)))}
        return
    n = len(keyword.words)
    for i in range(len(words) - n if keyword.last_word else 0, len(words) - n + 1):
        if tuple(words[i : i + n]) == keyword.words:
            yield i * 100, {j: set(range(len(words[j]))) for j in range(i, i + n)}


def _seniority(hits: list[_Hit]) -> str:
    found = {keyword.seniority for _, keyword in hits}
    if _ASSISTANT in found:
        return "staff"
    ranked = [s for s in found if s in _RANK]
    return max(ranked, key=lambda s: _RANK[s]) if ranked else "staff"


def _department(hits: list[_Hit]) -> str:
    if not hits:
        return "other"
    _, keyword = min(hits, key=lambda hit: (-hit[1].strength, hit[0]))
    return keyword.department or "other"


def _canonical(title: str, seniority: str, department: str, hits: list[_Hit]) -> str:
    label = next(
        (
            k.label
            for _, k in sorted(hits, key=lambda h: h[0])
            if k.seniority == seniority and k.label
        ),
        None,
    )
    department_label = DEPARTMENT_LABELS.get(department)
    if seniority in ("owner", "c_level"):
        return label or title
    if seniority == "vp":
        return f"VP {department_label}" if department_label else "Vice President"
    if seniority == "head":
        return f"Head of {department_label}" if department_label else "Director"
    if seniority == "manager":
        return f"{department_label} Manager" if department_label else "Manager"
    return title


def _language(title: str, hits: list[_Hit]) -> str:
    german = sum(1 for _, k in hits if k.language == "de") + len(_GERMAN_HINTS.findall(title))
    english = sum(1 for _, k in hits if k.language == "en")
    return "de" if german > english else "en"


def roles_named(text: str) -> tuple[set[str], set[str]]:
    """Seniorities and departments a free text names ("CTOs and heads of sales"), plurals included."""
    words = _WORDS.findall(_clean(text if isinstance(text, str) else "").lower())
    words = [w for w in words if w not in _GENERIC_WORDS]
    seniorities: set[str] = set()
    departments: set[str] = set()
    for spelling in (words, [_singular(w) for w in words]):
        seniorities |= {k.seniority for _, k in _match(spelling, lambda k: k.seniority is not None)}
        departments |= {
            k.department for _, k in _match(spelling, lambda k: k.department is not None)
        }
    return {s for s in seniorities if s in _RANK}, {d for d in departments if d and d != "other"}


# Words that in a description of people mean "persons", not the People (HR) department.
_GENERIC_WORDS = frozenset({"people", "persons", "folks", "team", "teams"})


def _singular(word: str) -> str:
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word
