"""The object `coldflow extract … --json` prints for one file."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from coldflow.research.extract import extract_page, extraction_to_json

HTML = """<html lang="de"><head><title>Team | Acme</title>
<meta name="keywords" content="Robotik, Automation">
<script type="application/ld+json">{"@type": "JobPosting", "title": "Backend Engineer", "jobLocationType": "TELECOMMUTE"}</script>
</head><body>
<div class="member"><h3>Anna Schmidt</h3><p>Head of Sales</p><a href="mailto:anna@acme.de">Mail</a></div>
<p>Tel. 030 1234567 · <a href="https://www.linkedin.com/company/acme">LinkedIn</a></p>
<article><a href="/blog/hallo"><h3>Hallo Welt</h3></a><time datetime="2025-01-15">15.01.2025</time></article>
<script src="https://js.stripe.com/v3/"></script>
</body></html>"""


def test_it_has_exactly_the_documented_shape() -> None:
    extraction = extract_page(
        HTML, "https://acme.de/team", extracted_at=datetime(2025, 2, 1, tzinfo=UTC)
    )
    assert extraction_to_json("pages/team.html", extraction) == {
        "file": "pages/team.html",
        "emails": ["anna@acme.de"],
        "phones": ["+49301234567"],
        "people": [{"name": "Anna Schmidt", "title": "Head of Sales", "email": "anna@acme.de"}],
        "company": {
            "name": "Acme",
            "keywords": ["Robotik", "Automation"],
            "country": "DE",
            "social_links": {"linkedin": "https://www.linkedin.com/company/acme"},
            "technologies": ["Stripe"],
            "open_roles": [{"title": "Backend Engineer", "location": "Remote", "url": None}],
            "posts": [
                {"title": "Hallo Welt", "url": "https://acme.de/blog/hallo", "date": "2025-01-15"}
            ],
        },
    }
    assert extraction.extracted_at == datetime(2025, 2, 1, tzinfo=UTC)


def test_it_is_plain_json() -> None:
    result = extraction_to_json("x.html", extract_page(HTML, "https://acme.de/team"))
    assert json.loads(json.dumps(result)) == result


def test_an_empty_page_still_has_every_key() -> None:
    assert extraction_to_json("empty.html", extract_page("", "https://acme.io/")) == {
        "file": "empty.html",
        "emails": [],
        "phones": [],
        "people": [],
        "company": {"social_links": {}, "technologies": [], "open_roles": [], "posts": []},
    }
