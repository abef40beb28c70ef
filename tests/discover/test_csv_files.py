"""The shapes CSV files arrive in: encodings, delimiters, byte order marks, quoted line breaks,
blank lines, broken files and files that are not CSV at all."""

import csv
import io

import pytest

from coldflow.discover.imports import read_csv

ROWS = "Firma;Webseite;Stadt\r\nMüller & Söhne;müller-söhne.de;Köln\r\nBäcker Groß;baecker.de;Düsseldorf\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ROWS.encode("utf-8"), "utf-8"),
        (ROWS.encode("cp1252"), "cp1252"),
        (ROWS.encode("utf-16"), "utf-16-le"),
    ],
    ids=["utf-8", "utf-8 with bom", "windows-1252", "utf-16 with bom"],
)
def test_it_detects_the_encoding_and_the_semicolons(data: bytes, encoding: str) -> None:
    result = read_csv(io.BytesIO(data))

    assert result.ok, result.fatal
    assert (result.encoding, result.delimiter) == (encoding, ";")
    assert [(c.name, c.city) for c in result.companies] == [
        ("Müller & Söhne", "Köln"),
        ("Bäcker Groß", "Düsseldorf"),
    ]
    assert result.companies[0].domain == "xn--mller-shne-kcb9d.de"


def test_a_utf8_file_with_a_stray_windows_byte_late_in_the_file_still_reads() -> None:
    ascii_rows = "".join(f"Firma {i},firma{i}.de\n" for i in range(5000))
    data = ("Name,Website\n" + ascii_rows).encode() + "Jürgen Bau,juergen.de\n".encode("cp1252")

    result = read_csv(io.BytesIO(data))

    assert result.ok
    assert result.companies[-1].name == "Jürgen Bau"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_it_sniffs_the_delimiter_from_the_header(delimiter: str) -> None:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerows(
        [["email", "first name", "company"], ["anna@x.de", "Anna", "Nordvex, Lager; Co"]]
    )

    result = read_csv(io.BytesIO(text.getvalue().encode()))

    assert result.ok and result.delimiter == delimiter
    assert (result.people[0].first_name, result.people[0].company_name) == (
        "Anna",
        "Nordvex, Lager; Co",
    )


def test_quoted_line_breaks_and_blank_lines_keep_the_spreadsheet_row_numbers() -> None:
    data = b'email,title\n"anna@nordvex.de","Head of\nSales"\n\n   ,  \nbroken,CEO\n'

    result = read_csv(io.BytesIO(data))

    assert result.people[0].title == "Head of Sales"
    assert [str(e) for e in result.errors] == ["row 5: 'email' is not an email address: 'broken'"]
    assert result.rows == 2


def test_extra_values_beyond_the_header_are_a_row_error() -> None:
    result = read_csv(io.BytesIO(b"email,title\nanna@nordvex.de,CEO,,surprise\nben@x.de,CTO,,\n"))

    assert [str(e) for e in result.errors] == ["row 2: has 4 values but the header has 2 columns"]
    assert [p.email for p in result.people] == ["ben@x.de"]


def test_a_broken_quote_is_a_clear_error_for_the_whole_file() -> None:
    result = read_csv(io.BytesIO(b'email,title\n"anna@nordvex.de,CEO\n'))

    assert result.fatal == "The file is not valid CSV at line 2: unexpected end of data."
    assert not result.ok and result.people == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\n\n  \n", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet workbook (.xlsx), not CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "This is an Excel workbook (.xls), not CSV"),
        (b"%PDF-1.7\n", "This is a PDF document, not CSV."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is a binary file, not CSV."),
    ],
)
def test_what_is_not_csv_is_refused_in_words(data: bytes, message: str) -> None:
    result = read_csv(io.BytesIO(data))

    assert result.fatal is not None and result.fatal.startswith(message)


def test_a_huge_value_is_refused_not_stored() -> None:
    data = b"email,note\nanna@nordvex.de," + b"x" * 5000 + b"\n"

    result = read_csv(io.BytesIO(data))

    assert [str(e) for e in result.errors] == ["row 2: 'note' is longer than 2000 characters"]


def test_a_field_beyond_the_csv_modules_limit_is_a_clear_error() -> None:
    data = b'email,note\nanna@nordvex.de,"' + b"x" * 200_000 + b'"\n'

    result = read_csv(io.BytesIO(data))

    assert result.fatal is not None and "field larger than field limit" in result.fatal


def test_a_file_with_more_rows_than_allowed_is_refused_whole() -> None:
    data = ("email\n" + "".join(f"p{i}@nordvex.de\n" for i in range(20))).encode()

    result = read_csv(io.BytesIO(data), max_rows=10)

    assert result.fatal == "The file has more than 10 rows: split it into smaller files."
    assert result.people == []


def test_it_reads_a_stream_it_cannot_rewind() -> None:
    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes):
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self._data.read(min(len(buffer), 1000))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    rows = "".join(f"p{i}@nordvex.de,Person {i}\n" for i in range(3000))
    stream = io.BufferedReader(OneWay(("email,full name\n" + rows).encode()))

    result = read_csv(stream)

    assert result.ok and len(result.people) == 3000
    assert result.people[-1].full_name == "Person 2999"
