"""Columns, formats and validation of CSV imports."""

import io

from coldflow.discover.imports import ImportedCompany, read_csv


def read(text: str, mapping=None, **options):
    return read_csv(io.BytesIO(text.encode("utf-8")), mapping, **options)


APOLLO = (
    "First Name,Last Name,Title,Company,Company Name for Emails,Email,Email Status,Seniority,"
    "# Employees,Industry,Person Linkedin Url,Website,Company Linkedin Url,City,Country,"
    "Company City,Company Country,Apollo Contact Id\n"
    "Anna,Schmidt,Head of Sales,Nordvex Logistik GmbH,Nordvex,anna.schmidt@nordvex.de,Verified,"
    "Head,120,logistics,http://www.linkedin.com/in/annaschmidt,http://www.nordvex.de,"
    "http://www.linkedin.com/company/nordvex,Hamburg,Germany,Hamburg,Germany,64f0c1\n"
    "Ben,Ott,CEO,Nordvex Logistik GmbH,Nordvex,ben.ott@nordvex.de,Verified,C-Suite,120,"
    "logistics,,http://www.nordvex.de,,Bremen,Germany,Hamburg,Germany,64f0c2\n"
)


def test_it_reads_an_apollo_export_into_people_and_their_companies() -> None:
    result = read(APOLLO)

    assert result.ok
    assert (result.kind, result.source_format) == ("people", "apollo")
    assert result.mapping["employees"] == "# Employees"
    anna, ben = result.people
    assert (anna.row, anna.email, anna.first_name, anna.last_name) == (
        2,
        "anna.schmidt@nordvex.de",
        "Anna",
        "Schmidt",
    )
    assert (anna.title, anna.company_domain, anna.city) == (
        "Head of Sales",
        "nordvex.de",
        "Hamburg",
    )
    assert anna.linkedin_url == "http://www.linkedin.com/in/annaschmidt"
    assert anna.extra == {
        "Company Name for Emails": "Nordvex",
        "Email Status": "Verified",
        "Seniority": "Head",
        "Apollo Contact Id": "64f0c1",
    }
    assert ben.city == "Bremen"
    assert result.companies == [
        ImportedCompany(
            row=2,
            domain="nordvex.de",
            name="Nordvex Logistik GmbH",
            website="http://www.nordvex.de",
            industry="logistics",
            employees_min=120,
            employees_max=120,
            linkedin_url="http://www.linkedin.com/company/nordvex",
            city="Hamburg",
            country="Germany",
        )
    ]


def test_it_reads_a_hunter_export() -> None:
    result = read(
        "Email address,First name,Last name,Position,Company,Domain name,Confidence score\n"
        "jo@talwick.co.uk,Jo,Wren,Operations Director,Talwick Freight,talwick.co.uk,97\n"
    )

    assert result.ok and result.source_format == "hunter"
    (person,) = result.people
    assert (person.email, person.title, person.company_domain) == (
        "jo@talwick.co.uk",
        "Operations Director",
        "talwick.co.uk",
    )
    assert person.extra == {"Confidence score": "97"}


def test_it_reads_an_instantly_export_with_its_personalisation() -> None:
    result = read(
        "email,firstName,lastName,companyName,website,personalization,Custom Hook\n"
        "mia@brivex.de,Mia,Lang,Brivex Cargo,brivex.de,Loved your post on e-trucks,Hamburg\n"
    )

    assert result.ok and result.source_format == "instantly"
    (person,) = result.people
    assert person.personalization == "Loved your post on e-trucks"
    assert person.company_name == "Brivex Cargo" and person.company_domain == "brivex.de"
    assert person.extra == {"Custom Hook": "Hamburg"}


def test_it_reads_a_plain_list_of_companies() -> None:
    result = read(
        "Name,Website,Mitarbeiter,Branche,Stadt\n"
        "Nordvex Logistik,https://nordvex.de,50-200,Logistik,Hamburg\n"
        'Brivex Cargo,www.brivex.de,"1.200",,Bremen\n'
    )

    assert result.ok and (result.kind, result.source_format) == ("companies", "generic")
    nordvex, brivex = result.companies
    assert (nordvex.name, nordvex.domain, nordvex.employees_min, nordvex.employees_max) == (
        "Nordvex Logistik",
        "nordvex.de",
        50,
        200,
    )
    assert (brivex.domain, brivex.employees_min, brivex.city) == ("brivex.de", 1200, "Bremen")
    assert result.people == []


