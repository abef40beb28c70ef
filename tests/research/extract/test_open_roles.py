"""Open roles from JSON-LD JobPosting and from careers pages."""

from __future__ import annotations

from coldflow.research.extract import extract_page


def _roles(html: str, url: str = "https://www.acme.de/karriere/") -> list[tuple]:
    return [(r.title, r.location, r.url, r.method) for r in extract_page(html, url).open_roles]


def test_job_postings_give_title_location_and_url() -> None:
    html = """<script type="application/ld+json">[
      {"@type": "JobPosting", "title": "Backend Engineer", "url": "/jobs/backend",
       "jobLocation": [{"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Berlin"}},
                       {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Hamburg"}}]},
      {"@type": "JobPosting", "title": "Support Agent", "jobLocationType": "TELECOMMUTE"}]</script>"""
    assert _roles(html, "https://acme.de/") == [
        ("Backend Engineer", "Berlin, Hamburg", "https://acme.de/jobs/backend", "jsonld"),
        ("Support Agent", "Remote", None, "jsonld"),
    ]


def test_careers_pages_list_roles_with_their_locations() -> None:
    html = """<h1>Karriere</h1><h2>Offene Stellen</h2><ul>
      <li><a href="/karriere/pm"><h3>Projektleiter Photovoltaik (m/w/d)</h3><span>Freiburg / Hybrid · Vollzeit</span></a></li>
      <li><a href="/karriere/dev">Senior Frontend Developer – Remote</a></li>
      <li><a href="/karriere/azubi">Ausbildung Elektroniker (m/w/d)</a></li></ul>
      <h2>Deine Benefits</h2><ul><li>30 Tage Urlaub</li><li>JobRad</li></ul>
      <h2>Deine Ansprechpartnerin</h2><h3>Julia Becker</h3><p>HR Managerin</p>"""
    assert _roles(html) == [
        (
            "Projektleiter Photovoltaik (m/w/d)",
            "Freiburg",
            "https://www.acme.de/karriere/pm",
            "careers_page",
        ),
        ("Senior Frontend Developer", "Remote", "https://www.acme.de/karriere/dev", "careers_page"),
        (
            "Ausbildung Elektroniker (m/w/d)",
            None,
            "https://www.acme.de/karriere/azubi",
            "careers_page",
        ),
    ]


def test_team_pages_titles_are_not_openings() -> None:
    html = "<h1>Our team</h1><h3>Anna Schmidt</h3><p>Senior Developer</p><h2>Want to join us?</h2>"
    assert _roles(html, "https://www.acme.de/team/") == []
