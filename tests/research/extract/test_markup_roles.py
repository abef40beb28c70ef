"""Reading what a team card's markup says a line is."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from coldflow.research.extract.markup_roles import marked_as_name, marked_as_role


def _element(html: str):
    return LexborHTMLParser(html).css_first("body > *")


def _role(html: str) -> bool:
    """Whether the line of the snippet (its first <p>, else the element) is marked as a role."""
    element = _element(html)
    line = element.css_first("p") or element
    return marked_as_role(line, " ".join(line.text().split()))


@pytest.mark.parametrize(
    "html",
    [
        '<p class="team-funktion">Tischlergeselle</p>',
        '<div class="team_role">Software Engineer</div>',
        '<p class="et_pb_member_position">Fiduciaire</p>',
        '<p class="functie mb-2">Systeembeheerder</p>',
        '<p><span itemprop="jobTitle">Systeembeheerder</span></p>',
        '<div class="member__role"><p>Kassenwart</p></div>',
    ],
)
def test_roles_are_read_from_the_markup(html: str) -> None:
    assert _role(html)


@pytest.mark.parametrize(
    "html",
    [
        # Bootstrap's utilities, and a role element holding more than the line.
        '<p class="position-relative">Tischlergeselle</p>',
        '<p class="role-list">Tischlergeselle</p>',
        '<div class="team-role"><p>Tischlergeselle</p><p>Seit 2009 bei uns</p></div>',
    ],
)
def test_other_markup_says_nothing(html: str) -> None:
    assert not _role(html)


def test_names_are_read_from_the_markup_but_not_a_company_name() -> None:
    assert marked_as_name(_element('<div class="team_name">Kwame Asante</div>'), "Kwame Asante")
    assert marked_as_name(_element('<h5 class="name">Kwame Asante</h5>'), "Kwame Asante")
    assert not marked_as_name(_element('<h5 class="company-name">Asante Ltd</h5>'), "Asante Ltd")
