"""The company's own social profiles."""

from __future__ import annotations

from coldflow.research.extract import extract_page
from coldflow.research.extract.social_links import social_profile


def test_it_normalises_company_profiles_of_each_network() -> None:
    assert social_profile("https://de.linkedin.com/company/acme-gmbh/about/?trk=x") == (
        "linkedin",
        "https://www.linkedin.com/company/acme-gmbh",
    )
    assert social_profile("https://twitter.com/acme_de") == ("twitter", "https://x.com/acme_de")
    assert social_profile("https://x.com/acme?lang=de") == ("twitter", "https://x.com/acme")
    assert social_profile("http://www.facebook.com/AcmeGmbH/") == (
        "facebook",
        "https://www.facebook.com/AcmeGmbH",
    )
    assert social_profile("https://www.instagram.com/acme.de/") == (
        "instagram",
        "https://www.instagram.com/acme.de",
    )
    assert social_profile("https://www.youtube.com/@acme") == (
        "youtube",
        "https://www.youtube.com/@acme",
    )
    assert social_profile("https://github.com/acme") == ("github", "https://github.com/acme")
    assert social_profile("https://www.xing.com/pages/acme-gmbh") == (
        "xing",
        "https://www.xing.com/pages/acme-gmbh",
    )


def test_share_buttons_posts_and_personal_profiles_are_not_company_profiles() -> None:
    for url in (
        "https://twitter.com/intent/tweet?url=x",
        "https://www.facebook.com/sharer/sharer.php?u=x",
        "https://www.instagram.com/p/Cx1y2z3/",
        "https://www.linkedin.com/in/anna-schmidt",
        "https://github.com/acme/widgets",
        "https://www.facebook.com/tr?id=123",
    ):
        assert social_profile(url) is None, url


def test_the_most_linked_profile_wins_per_network() -> None:
    html = """<a href="https://twitter.com/partner_co">Partner</a>
      <header><a href="https://twitter.com/acme">X</a></header><footer><a href="https://twitter.com/acme">X</a></footer>
      <script type="application/ld+json">{"@type": "Organization", "name": "Acme", "sameAs": ["https://www.linkedin.com/company/acme"]}</script>"""
    links = extract_page(html, "https://acme.de/").social_links
    assert [(s.network, s.url, s.method) for s in links] == [
        ("twitter", "https://x.com/acme", "link"),
        ("linkedin", "https://www.linkedin.com/company/acme", "jsonld"),
    ]
