"""Template filters for scraped data."""

from django import template

register = template.Library()


@register.filter
def http_url(value) -> str:
    """The URL if it is http(s), else "": a scraped `javascript:` link never becomes an href."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""
