"""Lint: each rule caught on a fixture made to break it, and on drafts as plain strings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coldflow.compose.lint import (
    LintFinding,
    draft_message,
    has_errors,
    lint_eml,
    lint_file,
    lint_message,
    spam_phrases,
    spamassassin_available,
    spamassassin_check,
)
from coldflow.compose.lint.spamassassin import parse_report

FIXTURES = Path(__file__).resolve().parent / "lint_fixtures"

# Under CI, SpamAssassin is installed by .ci/run and its tests must run.
needs_spamassassin = pytest.mark.skipif(
    not spamassassin_available() and os.environ.get("CI") != "true",
    reason="spamassassin is not installed (apt-get install spamassassin)",
)

CLEAN_BODY = (FIXTURES / "clean.eml").read_text(encoding="utf-8").split("\n\n", 1)[1]
CLEAN_SUBJECT = "Dispatch planning at Huber Logistik"


def rules(findings: list[LintFinding]) -> set[str]:
    return {f.rule for f in findings}


def body_with(old: str, new: str) -> str:
    assert old in CLEAN_BODY
    return CLEAN_BODY.replace(old, new)


# ---------------------------------------------------------------------------------------------
# Fixtures, one per rule

BROKEN = {
    "unresolved_variable": "error",
    "empty_variable": "error",
    "spam_phrase": "warning",
    "too_long": "warning",
    "too_short": "warning",
    "too_many_links": "warning",
    "too_many_images": "warning",
    "all_caps": "warning",
    "punctuation_run": "warning",
    "missing_plain_text": "error",
    "missing_unsubscribe": "error",
    "empty_subject": "error",
}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_each_fixture_breaks_exactly_its_own_rule(rule):
    findings = lint_file(FIXTURES / f"{rule}.eml", spamassassin=False).findings
    assert rules(findings) == {rule}, [f.message for f in findings]
    assert {f.severity for f in findings} == {BROKEN[rule]}
    assert has_errors(findings) is (BROKEN[rule] == "error")


@pytest.mark.parametrize("name", ["clean.eml", "clean_with_html.eml"])
def test_a_clean_realistic_cold_email_passes_every_rule(name):
    assert lint_file(FIXTURES / name, spamassassin=False).findings == []


def test_every_fixture_has_a_test():
    names = {p.stem for p in FIXTURES.glob("*.eml")} - {"clean", "clean_with_html"}
    assert names == set(BROKEN)


# ---------------------------------------------------------------------------------------------
# Variables


@pytest.mark.parametrize(
    "leftover",
    [
        "{{ first_name }}",
        "{{first_name|default('there')}}",
        "{% if company %}",
        "{Hi|Hello|Hey}",
        "{first_name}",
        "[First Name]",
        "[COMPANY_NAME]",
        "[insert pain point]",
        "%FIRSTNAME%",
        "*|FNAME|*",
        "${company}",
    ],
)
def test_unresolved_variables_of_every_syntax_are_errors_naming_the_text(leftover):
    findings = lint_message(CLEAN_SUBJECT, body_with("Hi Max,", f"Hi {leftover},"))
    unresolved = [f for f in findings if f.rule == "unresolved_variable"]
    assert unresolved and all(f.severity == "error" for f in unresolved)
    assert any(leftover in f.message for f in unresolved)


def test_leftover_spintax_is_named_as_spintax():
    (finding,) = [
        f
        for f in lint_message(CLEAN_SUBJECT, body_with("Hi Max,", "{Hi|Hello} Max,"))
        if f.rule == "unresolved_variable"
    ]
    assert finding.message.startswith("Leftover spintax “{Hi|Hello}”")


def test_a_variable_in_the_subject_is_reported_for_the_subject():
    findings = lint_message("Quick question, {{ first_name }}", CLEAN_BODY)
    assert [(f.rule, f.part) for f in findings] == [("unresolved_variable", "subject")]


def test_a_variable_left_in_an_html_link_is_found():
    html = '<p>Hi Max, see <a href="https://{{ domain }}/cases">our cases</a>.</p>'
    findings = lint_message(CLEAN_SUBJECT, CLEAN_BODY, html)
    assert ("unresolved_variable", "html") in {(f.rule, f.part) for f in findings}


def test_css_braces_in_html_are_not_variables():
    html = "<style>p { color: #333 }</style><p>" + CLEAN_BODY.replace("\n", "<br>") + "</p>"
    assert lint_message(CLEAN_SUBJECT, CLEAN_BODY, html) == []


def test_ordinary_brackets_and_percentages_are_not_variables():
    body = body_with(
        "in twenty minutes instead of two hours.",
        "in twenty minutes instead of two hours [1], 80% faster and 20% cheaper (per tour).",
    )
    assert lint_message(CLEAN_SUBJECT, body) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Hi Max,", "Hi ,"),
        ("Hi Max,", "Hi  there,"),
        ("that Huber Logistik is", "that 's team is"),
        ("the\nAugsburg depot", "the\n() depot"),
    ],
)
def test_a_variable_that_rendered_empty_leaves_a_gap_that_is_an_error(old, new):
    findings = lint_message(CLEAN_SUBJECT, body_with(old, new))
    assert rules(findings) == {"empty_variable"}
    assert has_errors(findings)


def test_the_empty_variable_message_quotes_the_gap():
    (finding,) = lint_message(CLEAN_SUBJECT, body_with("Hi Max,", "Hi ,"))
    assert "“Hi ,”" in finding.message


# ---------------------------------------------------------------------------------------------
# Words


@pytest.mark.parametrize(
    "phrase", ["100% free", "Act now", "risk-free", "click here", "guaranteed", "kostenlos"]
)
def test_spam_trigger_phrases_in_english_and_german_are_named(phrase):
    findings = lint_message(CLEAN_SUBJECT, body_with("If not, no worries.", f"{phrase}."))
    assert [f.rule for f in findings] == ["spam_phrase"]
    assert f"“{phrase}”" in findings[0].message


def test_spam_phrases_match_whole_words_only():
    # "cheaper" is not "cheap", "winners" not "winner", "gratisfaction" not "gratis".
    body = body_with("If not, no worries.", "Winners plan cheaper; gratisfaction aside.")
    assert lint_message(CLEAN_SUBJECT, body) == []


def test_a_phrase_split_across_lines_is_still_found():
    body = body_with("If not, no worries.", "Click\nhere to book.")
    assert [f.text for f in lint_message(CLEAN_SUBJECT, body)] == ["Click here"]


def test_a_phrase_in_both_text_and_html_is_one_finding():
    text = body_with("If not, no worries.", "No obligation.")
    html = "<p>" + text.replace("\n", "<br>") + "</p>"
    assert len(lint_message(CLEAN_SUBJECT, text, html)) == 1


def test_the_bundled_list_has_english_and_german_phrases_and_no_single_everyday_words():
    phrases = spam_phrases()
    assert {"act now", "100% free", "kostenlos", "klicken sie hier"} <= set(phrases)
    assert "free" not in phrases and "offer" not in phrases


def test_all_caps_runs_and_long_shouted_words_are_warnings_but_acronyms_are_not():
    shout = lint_message("LAST CHANCE TODAY", CLEAN_BODY)
    assert [(f.rule, f.part, f.text) for f in shout] == [
        ("all_caps", "subject", "LAST CHANCE TODAY")
    ]
    acronyms = body_with("planning software", "GDPR-ready CRM and ERP planning software")
    assert lint_message(CLEAN_SUBJECT, acronyms) == []


@pytest.mark.parametrize("run", ["!!!", "???", "?!?", "$$$", "!!"])
def test_punctuation_runs_are_named(run):
    findings = lint_message(CLEAN_SUBJECT, body_with("no worries.", f"no worries{run}"))
    assert [(f.rule, f.text) for f in findings] == [("punctuation_run", run)]


# ---------------------------------------------------------------------------------------------
# Size, links, images, structure


def test_a_long_subject_is_too_long():
    subject = "A question about the dispatch planning at Huber Logistik in Augsburg, Bavaria"
    assert [(f.rule, f.part) for f in lint_message(subject, CLEAN_BODY)] == [
        ("too_long", "subject")
    ]


def test_links_are_counted_once_across_text_and_html_and_unsubscribe_links_do_not_count():
    text = body_with("two hours.", "two hours: https://berg-consulting.de/cases/maier")
    html = (
        '<p><a href="https://berg-consulting.de/cases/maier/">the case</a> '
        '<a href="https://www.berg-consulting.de/planner">planner</a> '
        '<a href="https://berg-consulting.de/u/abc123">Unsubscribe</a></p>'
    )
    assert "too_many_links" not in rules(lint_message(CLEAN_SUBJECT, text, html))
    html += '<a href="https://berg-consulting.de/pricing">prices</a>'
    (finding,) = [f for f in lint_message(CLEAN_SUBJECT, text, html) if f.rule == "too_many_links"]
    assert finding.message.startswith("3 links")
    assert "https://berg-consulting.de/pricing" in finding.message


def test_an_html_only_draft_misses_its_plain_text_part_and_an_empty_one_has_no_body():
    html = "<p>" + CLEAN_BODY.replace("\n", "<br>") + "</p>"
    assert rules(lint_message(CLEAN_SUBJECT, "", html)) == {"missing_plain_text"}
    assert rules(lint_message(CLEAN_SUBJECT, "  \n")) == {"empty_body"}


def test_a_draft_without_an_unsubscribe_mechanism_is_an_error():
    findings = lint_message(CLEAN_SUBJECT, CLEAN_BODY, has_unsubscribe=False)
    assert [(f.rule, f.severity) for f in findings] == [("missing_unsubscribe", "error")]


def test_an_unsubscribe_line_in_the_body_counts_as_a_mechanism():
    raw = (FIXTURES / "missing_unsubscribe.eml").read_bytes()
    raw = raw.replace(b"no worries.", b"no worries.\n\nReply STOP or unsubscribe here.")
    assert lint_eml(raw).findings == []
    german = raw.replace(b"Reply STOP or unsubscribe here.", b"Zum Abmelden einfach antworten.")
    assert lint_eml(german).findings == []


def test_findings_are_frozen_and_serialise_to_plain_dicts():
    (finding,) = lint_message("", CLEAN_BODY)
    with pytest.raises(AttributeError):
        finding.rule = "other"  # type: ignore[misc]
    assert json.loads(json.dumps(finding.as_dict())) == {
        "rule": "empty_subject",
        "severity": "error",
        "message": "The subject is empty.",
        "part": "subject",
        "text": "",
    }


def test_errors_come_before_warnings():
    findings = lint_message("", body_with("no worries.", "no worries!!"))
    assert [f.severity for f in findings] == ["error", "warning"]


# ---------------------------------------------------------------------------------------------
# SpamAssassin


@needs_spamassassin
@pytest.mark.parametrize("name", ["clean.eml", "clean_with_html.eml"])
def test_the_clean_email_scores_below_two_in_spamassassin(name):
    report = spamassassin_check((FIXTURES / name).read_bytes())
    assert report is not None
    assert report.score < 2.0, report.rules
    assert report.threshold == 5.0 and not report.is_spam


@needs_spamassassin
def test_spamassassin_reports_the_rules_a_spammy_message_hits_with_points():
    raw = (
        b"From: winner@example.com\nTo: you@example.org\nSubject: FREE MONEY!!! ACT NOW\n\n"
        b"CLICK HERE for 100% FREE cash GUARANTEED!!! $$$ http://example.biz/offer\n"
    )
    report = spamassassin_check(raw)
    names = {rule.name for rule in report.rules}
    assert {"MISSING_DATE", "MISSING_MID"} <= names
    missing_date = next(r for r in report.rules if r.name == "MISSING_DATE")
    assert missing_date.points > 0 and "Date" in missing_date.description
    assert report.score >= sum(r.points for r in report.rules) - 0.05


@needs_spamassassin
def test_a_draft_built_as_a_message_scores_below_two():
    raw = draft_message(
        CLEAN_SUBJECT,
        CLEAN_BODY,
        sender="Anna Berg <anna@berg-consulting.de>",
        recipient="Max Huber <max.huber@huber-logistik.de>",
        unsubscribe="<mailto:unsubscribe@berg-consulting.de>",
    )
    assert lint_eml(raw).findings == []
    assert spamassassin_check(raw).score < 2.0


def test_the_report_parser_trusts_the_header_not_the_message_text():
    output = (
        "X-Spam-Checker-Version: SpamAssassin 4.0.1\n"
        "X-Spam-Status: No, score=0.6 required=5.0 tests=MISSING_MID,\n"
        "\tNO_RECEIVED autolearn=disabled version=4.0.1\n"
        "Subject: hi\n\n"
        "Content analysis details:   (-9.0 points, 5.0 required)\n"
        "-9.0 FAKE_RULE   forged by the sender\n\n"
        "Content analysis details:   (0.6 points, 5.0 required)\n\n"
        " pts rule name              description\n"
        "---- ---------------------- --------------------------------------------------\n"
        " 0.6 MISSING_MID            Missing Message-Id: header\n"
        "-0.0 NO_RECEIVED            Informational: message has no Received\n"
        "                            headers\n"
    )
    report = parse_report(output)
    assert report.score == 0.6
    assert [(r.name, r.points, r.description) for r in report.rules] == [
        ("MISSING_MID", 0.6, "Missing Message-Id: header"),
        ("NO_RECEIVED", -0.0, "Informational: message has no Received headers"),
    ]


def test_without_spamassassin_the_check_says_none(tmp_path):
    code = (
        "from coldflow.compose.lint import spamassassin_check\n"
        "print(spamassassin_check(b'Subject: x\\n\\nhello\\n'))\n"
    )
    env = {**os.environ, "PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"


# ---------------------------------------------------------------------------------------------
# coldflow lint


def run_lint(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coldflow.cli.main", "lint", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_the_command_prints_findings_per_file_and_exits_1_on_an_error():
    files = [FIXTURES / "clean.eml", FIXTURES / "unresolved_variable.eml"]
    done = run_lint("--no-spamassassin", *map(str, files))
    assert done.returncode == 1, done.stderr
    assert f"{files[0]}: 0 error(s), 0 warning(s)" in done.stdout
    assert f"{files[1]}: 1 error(s), 0 warning(s)" in done.stdout
    assert "unresolved_variable" in done.stdout and "{{ location }}" in done.stdout


def test_the_command_exits_0_when_there_are_only_warnings():
    done = run_lint("--no-spamassassin", str(FIXTURES / "spam_phrase.eml"))
    assert done.returncode == 0, done.stderr
    assert "“No obligation”" in done.stdout


@needs_spamassassin
def test_the_command_prints_json_with_the_spamassassin_score():
    files = [FIXTURES / "clean.eml", FIXTURES / "missing_plain_text.eml"]
    done = run_lint("--json", *map(str, files))
    assert done.returncode == 1, done.stderr
    clean, html_only = (json.loads(line) for line in done.stdout.splitlines())
    assert clean["file"] == str(files[0]) and clean["findings"] == []
    assert clean["spamassassin"]["score"] < 2.0
    assert [f["rule"] for f in html_only["findings"]] == ["missing_plain_text"]
    assert "MIME_HTML_ONLY" in {r["name"] for r in html_only["spamassassin"]["rules"]}


def test_the_command_reports_an_unreadable_file_and_goes_on(tmp_path):
    done = run_lint("--no-spamassassin", str(tmp_path / "missing.eml"), str(FIXTURES / "clean.eml"))
    assert done.returncode == 1
    assert "missing.eml: cannot read" in done.stdout
    assert "clean.eml: 0 error(s)" in done.stdout
