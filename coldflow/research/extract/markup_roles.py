"""What a team card's markup says a line is: the person's role ("team_role", "ml-role",
"et_pb_member_position", "team-funktion", "functie", itemprop="jobTitle") or their name
("team_name", "member-name", itemprop="name").

Site builders name these elements for their styling, in any language, so a role whose words
no vocabulary knows ("Tischlergeselle", "Fiduciaire avec brevet fédéral") is still read as one
when it sits in an element marked as a role next to a name.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

# "position" but not Bootstrap's "position-relative"; "role" but not "role-list".
_ROLE = re.compile(
    r"(?:^|[\s_-])(?:job[-_]?title|jobtitle|position|role|funktion|function|functie|"
    r"designation|occupation|poste|cargo|ruolo|berufsbezeichnung)(?=$|\s|_)",
    re.I,
)
_NAME = re.compile(
    r"(?:^|\s)(?:full[-_]?name|name|[\w-]*(?:team|member|person|staff|employee|people|profile|"
    r"mitarbeiter|card)[\w-]*?[-_]{1,2}name)(?=$|\s)",
    re.I,
)
# An element around the line, or inside it, must hold the line's text and nothing more.
_ANCESTORS = 2
_MAX_INSIDE = 4


def marked_as_role(node: LexborNode, text: str) -> bool:
    return _marked(node, text, _ROLE, "jobtitle")


def marked_as_name(node: LexborNode, text: str) -> bool:
    return _marked(node, text, _NAME, "name")


def _marked(node: LexborNode, text: str, pattern: re.Pattern, itemprop: str) -> bool:
    current: LexborNode | None = node
    for _ in range(_ANCESTORS + 1):
        if current is None or _flat(current) != text:
            break
        if _says(current, pattern, itemprop):
            return True
        current = current.parent
    inside = node.css("[class], [itemprop]")[:_MAX_INSIDE]
    return any(_says(child, pattern, itemprop) and _flat(child) == text for child in inside)


def _says(element: LexborNode, pattern: re.Pattern, itemprop: str) -> bool:
    attributes = element.attributes
    if (attributes.get("itemprop") or "").lower() == itemprop:
        return True
    value = attributes.get("class")
    return bool(value) and pattern.search(value) is not None


def _flat(element: LexborNode) -> str:
    return " ".join(element.text(deep=True).split())
