import textwrap

import pytest

from coldflow.discover import icp as icp_module
from coldflow.discover.icp import (
    ICP,
    CompanySize,
    ICPError,
    Location,
    icp_from_mapping,
    icp_to_mapping,
    load_icp,
)

FULL = """
description = "Logistics companies in northern Germany that run their own trucks."
industries = ["logistics", "Spedition"]
keywords = ["cold chain"]
locations = ["Hamburg", "DE", { name = "Sylt", country = "de" }, "München"]
languages = ["DE", "en"]
company_size = { min_employees = 50, max_employees = 200 }
required_terms = ["fleet"]
excluded_terms = ["franchise"]
excluded_domains = ["dhl.com", "https://www.dbschenker.com/de/"]
personas = [
    "decision makers in sales",
    { departments = ["operations"], seniorities = ["head", "c_level"] },
]
"""


def test_it_reads_every_field_of_the_documented_format() -> None:
    icp = load_icp(FULL)

    assert icp.description.startswith("Logistics companies in northern Germany")
    assert icp.industries == ("logistics", "Spedition")
    assert icp.keywords == ("cold chain",)
    assert icp.locations == (
        Location("Hamburg", "DE", "city"),
        Location("Germany", "DE", "country"),
        Location("Sylt", "DE", "place"),
        Location("Munich", "DE", "city"),
    )
    assert icp.languages == ("de", "en")
    assert icp.company_size == CompanySize(50, 200)
    assert icp.required_terms == ("fleet",)
    assert icp.excluded_terms == ("franchise",)
    assert icp.excluded_domains == ("dhl.com", "dbschenker.com")
    assert icp.personas[0] == "decision makers in sales"
    assert icp.personas[1] == {"departments": ["operations"], "seniorities": ["head", "c_level"]}


def test_an_empty_file_is_an_empty_icp() -> None:
    assert load_icp("") == ICP()


def test_groups_expand_into_their_countries() -> None:
    icp = load_icp('locations = ["DACH"]')

    assert [loc.country_code for loc in icp.locations] == ["DE", "AT", "CH"]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ('"50-200"', CompanySize(50, 200)),
        ('"1.000 – 5.000"', CompanySize(1000, 5000)),
        ('"50+"', CompanySize(50, None)),
        ('">50"', CompanySize(51, None)),
        ('"<200"', CompanySize(None, 199)),
        ('"<=200"', CompanySize(None, 200)),
    ],
)
def test_company_size_may_be_written_short(size: str, expected: CompanySize) -> None:
    assert load_icp(f"company_size = {size}").company_size == expected


def test_without_languages_german_places_are_searched_in_german_and_english() -> None:
    assert load_icp('locations = ["Wien"]').search_languages == ("de", "en")
    assert load_icp('locations = ["London"]').search_languages == ("en",)
    assert load_icp('locations = ["Wien"]\nlanguages = ["de"]').search_languages == ("de",)


def test_a_stored_icp_reads_back_unchanged() -> None:
    icp = load_icp(FULL)

    assert icp_from_mapping(icp_to_mapping(icp)) == icp


def problems(text: str) -> list[str]:
    with pytest.raises(ICPError) as refused:
        load_icp(text)
    return refused.value.problems


def test_every_problem_is_reported_at_once_naming_its_field() -> None:
    found = problems(
        """
        industry = ["logistics"]
        locations = ["Atlantis", { name = "Sylt", country = "Germany" }]
        languages = ["german"]
        company_size = { min_employees = "fifty", max_employees = 10 }
        excluded_domains = ["not a domain"]
        personas = ["the nice ones", { departments = ["salez"] }]
        keywords = [42]
        """
    )

    assert found == [
        "'industry' is not an ICP field (did you mean 'industries'?).",
        "keywords[0] must be text, not a number.",
        "locations[0]: 'Atlantis' is not a city, region or country coldflow knows; give its "
        'country: { name = "Atlantis", country = "DE" }.',
        "locations[1].country must be a two-letter country code such as 'DE'.",
        "languages[0] must be a two-letter language code such as 'de', not 'german'.",
        "company_size.min_employees must be a whole number, not 'fifty'.",
        "excluded_domains[0]: 'not a domain' is not a domain name.",
        "personas[0]: 'the nice ones' names no department or seniority coldflow knows "
        "(such as 'heads of sales' or 'decision makers in marketing').",
        "personas[1]: unknown department: salez (known: sales, marketing, engineering, "
        "operations, finance, hr, customer_success, other).",
    ]


def test_min_above_max_is_a_problem() -> None:
    assert problems("company_size = { min_employees = 500, max_employees = 50 }") == [
        "company_size.min_employees (500) is larger than max_employees (50)."
    ]


def test_broken_toml_says_so() -> None:
    (problem,) = problems('industries = ["logistics"')
    assert problem.startswith("The ICP is not valid TOML:")


def test_lists_are_bounded() -> None:
    many = ", ".join(f'"term {i}"' for i in range(60))
    assert problems(f"keywords = [{many}]") == ["keywords has 60 entries; at most 50 are allowed."]


def test_the_documented_example_is_a_valid_icp() -> None:
    doc = icp_module.__doc__
    example = doc[doc.index("optional:") + len("optional:") : doc.index("Problems are reported")]

    icp = load_icp(textwrap.dedent(example))

    assert icp.industries == ("logistics",)
    assert [loc.name for loc in icp.locations] == ["Hamburg", "Bremen", "Sylt"]
    assert len(icp.personas) == 2
