"""Addresses assembled by inline JavaScript, recognised by folding constants (nothing runs)."""

from __future__ import annotations

from coldflow.research.extract.script_emails import emails_in_script


def test_it_joins_variables_and_string_concatenation() -> None:
    script = 'var u = "anna"; var d = "acme.de"; document.write(u + "@" + d);'
    assert emails_in_script(script).assembled == ["anna@acme.de"]


def test_it_reads_addresses_inside_written_markup() -> None:
    script = "document.write('<a href=\"mailto:' + 'max' + '&#64;' + 'acme' + '.' + 'co.uk' + '\">Mail</a>')"
    assert emails_in_script(script).assembled == ["max@acme.co.uk"]


def test_it_joins_arrays_with_an_at_sign() -> None:
    assert emails_in_script('x = ["anna.schmidt", "acme-robotics.com"].join("@");').assembled == [
        "anna.schmidt@acme-robotics.com"
    ]


def test_it_reverses_reversed_strings() -> None:
    script = 'document.write("ed.emca@anna".split("").reverse().join(""));'
    assert emails_in_script(script).assembled == ["anna@acme.de"]


def test_it_decodes_char_codes_escapes_indexing_and_base64() -> None:
    codes = ",".join(str(ord(c)) for c in "info@acme.de")
    script = (
        f"var a = String.fromCharCode({codes});"
        'var p = ["sales", "acme", "de"]; var b = p[0] + "\\x40" + p[1] + "." + p[2];'
        'var c = atob("bWF4QGFjbWUuZGU=");'
    )
    assert emails_in_script(script).assembled == ["info@acme.de", "sales@acme.de", "max@acme.de"]


def test_it_keeps_whole_literal_addresses_apart_from_assembled_ones() -> None:
    found = emails_in_script('var cfg = {"support": "help@vendor.io"}; f("jo" + "@" + "acme.de");')
    assert found.assembled == ["jo@acme.de"]
    assert found.literal == ["help@vendor.io"]


def test_it_gives_up_on_anything_it_would_have_to_run() -> None:
    script = 'var u = getUser(); document.write(u + "@" + "acme.de"); var t = `${u}@acme.de`;'
    assert emails_in_script(script).assembled == []


def test_it_stays_bounded_on_hostile_scripts() -> None:
    doubling = 'var a = "x@y"; ' + "a = a + a; " * 60
    assert emails_in_script(doubling).assembled == []
    assert emails_in_script("@" + "(" * 30_000).assembled == []
    assert emails_in_script('"@" + ' * 40_000 + '"b"').assembled == []
