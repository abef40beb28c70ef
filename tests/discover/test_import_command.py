"""`coldflow import` on a fresh installation: stored with provenance, deduplicated, all or
nothing, and idempotent."""

from __future__ import annotations

import json

import pytest

APOLLO = (
    "First Name,Last Name,Title,Company,Email,Website,# Employees,Company Country,"
    "Person Linkedin Url,Apollo Contact Id\n"
    "Anna,Schmidt,Head of Sales,Nordvex Logistik,anna.schmidt@nordvex.de,http://www.nordvex.de,"
    "120,Germany,https://www.linkedin.com/in/annaschmidt,a1\n"
    "Ben,Ott,CEO,Nordvex Logistik,ben.ott@nordvex.de,http://www.nordvex.de,120,Germany,,a2\n"
    "Jo,Wren,Operations Director,Talwick Freight,jo@talwick.co.uk,talwick.co.uk,,,,a3\n"
)

COUNTS = """
import json
from coldflow.contacts.models import EmailAddress, Person
from coldflow.research.models import Company, Fact
print(json.dumps([Company.objects.count(), Person.objects.count(),
                  EmailAddress.objects.count(), Fact.objects.count()]))
"""


@pytest.fixture
def installed(instance):
    done = instance.run("init")
    assert done.returncode == 0, done.stderr
    return instance


