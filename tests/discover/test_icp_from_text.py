from coldflow.discover.icp import CompanySize, Location, icp_from_text


def test_it_reads_the_example_from_the_issue() -> None:
    text = "logistics companies in Germany with 50-200 employees, decision makers in sales"

    icp = icp_from_text(text)

    assert icp.description == text
    assert icp.industries == ("logistics",)
    assert icp.locations == (Location("Germany", "DE", "country"),)
    assert icp.company_size == CompanySize(50, 200)
    assert icp.personas == ("decision makers in sales",)


def test_it_reads_german() -> None:
    icp = icp_from_text(
        "Zahnarztpraxen in München und Wien, mindestens 10 Mitarbeiter; Entscheider im Marketing"
    )

    assert icp.industries == ("dental clinic",)
    assert icp.locations == (Location("Munich", "DE", "city"), Location("Vienna", "AT", "city"))
    assert icp.company_size == CompanySize(10, None)
    assert icp.personas == ("Entscheider im Marketing",)


def test_groups_codes_and_adjectives_name_countries() -> None:
    assert [loc.country_code for loc in icp_from_text("SaaS in the DACH region").locations] == [
        "DE",
        "AT",
        "CH",
    ]
    assert icp_from_text("IT services firms in the UK").locations == (
        Location("United Kingdom", "GB", "country"),
    )
    assert icp_from_text("German machine builders").locations == (
        Location("Germany", "DE", "country"),
    )


def test_it_tells_exclusions_and_quoted_requirements_apart() -> None:
    icp = icp_from_text(
        "SaaS and IT security companies, no agencies, excluding example.com or foo.de, "
        'must mention "ISO 27001"'
    )

    assert icp.industries == ("software", "cybersecurity")
    assert icp.excluded_terms == ("agencies",)
    assert icp.excluded_domains == ("example.com", "foo.de")
    assert icp.required_terms == ("ISO 27001",)


def test_size_phrases_in_words() -> None:
    assert icp_from_text("firms with no more than 500 employees").company_size == CompanySize(
        None, 500
    )
    assert icp_from_text("over 1,000 staff").company_size == CompanySize(1001, None)
    assert icp_from_text("fewer than 50 people").company_size == CompanySize(None, 49)
    assert icp_from_text("zwischen 20 und 99 Mitarbeitern").company_size == CompanySize(20, 99)
    assert icp_from_text("German SMEs").company_size == CompanySize(None, 249)
    assert icp_from_text("mittelständische Betriebe").company_size == CompanySize(50, 249)


def test_an_unknown_kind_of_company_becomes_a_keyword() -> None:
    icp = icp_from_text("drone manufacturers in Bavaria, heads of engineering")

    assert icp.keywords == ("drone manufacturers",)
    assert icp.locations == (Location("Bavaria", "DE", "region"),)
    assert icp.personas == ("heads of engineering",)


def test_what_it_does_not_recognise_it_leaves_out_rather_than_guess() -> None:
    icp = icp_from_text("people who would love our product")

    assert icp.industries == () and icp.locations == () and icp.personas == ()
    assert icp.company_size == CompanySize()
    assert icp.description == "people who would love our product"


def test_a_huge_text_is_cut_not_choked_on() -> None:
    icp = icp_from_text("logistics in Hamburg, " * 10_000)

    assert icp.industries == ("logistics",)
    assert len(icp.description) <= 5000
