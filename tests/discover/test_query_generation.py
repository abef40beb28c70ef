import pytest

from coldflow.discover.icp import ICPError, load_icp
from coldflow.discover.queries import QuerySyntax, generate_queries

PLAIN = QuerySyntax(site_exclusion=False)


def texts(icp_toml: str, syntax: QuerySyntax = PLAIN, limit: int = 30) -> list[str]:
    return [q.text for q in generate_queries(load_icp(icp_toml), syntax, limit=limit)]


def test_each_location_gets_the_main_term_before_synonyms_and_variants() -> None:
    queries = texts('industries = ["logistics"]\nlocations = ["Hamburg", "London"]')

    assert queries[:3] == ["Logistik Hamburg", "logistics Hamburg", "logistics London"]
    assert queries.index("Spedition Hamburg") < queries.index("logistics companies in Hamburg")
    assert "Logistikunternehmen Hamburg" in queries and "logistics company London" in queries


def test_german_phrasings_are_only_for_german_speaking_places() -> None:
    queries = generate_queries(
        load_icp('industries = ["dental clinic"]\nlocations = ["Wien", "Dublin"]'), PLAIN, limit=60
    )

    german = [q.text for q in queries if q.language == "de"]
    assert german and all("Wien" in q for q in german)
    assert not any("Dublin" in q for q in german)
    assert "Zahnarzt Wien" in german and "dentist Dublin" in [q.text for q in queries]


def test_english_queries_for_a_german_place_leave_the_language_open() -> None:
    queries = generate_queries(
        load_icp('industries = ["logistics"]\nlocations = ["Hamburg", "Leeds"]'), PLAIN
    )

    language = {q.text: q.language for q in queries}
    assert language["logistics Hamburg"] is None
    assert language["logistics Leeds"] == "en"
    assert language["Logistik Hamburg"] == "de"


def test_the_users_own_word_is_searched_first() -> None:
    assert texts('industries = ["freight forwarding"]\nlocations = ["Leeds"]')[0] == (
        "freight forwarding Leeds"
    )
    assert texts('industries = ["Spedition"]\nlocations = ["Bremen"]')[0] == "Spedition Bremen"


def test_an_industry_named_by_its_key_is_searched_by_its_words() -> None:
    assert texts('industries = ["real_estate"]\nlocations = ["Leeds"]', limit=1) == [
        "real estate Leeds"
    ]


def test_unknown_industries_and_keywords_are_searched_as_written() -> None:
    queries = texts(
        'industries = ["drone maker"]\nkeywords = ["cold chain"]\nlocations = ["Leeds"]'
    )

    assert queries[:2] == ["drone maker Leeds", "cold chain Leeds"]


def test_operators_follow_what_the_provider_understands() -> None:
    icp = """
    industries = ["logistics"]
    locations = ["Leeds"]
    required_terms = ["cold chain"]
    excluded_terms = ["franchise", "used trucks"]
    excluded_domains = ["dhl.com"]
    """

    full = texts(icp, QuerySyntax(max_exclusions=3))[0]
    plain = texts(icp, QuerySyntax(quotes=False, negative_terms=False, site_exclusion=False))[0]

    assert full == (
        'logistics Leeds "cold chain" -franchise -"used trucks" '
        "-site:dhl.com -site:linkedin.com -site:facebook.com"
    )
    assert plain == "logistics Leeds cold chain"


def test_site_exclusions_stop_at_the_providers_word_limit() -> None:
    query = texts('industries = ["logistics"]\nlocations = ["Leeds"]', QuerySyntax(max_words=4))[0]

    assert query == "logistics Leeds -site:linkedin.com -site:facebook.com"


def test_queries_are_unique_capped_and_always_in_the_same_order() -> None:
    icp = 'industries = ["logistics", "Spedition", "software"]\nlocations = ["DACH", "Leeds"]'

    first = texts(icp, limit=25)

    assert len(first) == 25
    assert len({q.casefold() for q in first}) == 25
    assert texts(icp, limit=25) == first


def test_without_a_location_the_terms_are_searched_alone() -> None:
    assert texts('industries = ["law firm"]', limit=3) == ["law firm", "lawyers", "solicitors"]
    assert texts('industries = ["law firm"]\nlanguages = ["de"]', limit=2) == [
        "Rechtsanwaltskanzlei",
        "Rechtsanwalt",
    ]


def test_a_description_alone_is_read_for_what_to_search() -> None:
    queries = texts('description = "Marketing agencies in Leeds"', limit=2)

    assert queries == ["marketing agency Leeds", "digital marketing Leeds"]


def test_an_icp_with_nothing_to_search_for_is_refused_in_words() -> None:
    with pytest.raises(ICPError, match="names no industry or keyword"):
        generate_queries(load_icp('locations = ["Leeds"]'))