def counts(instance) -> list[int]:
    result = instance.python(COUNTS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write(instance, name: str, data: str | bytes) -> str:
    path = instance.data_dir.parent / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return str(path)


def test_an_apollo_export_is_stored_with_the_file_and_row_as_source(installed) -> None:
    path = write(installed, "apollo.csv", APOLLO)

    result = installed.run("import", path, "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["kind"], report["format"], report["imported"]) == ("people", "apollo", True)
    assert report["summary"]["companies_created"] == 2
    assert report["summary"]["people_created"] == 3
    assert report["summary"]["emails_created"] == 3
    stored = installed.python(
        """
import json
from coldflow.contacts.models import EmailAddress, Person
from coldflow.research.models import Company, Fact
nordvex = Company.objects.get(domain="nordvex.de")
anna = Person.objects.get(name_key="anna schmidt")
email = EmailAddress.objects.get(address="anna.schmidt@nordvex.de")
title = Fact.objects.get(person=anna, key="person.title")
print(json.dumps({
    "company": [nordvex.name, nordvex.origin, nordvex.country, nordvex.size_hint],
    "anna": [anna.company.domain, anna.given_name, anna.family_name, anna.seniority,
             anna.department, anna.linkedin_url],
    "email": [email.origin, email.person_id == anna.id, email.source_url],
    "title": [title.value, title.method, title.source_url, title.origin],
    "extra": Fact.objects.get(person=anna, key="import.columns").value,
    "methods": sorted(set(Fact.objects.values_list("method", flat=True))),
}))
"""
    )
    assert stored.returncode == 0, stored.stderr
    facts = json.loads(stored.stdout)
    assert facts["company"] == ["Nordvex Logistik", "import", "DE", "120 employees"]
    assert facts["anna"] == [
        "nordvex.de",
        "Anna",
        "Schmidt",
        "head",
        "sales",
        "https://www.linkedin.com/in/annaschmidt",
    ]
    assert facts["email"] == ["imported", True, "apollo.csv#row=2"]
    assert facts["title"] == ["Head of Sales", "csv_import", "apollo.csv#row=2", "import"]
    assert facts["extra"] == {"Apollo Contact Id": "a1"}
    assert facts["methods"] == ["csv_import"]


def test_importing_the_same_file_again_adds_nothing(installed) -> None:
    path = write(installed, "apollo.csv", APOLLO)
    assert installed.run("import", path).returncode == 0
    before = counts(installed)

    again = installed.run("import", path, "--json")

    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)["summary"]
    assert summary["companies_known"] == 2 and summary["companies_created"] == 0
    assert (summary["people_known"], summary["people_created"]) == (3, 0)
    assert (summary["emails_known"], summary["emails_created"], summary["facts_created"]) == (
        3,
        0,
        0,
    )
    assert counts(installed) == before


def test_what_the_workspace_has_is_not_duplicated_and_only_gains_what_it_lacked(installed) -> None:
    domains = write(installed, "domains.txt", "nordvex.de\nhttps://talwick.co.uk/kontakt\n")
    assert installed.run("import", domains).returncode == 0
    companies = write(
        installed,
        "companies.csv",
        "Name,Website,Branche\nNordvex Logistik,nordvex.de,Logistik\nBrivex,brivex.de,\n",
    )

    result = installed.run("import", companies, "--json")

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert (summary["companies_created"], summary["companies_updated"]) == (1, 1)
    stored = installed.python(
        "from coldflow.research.models import Company, Fact\n"
        "print(sorted(Company.objects.values_list('domain', 'name', 'industry')))\n"
        "print(Fact.objects.get(key='company.domain', value='talwick.co.uk').source_url)"
    )
    lines = stored.stdout.splitlines()
    assert lines[0] == str(
        [
            ("brivex.de", "Brivex", ""),
            ("nordvex.de", "Nordvex Logistik", "Logistik"),
            ("talwick.co.uk", "", ""),
        ]
    )
    assert lines[1] == "domains.txt#line=2"


MALFORMED = {
    "bad encoding": b"\xff\xfee\x00m\x00a\x00i\x00l\x00\n\x00a\x00@\x00b\x00.\x00de\x00\n",
    "ragged row": b"email,first name\nanna@nordvex.de,Anna\nben@nordvex.de,Ben,Ott,CEO\n",
    "missing required column": b"Name,City\nNordvex,Hamburg\n",
    "bad value among good ones": (
        b"email,first name\nanna@nordvex.de,Anna\nben(at)nordvex.de,Ben\ncarl@brivex.de,Carl\n"
    ),
    "free-mail address without a company": b"email,first name\nanna@nordvex.de,Anna\nbo@gmail.com,Bo\n",
    "unterminated quote": b'email,first name\nanna@nordvex.de,"Anna\n',
    "spreadsheet": b"PK\x03\x04" + b"\x00" * 40,
}


@pytest.mark.parametrize("data", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_imports_nothing_and_says_why(installed, data: bytes) -> None:
    path = write(installed, "broken.csv", data)

    result = installed.run("import", path)

    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "Traceback" not in said
    assert ("row " in said and "Nothing was imported" in said) or "coldflow: error: " in said
    assert counts(installed) == [0, 0, 0, 0]


def test_the_report_names_each_bad_row_and_column_in_words(installed) -> None:
    path = write(installed, "broken.csv", MALFORMED["bad value among good ones"])

    result = installed.run("import", path, "--json")

    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["imported"] is False
    assert report["errors"] == [
        {
            "row": 3,
            "column": "email",
            "message": "'email' is not an email address: 'ben(at)nordvex.de'",
        }
    ]


def test_skip_bad_rows_imports_the_good_rows_only(installed) -> None:
    path = write(installed, "broken.csv", MALFORMED["bad value among good ones"])

    result = installed.run("import", path, "--skip-bad-rows")

    assert result.returncode == 0, result.stderr
    assert "row 3: 'email' is not an email address" in result.stdout
    assert "1 bad row left out" in result.stdout
    stored = installed.python(
        "from coldflow.contacts.models import EmailAddress\n"
        "print(sorted(EmailAddress.objects.values_list('address', flat=True)))"
    )
    assert stored.stdout.strip() == "['anna@nordvex.de', 'carl@brivex.de']"


def test_a_bom_semicolons_and_repeated_rows_import_once(installed) -> None:
    data = (
        "\ufeffE-Mail;Vorname;Nachname;Firma;Webseite\r\n"
        "jürgen.groß@bäcker.de;Jürgen;Groß;Bäckerei Groß;bäcker.de\r\n"
        "JÜRGEN.GROß@bäcker.de;Jürgen;Groß;Bäckerei Groß;bäcker.de\r\n"
        "maria@bäcker.de;Maria;Ohm;Bäckerei Groß;bäcker.de\r\n"
    ).encode()
    path = write(installed, "kunden.csv", data)

    result = installed.run("import", path, "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["delimiter"] == ";"
    assert report["skipped"] == [
        {"row": 3, "column": None, "message": "repeats row 2 (jürgen.groß@bäcker.de)"}
    ]
    assert report["summary"]["people_created"] == 2
    assert counts(installed)[:3] == [1, 2, 2]


def test_a_dry_run_counts_everything_and_stores_nothing(installed) -> None:
    path = write(installed, "apollo.csv", APOLLO)

    result = installed.run("import", path, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "Would import: companies 2 new" in result.stdout
    assert "Dry run: nothing was stored." in result.stdout
    assert counts(installed) == [0, 0, 0, 0]


def test_a_mapping_names_columns_and_a_kind_can_be_forced(installed) -> None:
    data = "Kontakt,Homepage,Notiz\ninfo@nordvex.de,nordvex.de,Messe 2026\n"
    path = write(installed, "firmen.csv", data)

    as_people = installed.run("import", path, "--map", "Kontakt=email", "--dry-run", "--json")
    as_companies = installed.run(
        "import", path, "--kind", "companies", "--map", "Homepage=website", "--json"
    )

    assert json.loads(as_people.stdout)["kind"] == "people"
    report = json.loads(as_companies.stdout)
    assert (report["kind"], report["summary"]["companies_created"]) == ("companies", 1)
    extra = installed.python(
        "import json\n"
        "from coldflow.research.models import Fact\n"
        "print(json.dumps(Fact.objects.get(key='import.columns').value))"
    )
    # PostgreSQL's jsonb keeps keys in its own order: compare the mapping, not its spelling.
    assert json.loads(extra.stdout) == {"Kontakt": "info@nordvex.de", "Notiz": "Messe 2026"}


def test_a_mapping_to_an_unknown_field_is_refused(installed) -> None:
    path = write(installed, "apollo.csv", APOLLO)

    result = installed.run("import", path, "--map", "Email=mail_address")

    assert result.returncode == 1
    assert "'mail_address', which is not a field" in result.stderr
