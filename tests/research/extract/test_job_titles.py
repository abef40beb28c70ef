"""Recognising job titles in English and German."""

from __future__ import annotations

import pytest

from coldflow.research.extract.job_titles import looks_like_job_title


@pytest.mark.parametrize(
    "text",
    [
        "Head of Sales",
        "VP, Sales",
        "Chief Executive Officer",
        "Co-Founder & CEO",
        "Senior Software Engineer",
        "Office Manager",
        "Geschäftsführer",
        "Geschäftsführerin",
        "Geschäftsführender Gesellschafter",
        "Vertriebsleiter",
        "Vertriebsleiterin",
        "Leitung Vertrieb",
        "Kaufmännische Leitung",
        "Assistenz der Geschäftsführung",
        "Projektleiter Elektrotechnik",
        "Steuerberaterin",
        "Prokurist",
        "Inhaberin",
    ],
)
def test_it_recognises_job_titles(text: str) -> None:
    assert looks_like_job_title(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our Team",
        "Contact us",
        "Read more",
        "Anna Schmidt",
        "Hauptstraße 5",
        "+49 30 1234567",
        "Marketing",
        "Senior Backend Engineer (m/w/d)",
        "We are hiring: join our sales team!",
    ],
)
def test_it_rejects_other_text(text: str) -> None:
    assert not looks_like_job_title(text)


def test_a_department_alone_counts_only_where_the_layout_says_it_is_a_role() -> None:
    assert not looks_like_job_title("Sales & Marketing")
    assert looks_like_job_title("Sales & Marketing", department_alone=True)
    assert looks_like_job_title("Büro & Buchhaltung", department_alone=True)
