"""Company facts of one page, keyed as documented on `PageExtraction.company`."""

from __future__ import annotations

from coldflow.research.extract.company_figures import find_founding_year, find_size
from coldflow.research.extract.company_identity import find_identity, is_organisation
from coldflow.research.extract.countries import country_of_domain
from coldflow.research.extract.facts import CompanyFact
from coldflow.research.extract.page import Page
from coldflow.research.extract.postal_address import find_address
from coldflow.research.extract.structured_data import StructuredItem


def find_company(page: Page, items: list[StructuredItem]) -> dict[str, CompanyFact]:
    organisations = [item for item in items if is_organisation(item)]
    facts = find_identity(page, organisations)
    address = find_address(page, items)
    if address is not None:
        facts["address"] = address
        city = address.value.get("city") if isinstance(address.value, dict) else None
        if city:
            facts["city"] = CompanyFact(city, address.method, address.confidence, page.url)
    country = _country(page, address)
    if country is not None:
        facts["country"] = country
    for key, fact in (
        ("founding_year", find_founding_year(page, organisations)),
        ("size", find_size(page, organisations)),
    ):
        if fact is not None:
            facts[key] = fact
    return facts


def _country(page: Page, address: CompanyFact | None) -> CompanyFact | None:
    if address is not None and isinstance(address.value, dict) and address.value.get("country"):
        return CompanyFact(address.value["country"], address.method, address.confidence, page.url)
    code = country_of_domain(page.domain or page.host)
    if code:
        return CompanyFact(code, "tld", 0.7, page.url)
    region = (page.language or "").partition("-")[2]
    if len(region) == 2 and region.isalpha():
        return CompanyFact(region.upper(), "language", 0.4, page.url)
    return None
