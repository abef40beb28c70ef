"""Precision: a page full of things that look like addresses yields none, and the page-level
email list records how each real address was found."""

from __future__ import annotations

from pathlib import Path

from coldflow.research.extract import extract_page

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_page_full_of_false_positives_yields_no_emails() -> None:
    # Retina asset names, npm@version URLs, a Sentry DSN, Wix and SendGrid addresses, placeholder
    # and example addresses in code samples, handles, malformed TLDs, a broken Cloudflare value,
    # placeholder mailto links and a JSON-LD author at example.com.
    html = (FIXTURES / "precision_traps.html").read_text()
    assert "logo@2x.png" in html and "ingest.sentry.io" in html
    extraction = extract_page(html, "https://formkit-demo.dev/")
    assert extraction.emails == []
    assert extraction.people == []


def test_third_party_addresses_in_scripts_are_ignored_but_the_sites_own_are_kept() -> None:
    html = """<script>var cfg = {"support": "help@widget-vendor.io", "owner": "hello@acme.de"};</script><p>Hi</p>"""
    emails = extract_page(html, "https://www.acme.de/").emails
    assert [(e.address, e.method) for e in emails] == [("hello@acme.de", "script_text")]


def test_each_address_is_listed_once_with_its_strongest_method() -> None:
    html = """<p>Mail: info@acme.de</p><a href="mailto:info@acme.de">info@acme.de</a>
      <p>max [at] acme [dot] de</p><p>max@acme.de</p>
      <script type="application/ld+json">{"@type": "Organization", "name": "Acme", "email": "office@acme.de"}</script>"""
    emails = extract_page(html, "https://www.acme.de/").emails
    assert sorted((e.address, e.method, e.confidence) for e in emails) == [
        ("info@acme.de", "mailto", 0.95),
        ("max@acme.de", "plain_text", 0.9),
        ("office@acme.de", "jsonld", 0.95),
    ]
