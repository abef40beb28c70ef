"""Reading RCPT replies: only a clear "no such user" makes an address invalid."""

from __future__ import annotations

from coldflow.contacts.verify.rcpt_answers import classify_rcpt


def test_it_reads_250_as_accepted():
    assert classify_rcpt(250, "2.1.5 OK").outcome == "accepted"


def test_it_reads_5_1_1_as_a_certain_rejection():
    answer = classify_rcpt(550, "5.1.1 <a@b.de>: Recipient address rejected: User unknown")
    assert answer.outcome == "rejected" and answer.certain


def test_it_reads_user_unknown_text_without_enhanced_code_as_a_rejection():
    assert classify_rcpt(550, "No such user here").outcome == "rejected"


def test_it_reads_a_policy_block_as_blocked_not_invalid():
    assert classify_rcpt(554, "5.7.1 Service unavailable; client host blocked").outcome == "blocked"
    assert classify_rcpt(550, "Rejected: listed at zen.spamhaus.org").outcome == "blocked"


def test_it_reads_greylisting_as_temporary():
    assert classify_rcpt(450, "4.7.1 Greylisted, try again later").outcome == "temporary"


def test_it_reads_252_and_a_full_mailbox_as_unverifiable():
    assert classify_rcpt(252, "Cannot VRFY user").outcome == "unverifiable"
    assert classify_rcpt(552, "5.2.2 Mailbox full").outcome == "unverifiable"


def test_it_bounds_the_reply_text_it_keeps():
    assert len(classify_rcpt(550, "5.1.1 " + "x" * 100_000).text) <= 300
