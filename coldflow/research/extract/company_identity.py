"""Who the company is: name, legal name, description, keywords, industry."""

from __future__ import annotations

import re

from anyascii import anyascii

from coldflow.research.extract.facts import CompanyFact
from coldflow.research.extract.page import Page
from coldflow.research.extract.structured_data import StructuredItem, text_value, text_values
from coldflow.research.extract.text_cache import short_text_cache
from coldflow.research.extract.vocabulary import words

_LEGAL_FORM = re.compile(
    r"\b(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|gGmbH|AG|UG(?:\s*\(haftungsbeschränkt\))?|KG|OHG|GbR|e\.\s?K\.|e\.\s?V\.|"
    r"mbH|SE|PartG(?:\s*mbB)?|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Corp\.?|LLP|PLC|plc|S\.A\.|B\.V\.|N\.V\.|"
    r"AB|Oy|ApS|A/S|S\.r\.l\.|S\.p\.A\.|SAS|SARL|Pty\.?\s*Ltd\.?|s\.r\.o\.|sp\.\s*z\s*o\.o\.)(?=$|[\s,.;)])"
)
_FIRM_LABEL = re.compile(
    r"^(?:firma|firmenname|unternehmen|company(?:\s+name)?|anbieter)\s*:\s*(.{2,80})$", re.I
)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d{2}\s*(?:[-–]\s*(?:19|20)\d{2})?\s*)?(?:by\s+)?([^|•·\n]{2,80}?)"
    r"\s*(?:[.|•·]|all rights|alle rechte|$)",
    re.I,
)
_LINE_PARTS = re.compile(r"\s*[·|•]\s*|\s+[–—]\s+")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—\-:·•»]\s+|\s+::\s+")
_GENERIC_TITLE_PARTS = frozenset(
    [
        "home",
        "homepage",
        "startseite",
        "start",
        "welcome",
        "willkommen",
        "about",
        "about",
        "us",
        "über",
        "uns",
        "team",
        "unser",
        "team",
        "our",
        "team",
        "contact",
        "kontakt",
        "impressum",
        "imprint",
        "legal",
        "notice",
        "careers",
        "karriere",
        "jobs",
        "blog",
        "news",
        "aktuelles",
    ]
) | {"about us", "über uns", "unser team", "our team", "legal notice"}
ORGANISATION_TYPES = words(
    "Organization Corporation LocalBusiness ProfessionalService Store OnlineStore OnlineBusiness "
    "NGO EducationalOrganization MedicalOrganization SportsOrganization NewsMediaOrganization "
    "Restaurant Hotel Dentist Physician MedicalClinic Attorney LegalService Notary "
    "AccountingService FinancialService InsuranceAgency RealEstateAgent TravelAgency "
    "EmploymentAgency AutoRepair AutoDealer HomeAndConstructionBusiness GeneralContractor "
    "Electrician Plumber HVACBusiness RoofingContractor HousePainter Locksmith MovingCompany "
    "Bakery Brewery Winery CafeOrCoffeeShop FoodEstablishment HealthAndBeautyBusiness Library"
)
_GENERIC_ORGANISATION_TYPES = words(
    "Organization Corporation LocalBusiness ProfessionalService OnlineBusiness Store"
)


def is_organisation(item: StructuredItem) -> bool:
    return any(
        t in ORGANISATION_TYPES
        or t.endswith(("Business", "Organization", "Service", "Agency", "Store"))
        for t in item.types
    )


