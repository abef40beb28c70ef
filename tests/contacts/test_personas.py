import pytest

from coldflow.contacts.personas import Persona, match_persona, parse_persona
from coldflow.contacts.titles import normalise_title

DECISION_MAKERS = {"owner", "c_level", "vp", "head"}


@pytest.mark.parametrize(
    ("text", "departments", "seniorities"),
    [
        ("decision makers in sales", {"sales"}, DECISION_MAKERS),
        ("Entscheider im Vertrieb", {"sales"}, DECISION_MAKERS),
        ("engineering leaders", {"engineering"}, DECISION_MAKERS),
        ("C-level", set(), {"owner", "c_level"}),
        ("founders", set(), {"owner"}),
        ("marketing managers", {"marketing"}, {"manager"}),
        ("heads of HR", {"hr"}, {"head"}),
        ("individual contributors in customer success", {"customer_success"}, {"staff"}),
        ("anyone in finance", {"finance"}, set()),
    ],
)
def test_it_reads_personas_from_free_text(text, departments, seniorities):
    persona = parse_persona(text)
    assert (persona.departments, persona.seniorities) == (departments, seniorities)


def test_it_reads_personas_from_a_mapping():
    persona = parse_persona(
        {"departments": ["sales"], "seniorities": ["owner", "c_level", "vp", "head"]}
    )
    assert persona == Persona(frozenset({"sales"}), frozenset(DECISION_MAKERS), True, persona.label)
    assert persona.label == "owner, c_level, vp, head in sales"


def test_it_refuses_unknown_names_in_a_mapping():
    with pytest.raises(ValueError, match="unknown department: legal"):
        parse_persona({"departments": ["legal"]})
    with pytest.raises(ValueError, match="unknown seniority"):
        parse_persona({"seniorities": ["intern"]})


@pytest.mark.parametrize(
    ("title", "fits"),
    [
        ("Head of Sales", True),
        ("VP, Sales", True),
        ("Vertriebsleiterin", True),
        ("Chief Revenue Officer", True),
        ("Geschäftsführer", True),  # general management decides for sales too
        ("Inhaber", True),
        ("Sales Development Representative", False),
        ("Key Account Manager", False),
        ("CMO", False),
        ("Head of Engineering", False),
    ],
)
def test_it_matches_titles_against_decision_makers_in_sales(title, fits):
    matched, reason = match_persona(normalise_title(title), ["decision makers in sales"])
    assert matched is fits
    assert "decision makers in sales" in reason


def test_general_management_can_be_excluded():
    persona = {
        "departments": ["sales"],
        "seniorities": ["c_level"],
        "include_general_management": False,
    }
    matched, reason = match_persona(normalise_title("CEO"), [persona])
    assert not matched
    assert "department other is not one of sales" in reason


def test_it_explains_why_a_title_does_not_fit_any_persona():
    matched, reason = match_persona(normalise_title("Werkstudent"), ["sales leaders", "CTOs"])
    assert not matched
    assert reason.count("seniority staff is not one of") == 2


def test_any_persona_that_fits_is_enough():
    matched, reason = match_persona(normalise_title("CTO"), ["sales leaders", "CTOs"])
    assert matched
    assert reason.startswith("'CTOs'")


def test_without_personas_everyone_fits():
    assert match_persona(normalise_title("Werkstudent"), [])[0]
