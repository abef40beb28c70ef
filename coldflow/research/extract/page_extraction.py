"""extract_page: everything extraction finds on one page."""

from __future__ import annotations

from datetime import UTC, datetime

from coldflow.research.extract.company import find_company
from coldflow.research.extract.decoding import decode_html
from coldflow.research.extract.emails import find_emails
from coldflow.research.extract.facts import PageExtraction
from coldflow.research.extract.markup_bounds import ParsedHtml
from coldflow.research.extract.open_roles import find_open_roles
from coldflow.research.extract.page import parse_page
from coldflow.research.extract.people import find_people
from coldflow.research.extract.phones import find_phones, phone_region
from coldflow.research.extract.posts import find_posts
from coldflow.research.extract.social_links import find_social_links
from coldflow.research.extract.structured_data import structured_items
from coldflow.research.extract.technologies import find_technologies


def extract_page(
    html: str | bytes,
    url: str,
    *,
    encoding: str | None = None,
    extracted_at: datetime | None = None,
    parsed: ParsedHtml | None = None,
) -> PageExtraction:
    """Extract from one page. Bytes are decoded with `encoding` when given, else with the
    page's BOM or meta charset, else by detection. Input is bounded (see markup_bounds and
    decoding), so hostile pages cost at most a fraction of a second. `parsed` is the text
    already parsed (see parse_page); extraction changes its tree."""
    text = decode_html(html, encoding) if isinstance(html, bytes) else html
    page = parse_page(text, url, parsed)
    items = structured_items(page)
    company = find_company(page, items)
    country = company.get("country")
    region = phone_region(
        page.host,
        page.language,
        country.value if country and isinstance(country.value, str) else None,
    )
    return PageExtraction(
        url=url,
        extracted_at=extracted_at or datetime.now(UTC),
        language=page.language,
        emails=find_emails(page, items),
        phones=find_phones(page, items, region),
        people=find_people(page, items),
        social_links=find_social_links(page, items),
        technologies=find_technologies(page),
        open_roles=find_open_roles(page, items),
        posts=find_posts(page, items),
        company=company,
    )
