"""Sections of a page about people outside the company: its board, advisors and investors,
its customers' testimonials and reviews, the press. The names there are real people with real
titles, but not people to write to at this company ("Partner, Northwind Ventures" under
"Backed by"; "Chair — SVP, Associated Bank" under "Board of Directors").

A section runs from its heading to the next heading of the same or a higher level; a heading
that is a person's name (a team card's) opens no section.
"""

from __future__ import annotations

import re

from coldflow.research.extract.personal_names import clean_person_name
from coldflow.research.extract.text_lines import Line, heading_level

_OUTSIDE_HEADING = re.compile(
    r"\b(?:board(?:\s+of\s+(?:directors|trustees|governors|advisors))?|advisory\s+board|"
    r"advis[oe]rs|investors|backed\s+by|our\s+backers|supported\s+by|beirat|aufsichtsrat|"
    r"kuratorium|testimonials?|reviews?|kundenstimmen|what\s+(?:our\s+)?(?:clients|customers)"
    r"\s+say|(?:customer|client|success)\s+stories|in\s+the\s+news|press|presse)\b",
    re.I,
)
_STAFF_HEADING = re.compile(
    r"\b(?:staff|team|people|employees|mitarbeiter\w*|leadership|management)\b", re.I
)
_MAX_HEADING_CHARS = 80


def lines_outside_the_company(lines: list[Line]) -> set[int]:
    """Indexes of the lines that sit in a section about people outside the company."""
    outside: set[int] = set()
    # Open sections, outermost first: (heading level, about outsiders).
    open_sections: list[tuple[int, bool]] = []
    for index, line in enumerate(lines):
        level = heading_level(line)
        if (
            level is not None
            and len(line.text) <= _MAX_HEADING_CHARS
            and clean_person_name(line.text) is None
        ):
            while open_sections and open_sections[-1][0] >= level:
                open_sections.pop()
            open_sections.append((level, _about_outsiders(line.text, level)))
            continue
        if any(about_outsiders for _, about_outsiders in open_sections):
            outside.add(index)
    return outside


def _about_outsiders(heading: str, level: int) -> bool:
    # The page's own title ("Staff & Board") names what the page is, and a heading that also
    # names the staff is about them too.
    if level == 1 or _STAFF_HEADING.search(heading):
        return False
    return _OUTSIDE_HEADING.search(heading) is not None
