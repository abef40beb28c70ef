"""Enhanced status codes: finding them in text, choosing between them, pseudo codes."""

from __future__ import annotations

from coldflow.listen.classify.bounce.status import (
    code_in_text,
    find_codes,
    prefer,
    pseudo_code,
    reason_of,
    reply_code,
)


def test_it_finds_codes_but_not_parts_of_ip_addresses_or_version_numbers():
    text = "host 192.0.2.25 [5.4.3.2] said 550 5.1.1 user unknown (Lotus SMTP MTA v4.6.1)"
    assert find_codes(text) == ["5.1.1"]


def test_it_finds_microsoft_s_three_digit_details():
    assert find_codes("550 5.7.606 Access denied, banned sending IP") == ["5.7.606"]


def test_it_ignores_the_successes_of_a_session_transcript():
    assert (
        code_in_text("250 2.1.5 Ok\n354 go ahead\n451 4.3.0 Error: queue file write error")
        == "4.3.0"
    )


def test_it_prefers_a_specific_code_over_a_generic_or_ambiguous_one():
    assert prefer("5.0.0", "5.7.26") == "5.7.26"
    assert prefer("4.4.7", "4.4.2") == "4.4.2"
    assert prefer("5.2.2", "5.0.0") == "5.2.2"


def test_it_follows_the_class_of_the_smtp_reply_when_the_codes_disagree():
    assert prefer("4.4.7", "5.1.1", "550") == "5.1.1"
    assert prefer("5.1.1", "4.2.2", "550") == "5.1.1"


def test_it_reads_the_first_failure_reply_code():
    assert reply_code("250 ok then 421 4.7.0 try later") == "421"
    assert reply_code("ERROR_CODE :421, ERROR_CODE :, Host not reachable.") == "421"


def test_it_names_the_reason_of_codes_beyond_the_rfc_list_by_their_subject():
    assert reason_of("5.1.351") == "userunknown"
    assert reason_of("5.7.606") == "securityerror"
    assert reason_of("5.9.9") == ""


def test_it_never_makes_a_temporary_pseudo_code_for_an_address_that_does_not_exist():
    assert pseudo_code("userunknown", temporary=True) == "5.0.911"
    assert pseudo_code("mailboxfull", temporary=True) == "4.0.922"
    assert pseudo_code("expired", temporary=False) == "5.0.947"
