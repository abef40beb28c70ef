"""What the sandbox search engine knows about each company site."""

from __future__ import annotations

from coldflow.sandbox.world.industries import BY_KEY as INDUSTRIES
from coldflow.sandbox.world.model import Company, SearchDocument
from coldflow.sandbox.world.places import BY_CODE as COUNTRIES


def place_words(company: Company) -> str:
    """City with its other spellings, and the country in both languages."""
    country = COUNTRIES[company.country]
    city = next(c for c in country.cities if c.name == company.city)
    return " ".join((city.name, *city.aliases, country.name_en, country.name_de))


def industry_words(key: str) -> str:
    ind = INDUSTRIES[key]
    return " ".join(
        (ind.label_en, ind.label_de, ind.kind_en, ind.kind_de, *ind.terms_en, *ind.terms_de)
    )


def company_document(company: Company) -> SearchDocument:
    ind = INDUSTRIES[company.industry]
    label = ind.label_de if company.language == "de" else ind.label_en
    text = " ".join(
        (
            company.name,
            industry_words(company.industry),
            place_words(company),
            " ".join(company.keywords),
            company.description,
        )
    )
    return SearchDocument(
        url=company.url("/"),
        title=f"{company.name} – {label} in {company.city}",
        content=company.description,
        text=text,
        language=company.language,
        kind="company",
    )
