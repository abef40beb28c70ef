"""People in definition lists: <dt>name</dt><dd>title</dd>, or the other way round; further
<dd> elements of the same term (an address line, a LinkedIn link) belong to the same person."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from coldflow.research.extract.given_names import has_given_name
from coldflow.research.extract.node_links import MAX_WALKED_NODES
from coldflow.research.extract.person_candidate import PersonCandidate, tie_contacts
from coldflow.research.extract.person_lines import name_and_title
from coldflow.research.extract.text_lines import render_lines

MAX_LISTS = 50
MAX_TERMS = 300
CONFIDENCE = 0.85


def people_in_definitions(tree: LexborHTMLParser) -> list[PersonCandidate]:
    people: list[PersonCandidate] = []
    for definition_list in tree.css("dl")[:MAX_LISTS]:
        for term, descriptions in _groups(definition_list):
            term_lines = render_lines(term, max_lines=3, max_nodes=MAX_WALKED_NODES)
            description_lines = render_lines(
                descriptions[0], max_lines=8, max_nodes=MAX_WALKED_NODES
            )
            if not term_lines or not description_lines:
                continue
            pair = name_and_title(term_lines[0].text, description_lines[0].text)
            if pair is None:
                continue
            candidate = PersonCandidate(
                pair[0],
                pair[1],
                "definition_list",
                CONFIDENCE,
                needs_evidence=not has_given_name(pair[0]),
            )
            for node in [*descriptions, term]:
                tie_contacts(candidate, node)
            people.append(candidate)
    return people


def _groups(definition_list: LexborNode) -> list[tuple[LexborNode, list[LexborNode]]]:
    groups: list[tuple[LexborNode, list[LexborNode]]] = []
    for child in definition_list.iter():
        if child.tag == "dt":
            if len(groups) >= MAX_TERMS:
                break
            groups.append((child, []))
        elif child.tag == "dd" and groups:
            groups[-1][1].append(child)
    return [(term, descriptions) for term, descriptions in groups if descriptions]
