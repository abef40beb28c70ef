"""Reading lists of companies and people: a plain list of domains, or a CSV file.

CSV files are read as a stream with the csv module. The columns are recognised by their
headers, including the exports of Apollo ("First Name", "Company Linkedin Url", "# Employees"),
Hunter ("Email address", "Domain name", "Position") and Instantly ("email", "firstName",
"companyName", "personalization"), in English and German; an explicit mapping
({"email": "E-Mail-Adresse"}) overrides what was recognised. Files may start with a byte order
mark, use `,` `;` tab or `|` between values (sniffed from the header), be UTF-8, UTF-16 or a
Windows/Latin-1 encoding (detected), and hold line breaks inside quoted values.

Every row is validated and normalised into a plain dataclass (a company's domain comes from
its website, its domain column or, failing both, a person's business email address). A row
with a problem is reported with its number, its column and what is wrong, in words:
"row 14: 'email' is not an email address: 'anna(at)x'". Nothing is written anywhere: the
caller stores the result in one transaction, and only when `ok`, so an import is never half
done.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import TYPE_CHECKING, BinaryIO, Literal

from charset_normalizer import from_bytes
from email_validator import EmailNotValidError, validate_email

from coldflow.discover.domains import free_mail_domains, registrable_domain
from coldflow.discover.icp import parse_size_range

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

Kind = Literal["companies", "people"]
MAX_ROWS = 1_000_000
MAX_COLUMNS = 500
MAX_VALUE_LENGTH = 2000
MAX_FIELD_LENGTH = 500
# Enough to detect the encoding and the delimiter.
_SNIFF_BYTES = 64 * 1024
_FALLBACK = "coldflow.windows-1252-fallback"

COMPANY_FIELDS = (
    "company_name",
    "website",
    "domain",
    "industry",
    "employees",
    "company_linkedin_url",
    "company_phone",
    "company_city",
    "company_country",
)
PERSON_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "full_name",
    "title",
    "phone",
    "linkedin_url",
    "city",
    "country",
    "personalization",
)
FIELDS = PERSON_FIELDS + COMPANY_FIELDS

# Header spellings per field, compared without case, spaces or punctuation ("# Employees" →
# "employees"), best first. Apollo, Hunter and Instantly exports are covered, and the usual
# English and German names.
_HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("email", "emailaddress", "workemail", "businessemail", "emailadresse", "mail"),
    "first_name": ("firstname", "first", "givenname", "vorname", "fname"),
    "last_name": ("lastname", "last", "surname", "familyname", "nachname", "lname"),
    "full_name": ("fullname", "contactname", "personname", "contact"),
    "title": ("title", "jobtitle", "position", "role", "designation", "funktion", "jobtitel"),
    "phone": (
        "phone", "firstphone", "workdirectphone", "phonenumber", "mobilephone", "mobile",
        "directphone", "telephone", "telefon", "tel",
    ),
    "linkedin_url": ("personlinkedinurl", "linkedinurl", "linkedin", "linkedinprofile"),
    "city": ("city", "stadt", "ort"),
    "country": ("country", "land"),
    "personalization": ("personalization", "personalisation", "icebreaker", "firstline"),
    "company_name": (
        "company", "companyname", "organization", "organisation", "account", "accountname",
        "firma", "unternehmen", "companynameforemails",
    ),
    "website": (
        "website", "companywebsite", "url", "web", "homepage", "companyurl", "webseite",
        "internetadresse", "site",
    ),
    "domain": ("domain", "domainname", "companydomain", "emaildomain"),
    "industry": ("industry", "branche", "sector"),
    "employees": (
        "employees", "numberofemployees", "employeecount", "companysize", "headcount", "size",
        "mitarbeiter", "mitarbeiteranzahl", "estimatednumemployees",
    ),
    "company_linkedin_url": ("companylinkedinurl", "companylinkedin"),
    "company_phone": ("companyphone", "corporatephone", "phonecompany"),
    "company_city": ("companycity",),
    "company_country": ("companycountry",),
}  # fmt: skip
_SIGNATURES: dict[str, frozenset[str]] = {
    "apollo": frozenset(
        {"companylinkedinurl", "personlinkedinurl", "employees", "apollocontactid",
         "apolloaccountid", "companynameforemails", "emailstatus", "seniority"}
    ),
    "hunter": frozenset({"emailaddress", "domainname", "confidencescore", "position"}),
    "instantly": frozenset({"firstName", "lastName", "companyName", "personalization"}),
}  # fmt: skip
_MERGED = (
    "name", "website", "industry", "employees_min", "employees_max", "linkedin_url", "phone",
    "city", "country",
)  # fmt: skip
_PERSON_MARKERS = ("email", "first_name", "last_name", "full_name", "title", "linkedin_url")
# In a list of companies these columns are kept as extra values.
_PERSON_ONLY = (*_PERSON_MARKERS, "personalization")
_BLANKS = frozenset({"", "-", "--", "—", "n/a", "na", "none", "null", "nil", "#n/a", "k.a."})
_LONGEST_BLANK = max(map(len, _BLANKS))
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    # The column's header as in the file; None when the problem is the row as a whole.
    column: str | None
    message: str
    unit: str = "row"

    def __str__(self) -> str:
        return f"{self.unit} {self.row}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportedCompany:
    # The first row that named this company.
    row: int
    # Registrable domain.
    domain: str
    name: str = ""
    website: str = ""
    industry: str = ""
    employees_min: int | None = None
    employees_max: int | None = None
    linkedin_url: str = ""
    phone: str = ""
    city: str = ""
    country: str = ""
    # Columns no field is mapped to, by header, non-empty values only.
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ImportedPerson:
    row: int
    # Lower case; empty when the row has none.
    email: str
    first_name: str = ""
    last_name: str = ""
    full_name: str = ""
    title: str = ""
    company_name: str = ""
    # Registrable domain of the company; empty when unknown (a free-mail address alone).
    company_domain: str = ""
    linkedin_url: str = ""
    phone: str = ""
    city: str = ""
    country: str = ""
    personalization: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    kind: Kind
    # apollo, hunter, instantly or generic
    source_format: str
    encoding: str
    delimiter: str
    # field → the file's column header
    mapping: dict[str, str]
    companies: list[ImportedCompany] = field(default_factory=list)
    people: list[ImportedPerson] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    # Rows left out on purpose: repeats of an earlier row.
    skipped: list[RowProblem] = field(default_factory=list)
    # Data rows read, blank rows not counted.
    rows: int = 0
    # Set when the file could not be read at all; nothing else is then meaningful.
    fatal: str | None = None

    @property
    def ok(self) -> bool:
        """Safe to store: the file was read and no row has a problem."""
        return self.fatal is None and not self.errors


def _failed(message: str, encoding: str = "", delimiter: str = "") -> ImportResult:
    return ImportResult("companies", "generic", encoding, delimiter, {}, fatal=message)


# ---------------------------------------------------------------------------------------------
# Domain lists


@dataclass
class DomainListResult:
    domains: list[str] = field(default_factory=list)
    # The line each domain was read from.
    lines: list[int] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_domain_list(lines: Iterable[str], *, max_lines: int = MAX_ROWS) -> DomainListResult:
    """Registrable domains from lines of domains or URLs (several a line may be separated by
    commas, semicolons or spaces); `#` starts a comment."""
    result = DomainListResult()
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if number > max_lines:
            result.errors.append(
                RowProblem(number, None, f"the list is longer than {max_lines:,} lines", "line")
            )
            break
        for token in re.split(r"[\s,;]+", line.split("#", 1)[0].strip()):
            if not token:
                continue
            domain = registrable_domain(token[:MAX_VALUE_LENGTH])
            if domain is None:
                shown = token[:80]
                message = f"{shown!r} is not a domain or web address"
                result.errors.append(RowProblem(number, None, message, "line"))
            elif domain in first_line:
                message = f"{domain} repeats line {first_line[domain]}"
                result.skipped.append(RowProblem(number, None, message, "line"))
            else:
                first_line[domain] = number
                result.domains.append(domain)
                result.lines.append(number)
    return result


# ---------------------------------------------------------------------------------------------
# CSV


def read_csv(
    stream: BinaryIO,
    mapping: Mapping[str, str | None] | None = None,
    *,
    kind: Kind | None = None,
    max_rows: int = MAX_ROWS,
) -> ImportResult:
    """Companies or people from a CSV file opened in binary mode.

    `kind` None tells a list of people from a list of companies by its columns; "companies"
    reads a file with person columns (an email column of info@ addresses) as companies, the
    person columns kept as extra values.
    """
    try:
        head = stream.read(_SNIFF_BYTES)
    except OSError as error:
        return _failed(f"The file could not be read: {error}.")
    if not isinstance(head, bytes):
        return _failed("The file must be opened in binary mode.")
    problem = _not_csv(head)
    if problem:
        return _failed(problem)
    encoding, skip = _encoding(head)
    text = io.TextIOWrapper(
        io.BufferedReader(_Prefixed(head[skip:], stream)),
        encoding=encoding,
        errors=_FALLBACK if encoding == "utf-8" else "strict",
        newline="",
    )
    sample = _decoded_sample(head[skip:], encoding)
    delimiter = _delimiter(sample)
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        return _read(reader, mapping or {}, kind, encoding, delimiter, max_rows)
    except csv.Error as error:
        # The csv module counts lines of the file, which is what a text editor shows.
        where = f" at line {reader.line_num}" if reader.line_num else ""
        return _failed(f"The file is not valid CSV{where}: {error}.", encoding, delimiter)
    except UnicodeDecodeError as error:
        return _failed(
            f"The file is not valid {encoding} near line {reader.line_num}: {error.reason}. "
            "Save it as UTF-8 and import it again.",
            encoding,
            delimiter,
        )


def _not_csv(head: bytes) -> str | None:
    if not head.strip():
        return "The file is empty."
    if head.startswith(b"PK\x03\x04"):
        return "This is a spreadsheet workbook (.xlsx), not CSV: save it as CSV and import that."
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "This is an Excel workbook (.xls), not CSV: save it as CSV and import that."
    if head.startswith(b"%PDF"):
        return "This is a PDF document, not CSV."
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and b"\x00" in head:
        return "This is a binary file, not CSV."
    return None


def _encoding(head: bytes) -> tuple[str, int]:
    """(codec name, byte order mark length)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if head.startswith(bom):
            return name, len(bom)
    try:
        # A multi-byte character may be cut at the end of the sample.
        head[: len(head) - 3 if len(head) == _SNIFF_BYTES else len(head)].decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError:
        pass
    best = from_bytes(head, cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp850"]).best()
    return (best.encoding if best else "cp1252"), 0


def _windows_1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """For UTF-8 files with a stray Windows-1252 byte: files saved by hand often mix them,
    and the first 64 KiB may have been plain ASCII."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", "replace"), error.end


codecs.register_error(_FALLBACK, _windows_1252_fallback)


def _decoded_sample(head: bytes, encoding: str) -> str:
    return head.decode(encoding, _FALLBACK if encoding == "utf-8" else "replace")


def _delimiter(sample: str) -> str:
    """The separator the header line uses most, outside quotes."""
    header = next((line for line in sample.splitlines() if line.strip()), "")
    counts = dict.fromkeys(",;\t|", 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


class _Prefixed(io.RawIOBase):
    """The bytes already read for sniffing, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self._head.nbytes:
            size = min(len(buffer), self._head.nbytes)
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read(
    reader: Iterator[list[str]],
    mapping: Mapping[str, str | None],
    wanted: Kind | None,
    encoding: str,
    delimiter: str,
    max_rows: int,
) -> ImportResult:
    header: list[str] | None = None
    header_row = 0
    for cells in reader:
        header_row += 1
        if any(cell.strip() for cell in cells):
            header = [cell.strip() for cell in cells]
            break
    if header is None:
        return _failed("The file has no header row.", encoding, delimiter)
    if len(header) > MAX_COLUMNS:
        return _failed(f"The file has {len(header)} columns; at most {MAX_COLUMNS} are read.")
    columns, problem = _columns(header, mapping)
    if problem:
        return _failed(problem, encoding, delimiter)
    kind: Kind = wanted or ("people" if any(f in columns for f in _PERSON_MARKERS) else "companies")
    if kind == "companies":
        name_column = columns.pop("full_name", None)
        if name_column is not None and _normalised(header[name_column]) == "name":
            # "Name" was read as a person's for the email column beside it.
            columns.setdefault("company_name", name_column)
        for name in _PERSON_ONLY:
            columns.pop(name, None)
    problem = _missing_columns(kind, columns)
    if problem:
        return _failed(problem, encoding, delimiter)
    result = ImportResult(
        kind,
        _source_format(header),
        encoding,
        delimiter,
        {name: header[index] for name, index in columns.items()},
    )
    rows = _Rows(result, header, columns)
    for row_number, cells in enumerate(reader, start=header_row + 1):
        if not any(cells) or not "".join(cells).strip():
            continue
        result.rows += 1
        if result.rows > max_rows:
            return _failed(
                f"The file has more than {max_rows:,} rows: split it into smaller files.",
                encoding,
                delimiter,
            )
        rows.add(row_number, cells)
    rows.finish()
    return result


def _missing_columns(kind: Kind, columns: Mapping[str, int]) -> str | None:
    """A sentence when no row could be valid for want of a column."""
    company = "website" in columns or "domain" in columns
    if kind == "companies" and not company:
        return (
            "A list of companies needs a website or domain column, and the file has none: "
            "name the column with --map COLUMN=website."
        )
    named = any(f in columns for f in ("first_name", "last_name", "full_name"))
    if kind == "people" and "email" not in columns and not (named and company):
        return (
            "A list of people needs an email column, or name and website columns, and the file "
            "has neither: name them with --map COLUMN=email (or COLUMN=full_name and COLUMN=website)."
        )
    return None


def _normalised(header: str) -> str:
    return re.sub(r"[\W_]+", "", header.casefold())


def _columns(
    header: list[str], mapping: Mapping[str, str | None]
) -> tuple[dict[str, int], str | None]:
    """field → column index, and a sentence when the mapping cannot be used."""
    position: dict[str, int] = {}
    for index, name in enumerate(header):
        position.setdefault(_normalised(name), index)
    columns: dict[str, int] = {}
    for name, spellings in _HEADERS.items():
        index = next((position[s] for s in spellings if s in position), None)
        if index is not None:
            columns[name] = index
    if "name" in position:
        # "Name" is a person's in a list of people and a company's in a list of companies.
        people = any(f in columns for f in _PERSON_MARKERS)
        columns.setdefault("full_name" if people else "company_name", position["name"])
    exact = {name: index for index, name in enumerate(header)}
    for name, column in mapping.items():
        if name not in FIELDS:
            return {}, f"The mapping names '{name}', which is not a field: use {', '.join(FIELDS)}."
        if not column:
            columns.pop(name, None)
        elif column in exact:
            columns[name] = exact[column]
        else:
            return {}, f"The mapping names column '{column}', which the file does not have " \
                f"(its columns: {', '.join(header)})."  # fmt: skip
    if not columns:
        return {}, (
            f"None of the file's columns is one coldflow knows ({', '.join(header[:20])}): "
            "map them to fields such as email, first_name, company_name or website."
        )
    return columns, None


def _source_format(header: list[str]) -> str:
    raw = set(header)
    normalised = {_normalised(h) for h in header}
    for name, signature in _SIGNATURES.items():
        present = raw if name == "instantly" else normalised
        if len(signature & present) >= 2:
            return name
    return "generic"


class _Rows:
    """Validates rows and collects people, companies, problems and repeats."""

    def __init__(self, result: ImportResult, header: list[str], columns: dict[str, int]):
        self.result = result
        self.header = header
        self.columns = columns
        self.people = result.kind == "people"
        self.width = len(header)
        self.fields = tuple(columns)
        self.field_cells = _picker(tuple(columns.values()))
        mapped = set(columns.values())
        extra = [(index, name) for index, name in enumerate(header) if index not in mapped and name]
        self.extra_names = tuple(name for _, name in extra)
        self.extra_cells = _picker(tuple(index for index, _ in extra))
        self.companies: dict[str, ImportedCompany] = {}
        self.first_row: dict[str, int] = {}

    def add(self, row: int, cells: list[str]) -> None:
        problems: list[RowProblem] = []
        width = self.width
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            message = f"has {len(cells)} values but the header has {width} columns"
            problems.append(RowProblem(row, None, message))
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        values, extra = self._values(row, cells, problems)
        company = self._company(row, values, extra, problems)
        if self.people:
            self._person(row, values, extra, company, problems)
        elif company is None and not problems:
            problems.append(RowProblem(row, None, "a company needs a website or domain"))
        elif company is not None and not problems:
            self._remember(company, repeat_is_skipped=True)
        self.result.errors.extend(problems)

    def _values(
        self, row: int, cells: list[str], problems: list[RowProblem]
    ) -> tuple[dict[str, str], dict[str, str]]:
        values: dict[str, str] = {}
        for name, value in zip(self.fields, self.field_cells(cells), strict=True):
            if not value:
                continue
            value = value.strip()
            size = len(value)
            if size <= _LONGEST_BLANK and value.casefold() in _BLANKS:
                continue
            if size > MAX_FIELD_LENGTH:
                column = self.header[self.columns[name]]
                message = f"'{column}' is longer than {MAX_FIELD_LENGTH} characters"
                problems.append(RowProblem(row, column, message))
                continue
            if "  " in value or "\n" in value or "\t" in value or "\r" in value:
                value = " ".join(value.split())
            values[name] = value
        extra: dict[str, str] = {}
        for name, value in zip(self.extra_names, self.extra_cells(cells), strict=True):
            if value and (value := value.strip()):
                if len(value) > MAX_VALUE_LENGTH:
                    message = f"'{name}' is longer than {MAX_VALUE_LENGTH} characters"
                    problems.append(RowProblem(row, name, message))
                else:
                    extra[name] = value
        return values, extra

    def _problem(self, row: int, name: str, what: str, value: str) -> RowProblem:
        column = self.header[self.columns[name]]
        return RowProblem(row, column, f"'{column}' is not {what}: {value!r}")

    def _company(
        self, row: int, values: dict[str, str], extra: dict[str, str], problems: list[RowProblem]
    ) -> ImportedCompany | None:
        domain = ""
        website = values.get("website", "")
        if website:
            domain = registrable_domain(website) or ""
            if not domain:
                problems.append(self._problem(row, "website", "a web address", website))
        if not domain and "domain" in values:
            domain = registrable_domain(values["domain"]) or ""
            if not domain:
                problems.append(self._problem(row, "domain", "a domain", values["domain"]))
        low = high = None
        if "employees" in values:
            size = parse_size_range(values["employees"])
            if size is None:
                problems.append(
                    self._problem(row, "employees", "a number of employees", values["employees"])
                )
            else:
                low, high = size.min_employees, size.max_employees
        linkedin = self._linkedin(row, values, "company_linkedin_url", problems)
        if not domain:
            return None
        # In a list of companies, the plain columns describe the company; in a list of people,
        # they describe the person and only the company_* columns the company.
        own = {} if self.people else values
        return ImportedCompany(
            row=row,
            domain=domain,
            name=values.get("company_name", ""),
            website=website,
            industry=values.get("industry", ""),
            employees_min=low,
            employees_max=high,
            linkedin_url=linkedin,
            phone=values.get("company_phone", "") or own.get("phone", ""),
            city=values.get("company_city", "") or own.get("city", ""),
            country=values.get("company_country", "") or own.get("country", ""),
            extra={} if self.people else extra,
        )

    def _linkedin(
        self, row: int, values: dict[str, str], name: str, problems: list[RowProblem]
    ) -> str:
        value = values.get(name, "")
        if not value:
            return ""
        if registrable_domain(value) != "linkedin.com":
            problems.append(self._problem(row, name, "a LinkedIn address", value))
            return ""
        return value if "://" in value else "https://" + value

    def _person(
        self,
        row: int,
        values: dict[str, str],
        extra: dict[str, str],
        company: ImportedCompany | None,
        problems: list[RowProblem],
    ) -> None:
        email = ""
        if "email" in values:
            email = _email(values["email"])
            if not email:
                problems.append(self._problem(row, "email", "an email address", values["email"]))
        if company is None and email:
            from_email = email.rpartition("@")[2]
            domain = (
                registrable_domain(from_email) if from_email not in free_mail_domains() else None
            )
            if domain:
                company = ImportedCompany(row, domain, name=values.get("company_name", ""))
        domain = company.domain if company else ""
        linkedin = self._linkedin(row, values, "linkedin_url", problems)
        named = "first_name" in values or "last_name" in values or "full_name" in values
        if not email and not (named and domain) and not problems:
            message = "a person needs an email address, or a name and a company website"
            problems.append(RowProblem(row, None, message))
        if problems:
            return
        name_key = " ".join(values.get(f, "") for f in ("first_name", "last_name", "full_name"))
        key = email or f"{name_key}@{domain}".casefold()
        if key in self.first_row:
            shown = email or "the same name and company"
            self.result.skipped.append(
                RowProblem(row, None, f"repeats row {self.first_row[key]} ({shown})")
            )
            return
        self.first_row[key] = row
        if company is not None:
            self._remember(company, repeat_is_skipped=False)
        self.result.people.append(
            ImportedPerson(
                row=row,
                email=email,
                first_name=values.get("first_name", ""),
                last_name=values.get("last_name", ""),
                full_name=values.get("full_name", ""),
                title=values.get("title", ""),
                company_name=values.get("company_name", ""),
                company_domain=domain,
                linkedin_url=linkedin,
                phone=values.get("phone", ""),
                city=values.get("city", ""),
                country=values.get("country", ""),
                personalization=values.get("personalization", ""),
                extra=extra,
            )
        )

    def _remember(self, company: ImportedCompany, *, repeat_is_skipped: bool) -> None:
        known = self.companies.get(company.domain)
        if known is None:
            self.companies[company.domain] = company
        elif repeat_is_skipped:
            message = f"repeats row {known.row} ({company.domain})"
            self.result.skipped.append(RowProblem(company.row, None, message))
        else:
            # Many people of one company: later rows fill what earlier ones left empty.
            missing = {
                name: getattr(company, name)
                for name in _MERGED
                if getattr(company, name) and not getattr(known, name)
            }
            if missing:
                self.companies[company.domain] = replace(known, **missing)

    def finish(self) -> None:
        self.result.companies = list(self.companies.values())


def _picker(indexes: tuple[int, ...]) -> Callable[[list[str]], tuple[str, ...]]:
    """A fast `lambda cells: tuple(cells[i] for i in indexes)`."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    if indexes:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return lambda cells: ()


def _email(value: str) -> str:
    """The address in lower case, or "" when it is not one."""
    value = value.strip().strip("<>").removeprefix("mailto:")
    if len(value) <= 254 and _EMAIL.fullmatch(value) and len(value.partition("@")[0]) <= 64:
        return value.lower()
    if value.isascii():
        return ""
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return ""
    return checked.normalized.lower()


# ---------------------------------------------------------------------------------------------
# What to store

CSV_METHOD = "csv_import"
DOMAIN_LIST_METHOD = "domain_list_import"


@dataclass
class ImportBatch:
    """What one file holds, ready to store: the rows that passed validation."""

    # The file's name as the user knows it; facts name it as their source.
    source: str
    companies: list[ImportedCompany] = field(default_factory=list)
    people: list[ImportedPerson] = field(default_factory=list)
    # "row" for CSV files, "line" for domain lists.
    unit: str = "row"
    method: str = CSV_METHOD


def people_without_company(people: Iterable[ImportedPerson]) -> list[RowProblem]:
    """Rows whose person cannot be filed: a person belongs to a company, and a free-mail
    address alone names none."""
    return [
        RowProblem(
            person.row,
            None,
            f"{person.email} is a free-mail address and the row has no company website or "
            "domain, so there is no company to file the person under",
        )
        for person in people
        if not person.company_domain
    ]
