"""The steps that need no network: syntax (internationalised), disposable and role."""

from __future__ import annotations

import asyncio

import pytest

from coldflow.contacts.verify import VerifySettings, verify_many
from coldflow.contacts.verify.bundled_lists import is_disposable, is_role
from coldflow.contacts.verify.syntax import ParsedAddress, parse_address


def test_it_rejects_text_without_an_at_sign():
    assert isinstance(parse_address("not-an-email"), str)


def test_it_rejects_overlong_input_before_parsing():
    assert "longer than" in parse_address("a" * 5000 + "@example.org")


def test_it_encodes_an_internationalised_domain_for_dns():
    parsed = parse_address("anna@Bücher.de")
    assert isinstance(parsed, ParsedAddress)
    assert parsed.ascii_domain == "xn--bcher-kva.de"
    assert parsed.smtp_address == "anna@xn--bcher-kva.de"
    assert not parsed.needs_smtputf8


def test_it_marks_a_non_ascii_local_part_as_needing_smtputf8():
    parsed = parse_address("jörg@example.org")
    assert isinstance(parsed, ParsedAddress) and parsed.needs_smtputf8


def test_it_recognises_disposable_domains_and_their_subdomains():
    assert is_disposable("mailinator.com")
    assert is_disposable("eu.mailinator.com")
    assert not is_disposable("mailinator-consulting.com")


def test_it_recognises_role_local_parts_written_with_separators_and_tags():
    assert is_role("info")
    assert is_role("No-Reply")
    assert is_role("sales+eu")
    assert not is_role("anna.schmidt")


def test_offline_verdicts_settle_without_any_network():
    # No resolver is reachable here: nothing in this batch may need one.
    settings = VerifySettings(nameserver="127.0.0.1", nameserver_port=9, dns_timeout=0.2)
    results = asyncio.run(verify_many(["not-an-email", "x@yopmail.com"], settings))
    assert [r.verdict for r in results] == ["invalid", "disposable"]
    assert results[0].step("syntax").outcome == "invalid"
    assert results[1].step("disposable").outcome == "yes"
    assert results[1].step("smtp") is None


def test_results_come_back_in_input_order_under_the_callers_spelling():
    settings = VerifySettings(nameserver="127.0.0.1", nameserver_port=9, dns_timeout=0.2)
    results = asyncio.run(verify_many(["X@Yopmail.com", "bad", "x@yopmail.com"], settings))
    assert [r.address for r in results] == ["X@Yopmail.com", "bad", "x@yopmail.com"]
    assert results[0].verdict == results[2].verdict == "disposable"


def test_settings_refuse_a_sender_that_would_inject_smtp_commands():
    with pytest.raises(ValueError):
        VerifySettings(mail_from="a@b.de>\r\nRCPT TO:<x@y.de")


def test_settings_refuse_a_port_map_outside_the_sandbox():
    with pytest.raises(ValueError):
        VerifySettings(port_map={25: 2525})
