"""User templates render in an immutable sandbox: no way to Python's internals."""

import pytest

from coldflow.compose.templates import TemplateRejected, render
from coldflow.errors import UserError

VARIABLES = {
    "first_name": "Anna",
    "company_name": "Acme",
    "lead": {"email": "anna@acme.test"},
    "company": {"name": "Acme", "city": ""},
}

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lead.__init__.__globals__ }}",
    "{{ lead.__class__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ self.__init__.__globals__ }}",
    "{{ lead|attr('__class__') }}",
    "{{ '{0.__class__}'.format(lead) }}",
    "{% for c in ''.__class__.__mro__ %}{{ c }}{% endfor %}",
    "{% if lead.__class__ %}yes{% endif %}",
    "{{ lead.update({'email': 'x@evil.test'}) }}",
    "{{ lead.pop('email') }}",
    "{{ 'a' * 100000000 }}",
    "{{ 9 ** 9 ** 9 }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_a_template_cannot_reach_python_internals(source):
    with pytest.raises(TemplateRejected) as caught:
        render(source, VARIABLES, seed="1:1")
    assert isinstance(caught.value, UserError)
    assert "\n" not in str(caught.value)


def test_the_variables_are_unchanged_after_a_mutation_attempt():
    with pytest.raises(TemplateRejected):
        render("{{ lead.update({'email': 'x'}) }}", VARIABLES, seed="1:1")
    assert VARIABLES["lead"] == {"email": "anna@acme.test"}


def test_a_fallback_covers_a_missing_or_empty_variable():
    source = "Hi {{ first_name | default('there') }} in {{ company.city | default('your city') }}"
    assert render(source, VARIABLES, seed="1").text == "Hi Anna in your city"
    assert render(source, {"first_name": ""}, seed="1").text == "Hi there in your city"


def test_a_variable_printed_without_a_value_is_reported_as_unresolved():
    rendered = render(
        "Hi {{ first_name }} from {{ company.city }}, {{ nickname }}", VARIABLES, seed="1"
    )
    assert rendered.text == "Hi Anna from ,"
    assert rendered.unresolved == ("city", "nickname")


def test_a_condition_on_a_missing_variable_is_not_unresolved():
    rendered = render("{% if nickname %}Yo{% else %}Hello{% endif %}", VARIABLES, seed="1")
    assert rendered.text == "Hello" and rendered.unresolved == ()


def test_a_syntax_error_names_the_line():
    with pytest.raises(TemplateRejected, match="line 2"):
        render("Hello\n{{ first_name ", VARIABLES, seed="1")


def test_values_are_not_evaluated_as_templates():
    rendered = render("{{ title }}", {"title": "{{ ''.__class__ }} {Hi|Ho}"}, seed="1")
    assert rendered.text == "{{ ''.__class__ }} {Hi|Ho}"