def find_identity(page: Page, organisations: list[StructuredItem]) -> dict[str, CompanyFact]:
    facts: dict[str, CompanyFact] = {}

    def put(key: str, value, method: str, confidence: float) -> None:
        if value and key not in facts:
            facts[key] = CompanyFact(value, method, confidence, page.url)

    # The page's main organisation: the first with a name (publisher/brand come later in order).
    for item in organisations:
        name = text_value(item.properties.get("name"))
        if not name:
            continue
        put("name", name[:200], item.method, 0.95)
        put("description", _text(item.properties.get("description")), item.method, 0.9)
        specific = sorted(item.types - _GENERIC_ORGANISATION_TYPES)
        industry = text_value(item.properties.get("industry"))
        if not industry and specific:
            # A specific schema.org type names the trade: "LegalService" → "Legal Service".
            industry = _spaced(specific[0])
        put("industry", industry, item.method, 0.8)
        keywords = text_values(item.properties.get("knowsAbout")) + _split(
            text_value(item.properties.get("keywords"))
        )
        put("keywords", tuple(keywords[:20]), item.method, 0.8)
        break
    for item in organisations:
        put("legal_name", text_value(item.properties.get("legalName")), item.method, 0.95)
    put("name", page.meta("og:site_name", "application-name"), "meta", 0.9)
    legal = _legal_name(page)
    if legal is not None:
        put("legal_name", legal[0], legal[1], 0.85)
        put("name", legal[0], legal[1], 0.8)
    put("name", _name_from_title(page), "title", 0.6)
    put(
        "description",
        _text(page.meta("og:description", "description", "twitter:description")),
        "meta",
        0.85,
    )
    put("keywords", tuple(_split(page.meta("keywords"))[:20]), "meta", 0.7)
    return facts


def _legal_name(page: Page) -> tuple[str, str] | None:
    """The name with its legal form, from an imprint ("Firma: …", a line ending in GmbH) or the
    copyright notice."""
    for line in page.lines:
        found = _firm_in_line(line.text, line.in_chrome)
        if found is not None:
            return found
    for line in page.lines:
        name = _firm_in_copyright(line.text)
        if name is not None:
            return name, "copyright"
    return None


# Pages of one site repeat most of their lines (the imprint line, the copyright notice in the
# footer): each line is read once.
@short_text_cache
def _firm_in_line(text: str, in_chrome: bool) -> tuple[str, str] | None:
    if len(text) > 120:
        return None
    labelled = _FIRM_LABEL.match(text)
    if labelled and _LEGAL_FORM.search(labelled.group(1)):
        return labelled.group(1).strip(), "imprint"
    if in_chrome or not _LEGAL_FORM.search(text):
        return None
    # "Acme GmbH · Hauptstraße 5 · 10115 Berlin": the firm is one of the parts.
    for part in _LINE_PARTS.split(text):
        if _looks_like_firm_line(part):
            return part.strip(" ,."), "text"
    return None


@short_text_cache
def _firm_in_copyright(text: str) -> str | None:
    match = _COPYRIGHT.search(text) if len(text) <= 200 else None
    if match and _LEGAL_FORM.search(match.group(1)):
        return match.group(1).strip(" ,.")
    return None


def _looks_like_firm_line(text: str) -> bool:
    # "Nordwind Logistik GmbH" stands alone; sentences mentioning a GmbH do not.
    tokens = text.split()
    match = _LEGAL_FORM.search(text)
    return (
        2 <= len(tokens) <= 8
        and match is not None
        and match.end() >= len(text.rstrip(" ,.")) - 1
        and tokens[0][:1].isupper()
    )


def _name_from_title(page: Page) -> str | None:
    if not page.title:
        return None
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(page.title) if p.strip()]
    parts = [p for p in parts if p.lower() not in _GENERIC_TITLE_PARTS]
    if not parts:
        return None
    host = re.sub(r"[^a-z0-9]", "", (page.domain or page.host).split(".")[0])
    for part in parts:
        squashed = re.sub(r"[^a-z0-9]", "", anyascii(part).lower())
        if squashed and host and (squashed in host or host in squashed):
            return part
    # "Page – Company" is the usual order.
    return parts[-1] if len(parts) > 1 else parts[0]


def _text(value) -> str | None:
    text = text_value(value)
    return text[:1000] if text else None


def _split(text: str | None) -> list[str]:
    if not text:
        return []
    return [w.strip() for w in re.split(r"[,;]", text) if w.strip()][:50]


def _spaced(type_name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", type_name)
