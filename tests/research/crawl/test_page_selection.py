from coldflow.research.crawl.links import Link, extract_links
from coldflow.research.crawl.page_kinds import PageKind
from coldflow.research.crawl.selection import choose_pages, classify_link, rank_candidates
from coldflow.research.crawl.site_scope import site_key

GERMAN_HOME = """<nav>
<a href="/">Startseite</a><a href="/ueber-uns/">Über uns</a><a href="/ueber-uns/team">Unser Team</a>
<a href="/leistungen">Leistungen</a><a href="/karriere/">Karriere</a><a href="/aktuelles">Aktuelles</a>
<a href="/aktuelles/2024/05/neue-halle-in-bremen">Neue Halle in Bremen eröffnet</a>
<a href="/kontakt">Kontakt</a><a href="/impressum">Impressum</a><a href="/datenschutz">Datenschutz</a>
<a href="https://www.linkedin.com/company/nordwind">LinkedIn</a>
<a href="mailto:info@nordwind-logistik.de">E-Mail</a><a href="/downloads/preisliste.pdf">Preise</a>
</nav>"""

ENGLISH_HOME = """<header>
<a href="/about-us">About us</a><a href="/about-us/leadership-team">Leadership</a>
<a href="/careers?src=nav">We're hiring!</a><a href="/blog">Blog</a>
<a href="/blog/tag/logistics">Logistics</a><a href="/contact">Get in touch</a>
<a href="/legal/privacy-policy">Privacy policy</a><a href="/legal/imprint">Legal notice</a>
<a href="https://elsewhere.example/team">Team</a></header>"""


def chosen(html: str, base: str, slots: int = 6) -> dict[PageKind, str]:
    links = extract_links(html, base)
    site = site_key(base.split("/")[2])
    candidates = rank_candidates(links, site=site, exclude=[base])
    return {c.kind: c.url for c in choose_pages(candidates, slots=slots)}


def test_it_picks_one_page_of_each_kind_from_german_links() -> None:
    assert chosen(GERMAN_HOME, "https://www.nordwind-logistik.de/") == {
        PageKind.TEAM: "https://www.nordwind-logistik.de/ueber-uns/team",
        PageKind.ABOUT: "https://www.nordwind-logistik.de/ueber-uns/",
        PageKind.CONTACT: "https://www.nordwind-logistik.de/kontakt",
        PageKind.IMPRINT: "https://www.nordwind-logistik.de/impressum",
        PageKind.CAREERS: "https://www.nordwind-logistik.de/karriere/",
        PageKind.BLOG: "https://www.nordwind-logistik.de/aktuelles",
    }


def test_it_picks_one_page_of_each_kind_from_english_links() -> None:
    assert chosen(ENGLISH_HOME, "https://acme.co.uk/") == {
        PageKind.TEAM: "https://acme.co.uk/about-us/leadership-team",
        PageKind.ABOUT: "https://acme.co.uk/about-us",
        PageKind.CONTACT: "https://acme.co.uk/contact",
        PageKind.IMPRINT: "https://acme.co.uk/legal/imprint",
        PageKind.CAREERS: "https://acme.co.uk/careers?src=nav",
        PageKind.BLOG: "https://acme.co.uk/blog",
    }


def test_a_small_budget_keeps_people_pages_first() -> None:
    assert list(chosen(ENGLISH_HOME, "https://acme.co.uk/", slots=2)) == [
        PageKind.TEAM,
        PageKind.ABOUT,
    ]


def test_links_to_other_sites_are_ignored_but_subdomains_count() -> None:
    links = [
        Link("https://elsewhere.example/team", "Team"),
        Link("http://10.0.0.5/team", "Team"),
        Link("https://jobs.acme.co.uk/", "Jobs"),
    ]
    candidates = rank_candidates(links, site="acme.co.uk")
    assert [(c.kind, c.url) for c in candidates] == [(PageKind.CAREERS, "https://jobs.acme.co.uk/")]


def test_the_url_alone_is_enough_for_sitemap_entries() -> None:
    assert classify_link("https://acme.de/de/unternehmen/geschaeftsfuehrung/", "").kind == "team"
    assert classify_link("https://acme.de/impressum.html", "").kind == "imprint"
    assert classify_link("https://acme.de/stellenangebote", "").kind == "careers"
    assert classify_link("https://acme.com/en/about", "").kind == "about"


def test_files_policies_and_blog_posts_are_not_candidates() -> None:
    assert classify_link("https://acme.de/team/foto.jpg", "Team") is None
    assert classify_link("https://acme.de/datenschutz", "Datenschutz & Impressum") is None
    assert (
        classify_link("https://acme.de/blog/2024/05/03/unser-sommerfest", "Unser Sommerfest")
        is None
    )
    assert classify_link("https://acme.de/produkte", "Produkte") is None


def test_a_link_text_naming_a_more_specific_kind_wins() -> None:
    candidate = classify_link("https://acme.com/join", "Join our team")
    assert candidate is not None and candidate.kind == PageKind.CAREERS
