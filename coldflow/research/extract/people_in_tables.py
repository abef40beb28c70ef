"""People in tables: columns found by their header ("Name", "Position", "Funktion", "Vorname",
"Nachname") or, without a header, by what the cells contain."""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from coldflow.research.extract.given_names import has_given_name
from coldflow.research.extract.job_titles import clean_job_title, looks_like_job_title
from coldflow.research.extract.node_links import MAX_WALKED_NODES
from coldflow.research.extract.person_candidate import PersonCandidate, tie_contacts
from coldflow.research.extract.person_lines import name_and_title
from coldflow.research.extract.personal_names import clean_person_name
from coldflow.research.extract.text_lines import render_lines

MAX_TABLES = 30
MAX_ROWS = 300
CONFIDENCE = 0.9

_NAME_HEADERS = frozenset(
    (
        "name", "names", "full name", "ansprechpartner", "ansprechpartnerin", "ansprechperson",
        "mitarbeiter", "mitarbeiterin", "mitarbeitende", "person", "kontakt", "contact",
        "contact person", "team member", "employee", "mitglied",
    )
)  # fmt: skip
_FIRST_NAME_HEADERS = frozenset(("vorname", "first name", "firstname", "given name"))
_LAST_NAME_HEADERS = frozenset(
    ("nachname", "last name", "lastname", "surname", "family name", "familienname")
)
_TITLE_HEADERS = frozenset(
    (
        "title", "job title", "position", "role", "funktion", "rolle", "titel", "tätigkeit",
        "aufgabe", "aufgaben", "zuständigkeit", "jobtitel", "stellung", "designation",
        "job function", "bereich",
    )
)  # fmt: skip


@dataclass
class _Columns:
    name: int | None = None
    first: int | None = None
    last: int | None = None
    title: int | None = None
    guessed: bool = False


def people_in_tables(tree: LexborHTMLParser) -> list[PersonCandidate]:
    people: list[PersonCandidate] = []
    for table in tree.css("table")[:MAX_TABLES]:
        rows = _rows(table)
        grid = [
            (row, [_cell_lines(c) for c in row.iter() if c.tag in ("td", "th")]) for row in rows
        ]
        grid = [(row, cells) for row, cells in grid if cells]
        if not grid:
            continue
        columns, body = _header_columns(grid)
        if columns is None:
            columns = _content_columns(body)
        for row, cells in body:
            candidate = _person(cells, columns) if columns else _key_value_person(cells)
            if candidate is not None:
                tie_contacts(candidate, row)
                people.append(candidate)
    return people


def _rows(table: LexborNode) -> list[LexborNode]:
    """The table's own rows (rows of tables nested in its cells belong to those tables)."""
    rows = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child.iter() if row.tag == "tr")
        if len(rows) >= MAX_ROWS:
            break
    return rows[:MAX_ROWS]


def _cell_lines(cell: LexborNode) -> list[str]:
    return [line.text for line in render_lines(cell, max_lines=8, max_nodes=MAX_WALKED_NODES)]


def _first(cells: list[list[str]], index: int | None) -> str:
    if index is None or index >= len(cells) or not cells[index]:
        return ""
    return cells[index][0]


def _header_columns(grid: list[tuple[LexborNode, list[list[str]]]]) -> tuple[_Columns | None, list]:
    first_row, cells = grid[0]
    labels = [" ".join(c).strip(" :").lower() for c in cells]
    columns = _Columns()
    for index, label in enumerate(labels):
        if label in _NAME_HEADERS and columns.name is None:
            columns.name = index
        elif label in _FIRST_NAME_HEADERS:
            columns.first = index
        elif label in _LAST_NAME_HEADERS:
            columns.last = index
        elif label in _TITLE_HEADERS and columns.title is None:
            columns.title = index
    has_name = columns.name is not None or (columns.first is not None and columns.last is not None)
    if has_name:
        return columns, grid[1:]
    return None, grid


def _content_columns(body: list) -> _Columns | None:
    widths = {len(cells) for _, cells in body}
    if len(body) < 2 or len(widths) != 1 or widths.pop() < 2:
        return None
    width = len(body[0][1])
    name_share = [_share(body, i, lambda t: clean_person_name(t) is not None) for i in range(width)]
    name_column = max(range(width), key=name_share.__getitem__)
    if name_share[name_column] < 0.5:
        return None
    title_share = [
        0.0
        if i == name_column
        else _share(body, i, lambda t: looks_like_job_title(t, department_alone=True))
        for i in range(width)
    ]
    title_column = max(range(width), key=title_share.__getitem__)
    title = title_column if title_share[title_column] >= 0.4 else None
    return _Columns(name=name_column, title=title, guessed=True)


def _share(body: list, index: int, test) -> float:
    hits = sum(1 for _, cells in body if test(_first(cells, index)))
    return hits / len(body)


def _person(cells: list[list[str]], columns: _Columns) -> PersonCandidate | None:
    if columns.name is not None:
        raw_name = _first(cells, columns.name)
    else:
        raw_name = f"{_first(cells, columns.first)} {_first(cells, columns.last)}"
    name = clean_person_name(raw_name)
    if name is None:
        return None
    title = _first(cells, columns.title)
    title = clean_job_title(title) if title and len(title) <= 90 else None
    # A "Name" header says what the column holds; columns guessed from content need the
    # same evidence as free text.
    weak = columns.guessed and not has_given_name(name)
    return PersonCandidate(name, title or None, "table", CONFIDENCE, needs_evidence=weak)


def _key_value_person(cells: list[list[str]]) -> PersonCandidate | None:
    """Two-cell rows like "Geschäftsführer | Dr. Max Müller" (imprint tables)."""
    if len(cells) != 2 or not cells[0] or not cells[1]:
        return None
    pair = name_and_title(cells[0][0].strip(" :"), cells[1][0])
    if pair is None:
        return None
    return PersonCandidate(
        pair[0], pair[1], "table", CONFIDENCE, needs_evidence=not has_given_name(pair[0])
    )
