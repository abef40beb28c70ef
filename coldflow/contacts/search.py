"""Lead search: one lower-cased text per lead (the person's name, the company's name and
domain, the email address) that the leads page and the API both search with a substring
match. On PostgreSQL a trigram (pg_trgm) GIN index serves that match (migration
contacts 0004), so rare terms no longer read the whole table."""

from __future__ import annotations

# Joins the parts; the search box collapses whitespace, so a term never spans two parts.
SEPARATOR = "\n"


def lead_search_text(full_name: str, company_name: str, domain: str, address: str) -> str:
    """The text a lead is found by: its parts, lower-cased, one per line."""
    return SEPARATOR.join(part.lower() for part in (full_name, company_name, domain, address))


def search_term(text: str) -> str:
    """The term to look for in lead_search_text: collapsed whitespace, lower-cased."""
    return " ".join(text.split()).lower()


def search_leads(rows, text: str):
    """`rows` (a Lead queryset) narrowed to leads whose name, company, domain or email
    address contains `text`, case-insensitively; unchanged for a blank text."""
    term = search_term(text)
    return rows.filter(search_text__contains=term) if term else rows
