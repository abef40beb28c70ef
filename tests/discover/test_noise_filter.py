import pytest

from coldflow.discover.domains import classify_noise, free_mail_domains


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("https://www.yelp.com/search?find_desc=logistics", "directory"),
        ("https://www.yelp.de/biz/nordvex", "directory"),
        ("https://www.gelbeseiten.de/branchen/logistik/hamburg", "directory"),
        ("https://www.kompass.com/c/x", "directory"),
        ("https://www.europages.co.uk/companies/logistics.html", "directory"),
        ("https://www.crunchbase.com/organization/acme", "directory"),
        ("https://de.linkedin.com/company/nordvex", "social_network"),
        ("https://www.xing.com/pages/nordvex", "social_network"),
        ("https://m.facebook.com/nordvex", "social_network"),
        ("https://de.wikipedia.org/wiki/Spedition", "reference"),
        ("https://www.amazon.de/stores/nordvex", "marketplace"),
        ("https://www.ebay.co.uk/str/acme", "marketplace"),
        ("https://de.indeed.com/cmp/Nordvex/jobs", "job_board"),
        ("https://www.stepstone.de/stellenangebote--Disponent", "job_board"),
        ("https://www.glassdoor.co.uk/Overview/acme", "job_board"),
        ("https://www.spiegel.de/wirtschaft/a-123.html", "news"),
    ],
)
def test_known_noise_sites_are_recognised_under_any_subdomain_and_suffix(
    url: str, category: str
) -> None:
    verdict = classify_noise(url)

    assert verdict is not None and verdict.category == category


def test_the_reason_names_the_site_and_what_it_is() -> None:
    verdict = classify_noise("https://de.indeed.com/cmp/Nordvex/jobs")

    assert verdict is not None
    assert verdict.reason == "job board: indeed.com is a known job board"


@pytest.mark.parametrize(
    ("url", "title", "category"),
    [
        ("https://www.top10firms.com/best/logistics", "Top 10 Logistics companies in Hamburg (2025)", "directory"),
        ("https://www.firmenvergleich-top10.de/die-besten/x", "Die 10 besten Logistik-Firmen in Hamburg", "directory"),
        ("https://www.citylist.example.com/x", "THE BEST Logistics in Hamburg - Updated 2025", "directory"),
        ("https://www.regio-info.de/x", "Logistik in Hamburg – Adressen und Telefonnummern", "directory"),
        ("https://guide.example.org/", "The 25 best dental clinics near me", "directory"),
        ("https://list.example.org/", "List of software companies in Berlin", "directory"),
        ("https://agenturen.example.de/", "Werbeagenturen in Köln: Agenturen in Ihrer Nähe", "directory"),
        ("https://www.businesswire-daily.com/2025/03/nordvex-12", "Nordvex expands", "news"),
        ("https://www.wirtschaft-regional.de/2024/11/nordvex-3", "Hamburg: Nordvex wächst", "news"),
        ("https://jobs-in-hamburg.de/disponent", "Disponent (m/w/d)", "job_board"),
        ("https://karriere.example.com/company/nordvex/jobs/", "Jobs at Nordvex", "job_board"),
    ],
)  # fmt: skip
def test_unknown_listing_news_and_job_sites_are_recognised_by_their_shape(
    url: str, title: str, category: str
) -> None:
    verdict = classify_noise(url, title)

    assert verdict is not None and verdict.category == category


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("https://www.nordvex-logistik.de/", "Nordvex Logistik – Logistik in Hamburg"),
        ("https://jobs.nordvex-logistik.de/", "Karriere bei Nordvex"),
        ("https://nordvex-logistik.de/2024/05/neues-lager", "Unser neues Lager"),
        ("https://ranking-seo.de/", "Ranking SEO – Ihre Agentur in Köln"),
        ("https://careerpartners.co.uk/", "Career Partners – Recruitment in Leeds"),
        ("https://www.bestbau.de/", "Best Bau GmbH – Ihr Bauunternehmen"),
        ("https://mueller-steuer.de/", "Müller Steuerberatung – Ihr Anbieter aus Hamburg"),
    ],
)
def test_company_sites_are_not_noise(url: str, title: str) -> None:
    assert classify_noise(url, title) is None


def test_a_reason_fits_the_candidate_table_however_long_the_title() -> None:
    verdict = classify_noise("https://lists.example.com/", "Top 10 " + "very long title " * 100)

    assert verdict is not None and len(verdict.reason) <= 200


def test_free_mail_providers_are_known() -> None:
    assert {"gmail.com", "web.de", "gmx.de", "outlook.com"} <= free_mail_domains()
    assert "acme.de" not in free_mail_domains()
