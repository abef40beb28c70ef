"""Extraction from web pages: pure functions over HTML, no network, no database.

extraction = extract_page(html_or_bytes, "https://acme.de/team")
extraction.emails, .phones, .people, .social_links, .technologies, .open_roles, .posts,
.company  — every item with method, confidence and source_url.
"""

from coldflow.research.extract.facts import (
    CompanyFact,
    EmailFact,
    OpenRole,
    PageExtraction,
    PersonFact,
    PhoneFact,
    Post,
    SocialLink,
    Technology,
)
from coldflow.research.extract.json_output import extraction_to_json
from coldflow.research.extract.page_extraction import extract_page

__all__ = [
    "CompanyFact",
    "EmailFact",
    "OpenRole",
    "PageExtraction",
    "PersonFact",
    "PhoneFact",
    "Post",
    "SocialLink",
    "Technology",
    "extract_page",
    "extraction_to_json",
]
