"""Why a delivery failed, from what remote servers commonly answer."""

from __future__ import annotations

import pytest

from coldflow.listen.classify.bounce.reasons import Evidence, decide
from coldflow.listen.classify.bounce.status import code_in_text


def _reason(diagnostic: str, command: str = "", status: str = "") -> str:
    return decide(
        Evidence(
            address="x@acme.example",
            status=status or code_in_text(diagnostic),
            diagnostic=diagnostic,
            command=command,
        )
    )


@pytest.mark.parametrize(
    ("diagnostic", "command", "reason"),
    [
        (
            "550 5.1.1 <x@acme.example>: Recipient address rejected: User unknown in virtual mailbox table",
            "RCPT",
            "userunknown",
        ),
        (
            "550-5.1.1 The email account that you tried to reach does not exist. Please try",
            "RCPT",
            "userunknown",
        ),
        ("550 Requested action not taken: mailbox unavailable", "RCPT", "userunknown"),
        ("550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "", "userunknown"),
        (
            "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
            "",
            "userunknown",
        ),
        ("552 5.2.2 Mailbox full", "RCPT", "mailboxfull"),
        (
            "452 4.2.2 The email account that you tried to reach is over quota.",
            "RCPT",
            "mailboxfull",
        ),
        ("550 5.2.1 The email account that you tried to reach is disabled.", "RCPT", "suspend"),
        (
            "554 delivery error: dd This account has been disabled or discontinued [#102].",
            "DATA",
            "suspend",
        ),
        (
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            "RCPT",
            "blocked",
        ),
        (
            "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
            "",
            "blocked",
        ),
        ("554 5.7.1 <x@acme.example>: Relay access denied", "RCPT", "norelaying"),
        (
            "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
            "RCPT",
            "norelaying",
        ),
        (
            "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy",
            "DATA",
            "authfailure",
        ),
        (
            "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints",
            "MAIL",
            "badreputation",
        ),
        (
            "550 5.7.25 The IP address sending this message does not have a PTR record setup",
            "MAIL",
            "requireptr",
        ),
        ("554 5.7.1 Message rejected as spam by Content Filtering.", "DATA", "spamdetected"),
        ("554 5.7.0 Virus found in message", "DATA", "virusdetected"),
        ("552 5.3.4 Message size exceeds fixed limit", "DATA", "exceedlimit"),
        ("552 5.2.3 Message too large for this recipient", "DATA", "mesgtoobig"),
        (
            "Host or domain name not found. Name service error for name=acme.example type=A: Host not found",
            "",
            "hostunknown",
        ),
        ("all relevant MX records point to non-existent hosts", "", "hostunknown"),
        ("Unrouteable address", "", "hostunknown"),
        ("554 5.4.14 Hop count exceeded - possible mail loop", "", "networkerror"),
        ("retry timeout exceeded", "", "expired"),
        ("connect to mx.acme.example[192.0.2.1]:25: Connection timed out", "", "expired"),
        ("550 5.7.1 Sender address rejected: Domain not found", "MAIL", "rejected"),
        ("550 Unknown user x@acme.example", "DATA", "filtered"),
        ("550 Unknown user x@acme.example", "MAIL", "rejected"),
        ("554 Transaction failed", "MAIL", "systemerror"),
        ("451 4.3.0 Error: queue file write error", "DATA", "systemerror"),
        ("503 Improper sequence of commands", "", "syntaxerror"),
        ("550 Access denied", "CONN", "blocked"),
    ],
)
def test_it_names_the_reason_of_common_server_answers(diagnostic, command, reason):
    assert _reason(diagnostic, command) == reason


def test_a_delivery_report_of_success_is_delivered_not_a_failure():
    assert _reason("250 2.6.0 Message received", status="2.6.0") == "delivered"


def test_a_local_delivery_program_s_no_such_user_is_a_mailer_error():
    evidence = Evidence(
        address="x@acme.example",
        status="5.1.1",
        diagnostic="procmail: No such user",
        diagnostic_type="x-unix",
    )
    assert decide(evidence) == "mailererror"


def test_text_that_says_nothing_known_is_held_and_no_text_is_undefined():
    assert _reason("550 Your message could not be processed") == "onhold"
    assert _reason("") == "undefined"
