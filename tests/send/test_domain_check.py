"""SPF, DKIM and DMARC findings from TXT records, with advice a user can act on."""

from __future__ import annotations

from coldflow.sandbox.world.dkim_key import SANDBOX_DKIM_PRIVATE_KEY_PEM
from coldflow.sandbox.world.sending import dkim_public_txt
from coldflow.send.domain_check import evaluate_dkim, evaluate_dmarc, evaluate_spf

D = "example.com"


def test_spf_that_lets_anyone_send_fails():
    finding = evaluate_spf(D, ["v=spf1 +all"])
    assert finding.status == "fail" and "-all" in finding.advice


def test_two_spf_records_are_an_error_to_merge():
    finding = evaluate_spf(D, ["v=spf1 mx -all", "v=spf1 include:x.test -all", "other"])
    assert finding.status == "fail" and "Merge" in finding.advice


def test_spf_past_ten_lookups_fails():
    includes = " ".join(f"include:s{i}.test" for i in range(11))
    assert evaluate_spf(D, [f"v=spf1 {includes} -all"]).status == "fail"


def test_spf_with_a_soft_fail_all_is_fine_and_without_all_is_a_warning():
    assert evaluate_spf(D, ["v=spf1 include:_spf.google.com ~all"]).status == "ok"
    assert evaluate_spf(D, ["v=spf1 mx"]).status == "warn"


def test_a_published_key_that_is_not_ours_fails():
    other = "v=DKIM1; k=rsa; p=" + dkim_public_txt(SANDBOX_DKIM_PRIVATE_KEY_PEM).split("p=")[1][:-8]
    finding = evaluate_dkim(D, "s1", [other], SANDBOX_DKIM_PRIVATE_KEY_PEM)
    assert finding.status == "fail"
    matching = evaluate_dkim(
        D, "s1", [dkim_public_txt(SANDBOX_DKIM_PRIVATE_KEY_PEM)], SANDBOX_DKIM_PRIVATE_KEY_PEM
    )
    assert matching.status == "ok"


def test_a_revoked_dkim_key_fails():
    assert evaluate_dkim(D, "s1", ["v=DKIM1; p="]).status == "fail"


def test_dmarc_none_is_monitoring_and_missing_reports_are_pointed_out():
    assert evaluate_dmarc(D, ["v=DMARC1; p=none; rua=mailto:d@example.com"]).status == "warn"
    finding = evaluate_dmarc(D, ["v=DMARC1; p=reject"])
    assert finding.status == "ok" and "rua=mailto:dmarc@example.com" in finding.advice
    assert evaluate_dmarc(D, ["v=DMARC1; p=bogus"]).status == "fail"
