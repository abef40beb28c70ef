"""Spintax: `{a|b}` with nesting, deterministic per seed, literal braces and Jinja kept."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from coldflow.compose.spintax import spin
from coldflow.compose.templates import render


def test_the_same_seed_gives_the_same_text():
    source = "{Hi|Hello|Hey} {there|friend}, {a|b|c|d|e}"
    assert len({spin(source, "lead:7:step:3") for _ in range(20)}) == 1


def test_every_option_is_used_across_seeds():
    chosen = Counter(spin("{Hi|Hello|Hey}", f"{n}:1") for n in range(300))
    assert set(chosen) == {"Hi", "Hello", "Hey"}
    assert min(chosen.values()) > 60


def test_nested_groups_resolve_to_one_option_of_each_level():
    outcomes = {spin("{Hi|{Good morning|Good day} to you}!", f"{n}") for n in range(200)}
    assert outcomes == {"Hi!", "Good morning to you!", "Good day to you!"}


def test_braces_that_are_not_spintax_survive():
    assert spin("set {x} = {1, 2} and a lone } or {", "1") == "set {x} = {1, 2} and a lone } or {"
    assert spin("pipes | outside | groups", "1") == "pipes | outside | groups"


def test_jinja_blocks_are_kept_whole_even_inside_options():
    source = "{Hi {{ first_name | default('there') }}|Hello {{ first_name | upper }}}{% if x %}!{% endif %}"
    outcomes = {spin(source, str(n)) for n in range(50)}
    assert outcomes == {
        "Hi {{ first_name | default('there') }}{% if x %}!{% endif %}",
        "Hello {{ first_name | upper }}{% if x %}!{% endif %}",
    }


def test_spintax_and_jinja_render_together():
    rendered = {
        render("{Hi|Hello} {{ name | default('there') }}", {"name": "Ana"}, seed=str(n)).text
        for n in range(40)
    }
    assert rendered == {"Hi Ana", "Hello Ana"}


@given(st.text(alphabet="ab{}|% #", max_size=40), st.text(max_size=8))
def test_any_input_spins_without_error_and_deterministically(source, seed):
    assert spin(source, seed) == spin(source, seed)


@given(st.lists(st.text(alphabet="abcxyz ", min_size=1, max_size=6), min_size=2, max_size=5))
def test_a_group_always_yields_one_of_its_options(options):
    assert spin("{" + "|".join(options) + "}", "seed") in options