def test_an_explicit_mapping_overrides_and_adds_columns() -> None:
    result = read(
        "E-Post,Homepage,Kommentar\nanna@nordvex.de,nordvex.de,call in May\n",
        {"email": "E-Post", "website": "Homepage"},
    )

    assert result.ok
    assert result.mapping == {"email": "E-Post", "website": "Homepage"}
    (person,) = result.people
    assert (person.email, person.company_domain, person.extra) == (
        "anna@nordvex.de",
        "nordvex.de",
        {"Kommentar": "call in May"},
    )


def test_a_mapping_can_switch_a_recognised_column_off() -> None:
    result = read("email,website\nanna@nordvex.de,other.de\n", {"website": None})

    assert result.people[0].company_domain == "nordvex.de"
    assert result.people[0].extra == {"website": "other.de"}


def test_a_company_comes_from_a_business_address_but_never_from_free_mail() -> None:
    result = read("email,first name\nanna@nordvex.de,Anna\nbob@gmail.com,Bob\n")

    assert [p.company_domain for p in result.people] == ["nordvex.de", ""]
    assert [c.domain for c in result.companies] == ["nordvex.de"]


def test_every_bad_value_is_reported_with_its_row_and_column_in_words() -> None:
    result = read(
        "email,First Name,Website,# Employees,Person Linkedin Url\n"
        "anna@nordvex.de,Anna,nordvex.de,50,\n"
        "anna(at)x,Bea,,,\n"
        "carl@brivex.de,Carl,not a site,lots,https://twitter.com/carl\n"
        ",,,,\n"
        ",Dora,,,\n"
    )

    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "row 3: 'email' is not an email address: 'anna(at)x'",
        "row 4: 'Website' is not a web address: 'not a site'",
        "row 4: '# Employees' is not a number of employees: 'lots'",
        "row 4: 'Person Linkedin Url' is not a LinkedIn address: 'https://twitter.com/carl'",
        "row 6: a person needs an email address, or a name and a company website",
    ]
    assert [(e.row, e.column) for e in result.errors][:2] == [(3, "email"), (4, "Website")]
    assert result.rows == 4


def test_placeholder_values_count_as_empty() -> None:
    result = read("Name,Website,Industry\nNordvex,nordvex.de,n/a\n")

    assert result.ok and result.companies[0].industry == ""


def test_repeated_rows_are_left_out_and_said_so() -> None:
    result = read(
        "email,website\nanna@nordvex.de,nordvex.de\nANNA@nordvex.de,nordvex.de\n"
        "ben@nordvex.de,nordvex.de\n"
    )

    assert result.ok
    assert [p.email for p in result.people] == ["anna@nordvex.de", "ben@nordvex.de"]
    assert [str(s) for s in result.skipped] == ["row 3: repeats row 2 (anna@nordvex.de)"]
    assert len(result.companies) == 1


def test_later_rows_fill_in_what_earlier_rows_left_empty_about_a_company() -> None:
    result = read(
        "email,website,company,industry\n"
        "anna@nordvex.de,nordvex.de,,\n"
        "ben@nordvex.de,nordvex.de,Nordvex,logistics\n"
    )

    (company,) = result.companies
    assert (company.row, company.name, company.industry) == (2, "Nordvex", "logistics")


def test_a_company_list_needs_a_website_or_domain_on_every_row() -> None:
    result = read("Name,Website\nNordvex,\n")

    assert [str(e) for e in result.errors] == ["row 2: a company needs a website or domain"]


def test_a_file_without_known_columns_asks_for_a_mapping() -> None:
    result = read("foo,bar\n1,2\n")

    assert result.fatal is not None and "map them to fields" in result.fatal
    assert not result.ok


def test_a_mapping_that_names_what_is_not_there_is_refused() -> None:
    assert "not a field" in read("email\na@b.de\n", {"mail_address": "email"}).fatal
    assert "does not have" in read("email\na@b.de\n", {"email": "E-Mail"}).fatal
