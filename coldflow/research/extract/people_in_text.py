"""People in the rendered text: team cards (a name line with a title line next to it, in either
order), and names with titles written on one line ("Anna Schmidt, Head of Sales"). Names inside
a quotation (a testimonial, a review) or in a section about outsiders (the board, investors)
are not staff, and are left out."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from coldflow.research.extract.email_address import address_from_mailto
from coldflow.research.extract.emails import emails_in_text
from coldflow.research.extract.given_names import has_given_name
from coldflow.research.extract.job_titles import clean_job_title, looks_like_job_title
from coldflow.research.extract.markup_roles import marked_as_name, marked_as_role
from coldflow.research.extract.outside_sections import lines_outside_the_company
from coldflow.research.extract.person_candidate import (
    PersonCandidate,
    email_matches_name,
    tie_contacts,
)
from coldflow.research.extract.person_lines import Label, label_before_names, people_in_line
from coldflow.research.extract.personal_names import clean_person_name
from coldflow.research.extract.text_lines import Line, heading_level

MAX_PEOPLE = 300
_MAX_CARD_LINE_CHARS = 120
_ANCESTOR_LIMIT = 24
# A card holding one person is small; above this it is a section or the whole page.
_MAX_CARD_CHARS = 1500
_MAX_CARD_CLIMB = 8
_PAGE_LEVEL_TAGS = frozenset(("body", "html", "main"))
CONFIDENCE = {"card": 0.85, "paragraph": 0.75, "imprint": 0.8}
# Without a title, a lone name is only a person if a personal address or profile is tied to it.
NAME_ONLY_CONFIDENCE = 0.6
_MAX_LINES_BELOW = 6
_MAX_NAMES_UNDER_LABEL = 6
# How far from its name `_card_title` looks for a title line.
_CARD_REACH_BACK = 2
_CARD_REACH_FORWARD = 3
_DIGIT = re.compile(r"\d")


@dataclass
class _Found:
    candidate: PersonCandidate
    # Elements holding the name (and the title, for cards).
    nodes: list[LexborNode]
    # The line holding the name.
    line_index: int


def people_in_text(
    lines: list[Line], quotations: frozenset[int] = frozenset()
) -> list[PersonCandidate]:
    """`quotations`: ids of the elements holding quotations (see `quotations.py`)."""
    chains = _AncestorChains()
    outside = lines_outside_the_company(lines)

    def excluded(index: int) -> bool:
        """In a quotation, or in a section about outsiders (board, investors, reviews)."""
        if index in outside:
            return True
        return bool(quotations) and not quotations.isdisjoint(chains.of(lines[index].node))

    names: dict[int, str] = {}
    titles: set[int] = set()
    # Short lines whose words say nothing, but whose markup may say they are a role.
    unknown: list[int] = []
    for index, line in enumerate(lines):
        if len(line.text) > _MAX_CARD_LINE_CHARS:
            continue
        name = clean_person_name(line.text)
        is_title = looks_like_job_title(line.text, department_alone=True)
        if name is None and not is_title:
            unknown.append(index)
            continue
        # The markup's word beats a role that reads like a name ("Dessinateur-projeteur BIM").
        if not is_title and not has_given_name(name) and _marked_role(line):
            name, is_title = None, True
        # "Lernender Kaufmann" reads like a name too; a known given name decides.
        if excluded(index):
            continue
        if name is not None and (not is_title or has_given_name(name)):
            names[index] = name
        else:
            titles.add(index)
    # Only a line near a name can be its card's title: the markup is read for those alone.
    near = {i for n in names for i in range(n - _CARD_REACH_BACK, n + _CARD_REACH_FORWARD + 1)}
    titles.update(i for i in unknown if i in near and _marked_role(lines[i]) and not excluded(i))
    name_counts = Counter(a for i in names for a in chains.of(lines[i].node))
    found: list[_Found] = []
    used_titles: set[int] = set()
    for index, name in names.items():
        title_index = _card_title(index, lines, names, titles, used_titles, chains, name_counts)
        nodes = [lines[index].node]
        if title_index is None:
            label = _label_above(index, lines, names)
            candidate = (
                PersonCandidate(name, None, "card", NAME_ONLY_CONFIDENCE, needs_evidence=True)
                if label is None
                else PersonCandidate(
                    name, label.title, label.method, CONFIDENCE[label.method], needs_evidence=False
                )
            )
        else:
            used_titles.add(title_index)
            nodes.append(lines[title_index].node)
            title_line = lines[title_index]
            title = clean_job_title(title_line.text)
            # An unknown given name needs the markup to say the card is about a person.
            known = (
                has_given_name(name)
                or marked_as_role(title_line.node, title_line.text)
                or marked_as_name(lines[index].node, lines[index].text)
            )
            candidate = PersonCandidate(
                name, title, "card", CONFIDENCE["card"], needs_evidence=not known
            )
        found.append(_Found(candidate, nodes, index))
    for index, line in enumerate(lines):
        if index in names or index in used_titles:
            continue
        people = people_in_line(line.text, line.segments)
        if people and excluded(index):
            continue
        for person in people:
            candidate = PersonCandidate(
                person.name,
                person.title,
                person.method,
                CONFIDENCE[person.method],
                needs_evidence=not person.labelled and not has_given_name(person.name),
            )
            found.append(_Found(candidate, [line.node], index))
        if len(found) >= MAX_PEOPLE:
            break
    people_counts = Counter(a for f in found for a in set(chains.of(f.nodes[0])))
    starts = sorted(f.line_index for f in found)
    for item in found:
        container = _card(item.nodes, chains, people_counts)
        if container is not None:
            tie_contacts(item.candidate, container)
        elif item.candidate.email is None:
            item.candidate.email = _address_below(item, lines, starts)
    return [f.candidate for f in found[:MAX_PEOPLE]]


def _label_above(index: int, lines: list[Line], names: dict[int, str]) -> Label | None:
    """ "Vertreten durch die Geschäftsführer:" on its own line, the names on the lines below
    it (the person's line, or a run of name lines ending with it)."""
    above = index - 1
    while above in names and index - above < _MAX_NAMES_UNDER_LABEL:
        above -= 1
    if above < 0 or above in names:
        return None
    return label_before_names(lines[above].text)


def _could_be_role(text: str) -> bool:
    """Short enough, and not an address, a number or a sentence."""
    return (
        3 <= len(text) <= 90
        and "@" not in text
        and not text.endswith((".", "!", "?"))
        and len(_DIGIT.findall(text)) < 5
        and text.count(" ") < 10
    )


def _marked_role(line: Line) -> bool:
    return _could_be_role(line.text) and marked_as_role(line.node, line.text)


def _address_below(item: _Found, lines: list[Line], starts: list[int]) -> str | None:
    """Where no element holds the person alone (cards left unclosed nest in each other), the
    lines up to the next person belong to them; only an address matching the name is taken."""
    following = [s for s in starts if s > item.line_index]
    end = min(following[0] if following else len(lines), item.line_index + _MAX_LINES_BELOW)
    for line in lines[item.line_index + 1 : end]:
        linked = (
            address_from_mailto(line.href)
            if line.href and line.href[:7].lower() == "mailto:"
            else []
        )
        for address in linked + [a for a, _ in emails_in_text(line.text)]:
            if email_matches_name(address, item.candidate.name):
                return address
    return None


class _AncestorChains:
    """Ancestor element ids, nearest first, computed once per element."""

    def __init__(self) -> None:
        self._chains: dict[int, list[int]] = {}
        self.nodes: dict[int, LexborNode] = {}

    def of(self, node: LexborNode) -> list[int]:
        key = node.mem_id
        chain = self._chains.get(key)
        if chain is None:
            chain = []
            current: LexborNode | None = node
            while current is not None and len(chain) < _ANCESTOR_LIMIT:
                self.nodes[current.mem_id] = current
                chain.append(current.mem_id)
                current = current.parent
            self._chains[key] = chain
        return chain

    def common(self, first: LexborNode, second: LexborNode) -> int | None:
        others = set(self.of(second))
        return next((a for a in self.of(first) if a in others), None)


def _card_title(
    index: int,
    lines: list[Line],
    names: dict[int, str],
    titles: set[int],
    used: set[int],
    chains: _AncestorChains,
    name_counts: Counter[int],
) -> int | None:
    """The title line of a name's card: after it (usual), else right before it."""
    forward = []
    for other in range(index + 1, min(index + _CARD_REACH_FORWARD + 1, len(lines))):
        if other in names:
            break
        if other in titles:
            forward.append(other)
            break
    backward = []
    for other in range(index - 1, max(index - _CARD_REACH_BACK - 1, -1), -1):
        if other in names:
            break
        if other in titles:
            backward.append(other)
            break
    for other in forward + backward:
        if other in used:
            continue
        if lines[other].node is lines[index].node:
            # Name and title in one element, separated by <br>: reading order decides.
            if other > index:
                return other
            continue
        common = chains.common(lines[index].node, lines[other].node)
        # The smallest element holding both must hold no other name, or the title belongs to
        # a neighbouring card.
        if common is not None and name_counts[common] == 1:
            return other
    # Unclosed cards nest inside each other and no element holds a single name: the line right
    # after the name is its title.
    if forward and forward[0] == index + 1 and forward[0] not in used:
        return forward[0]
    # Flat content, as on imprints: a heading naming the role, then the person
    # ("<h2>Datenschutzbeauftragte</h2><p>Julia Krämer<br>E-Mail: …</p>").
    above = index - 1
    if backward == [above] and above not in used and heading_level(lines[above]) is not None:
        return above
    return None


def _card(
    nodes: list[LexborNode], chains: _AncestorChains, counts: Counter[int]
) -> LexborNode | None:
    """The largest element around a person that holds no one else."""
    start = nodes[0]
    for node in nodes[1:]:
        common = chains.common(start, node)
        if common is None:
            return None
        start = chains.nodes[common]
    if counts[start.mem_id] > 1:
        return None
    card = start
    for _ in range(_MAX_CARD_CLIMB):
        parent = card.parent
        if parent is None or parent.tag in _PAGE_LEVEL_TAGS or counts[parent.mem_id] > 1:
            break
        if len(parent.text(deep=True)) > _MAX_CARD_CHARS:
            break
        card = parent
    return card
