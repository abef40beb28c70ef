import pytest

from coldflow.contacts.names import parse_name
from coldflow.contacts.patterns.name_forms import NameForms
from coldflow.contacts.patterns.templates import POPULARITY, TEMPLATES, parse_template, render

# Every template, rendered for Anna Maria Berg and for Anna Berg (who has no middle name).
EXPECTED = {
    "{first}.{last}": ("anna.berg", "anna.berg"),
    "{first}": ("anna", "anna"),
    "{f}{last}": ("aberg", "aberg"),
    "{first}{last}": ("annaberg", "annaberg"),
    "{f}.{last}": ("a.berg", "a.berg"),
    "{last}": ("berg", "berg"),
    "{first}_{last}": ("anna_berg", "anna_berg"),
    "{last}{f}": ("berga", "berga"),
    "{first}{l}": ("annab", "annab"),
    "{last}.{first}": ("berg.anna", "berg.anna"),
    "{first}-{last}": ("anna-berg", "anna-berg"),
    "{last}{first}": ("berganna", "berganna"),
    "{first}.{l}": ("anna.b", "anna.b"),
    "{f}{l}": ("ab", "ab"),
    "{first}.{m}.{last}": ("anna.m.berg", "anna.berg"),
    "{f}{m}{last}": ("amberg", "aberg"),
    "{f}{m}{l}": ("amb", "ab"),
    "{f}_{last}": ("a_berg", "a_berg"),
    "{last}_{first}": ("berg_anna", "berg_anna"),
    "{last}.{f}": ("berg.a", "berg.a"),
    "{first}.{middle}.{last}": ("anna.maria.berg", "anna.berg"),
    "{first}{m}{last}": ("annamberg", "annaberg"),
    "{f}.{m}.{last}": ("a.m.berg", "a.berg"),
    "{f}-{last}": ("a-berg", "a-berg"),
    "{last}-{first}": ("berg-anna", "berg-anna"),
    "{first}_{l}": ("anna_b", "anna_b"),
    "{last}_{f}": ("berg_a", "berg_a"),
    "{l}{first}": ("banna", "banna"),
    "{l}.{first}": ("b.anna", "b.anna"),
    "{first}{l}{m}": ("annabm", "annab"),
}


def test_every_template_has_an_expected_rendering():
    assert set(EXPECTED) == set(POPULARITY) == {t.text for t in TEMPLATES}


@pytest.mark.parametrize("template", sorted(EXPECTED))
def test_it_renders_every_template_with_and_without_a_middle_name(template):
    with_middle = NameForms(parse_name("Anna Maria Berg")).tokens({}, swapped=False)
    without = NameForms(parse_name("Anna Berg")).tokens({}, swapped=False)
    parsed = parse_template(template)
    assert (render(parsed, with_middle), render(parsed, without)) == EXPECTED[template]


def test_a_template_needing_a_family_name_renders_nothing_for_a_single_name():
    tokens = NameForms(parse_name("Madonna")).tokens({}, swapped=False)
    assert render(parse_template("{first}.{last}"), tokens) is None
    assert render(parse_template("{first}"), tokens) == "madonna"


def test_an_initial_cannot_stand_for_a_whole_given_name():
    tokens = NameForms(parse_name("J. Smith")).tokens({}, swapped=False)
    assert render(parse_template("{first}.{last}"), tokens) is None
    assert render(parse_template("{f}{last}"), tokens) == "jsmith"


def test_it_refuses_unknown_tokens():
    with pytest.raises(ValueError, match="unknown token"):
        parse_template("{given}.{last}")


def test_a_double_family_name_follows_the_templates_separator():
    forms = NameForms(parse_name("Anna Meyer-Schulz"))
    dotted = {local for local, _ in forms.renderings(parse_template("{first}.{last}"), False)}
    joined = {local for local, _ in forms.renderings(parse_template("{f}{last}"), False)}
    assert {
        "anna.meyerschulz",
        "anna.meyer-schulz",
        "anna.meyer",
        "anna.schulz",
        "anna.meyer.schulz",
    } == dotted
    assert {"ameyerschulz", "ameyer-schulz", "ameyer", "aschulz"} == joined


def test_matching_finds_exactly_the_answers_that_render_a_local_part():
    forms = NameForms(parse_name("Hans-Peter Müller-Lüdenscheidt"))
    for template in TEMPLATES:
        for local, answers in forms.renderings(template, swapped=False):
            assert answers in forms.matches(template, False, local)
    assert forms.matches(parse_template("{f}{last}"), False, "hpmueller") == [
        (("diacritics", "expand"), ("family_compound", "first_part"), ("initials", "all"))
    ]
