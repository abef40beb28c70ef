"""`coldflow compose` and `coldflow drafts` on a fresh installation."""

import json

import pytest

pytestmark = pytest.mark.slow

SETUP = """
from tests.compose import factory
campaign = factory.campaign("spring")
for n, (domain, title) in enumerate([("acme.test", "Our new depot"), ("bolt.test", "Going electric")]):
    company = factory.company(campaign, domain, name=domain.split(".")[0].title() + " GmbH")
    factory.fact(company, "signal.post", {"title": title, "date": "2026-11-20"}, url=f"http://{domain}/blog")
    factory.lead(campaign, company, "Anna", f"Berg{n}")
"""


@pytest.fixture
def installed(instance):
    assert instance.run("init").returncode == 0
    created = instance.python(SETUP)
    assert created.returncode == 0, created.stderr
    return instance


def test_preview_shows_grounded_drafts_with_their_sources_and_saves_nothing(installed):
    result = installed.run("compose", "--campaign", "spring", "--preview", "2")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Subject: ") == 2
    assert "Our new depot" in out and "Going electric" in out
    assert (
        "[signal.post #" in out
        and "http://acme.test/blog" in out
        and "http://bolt.test/blog" in out
    )
    count = installed.python(
        "from coldflow.send.models import OutboundMessage; print(OutboundMessage.objects.count())"
    )
    assert count.stdout.strip() == "0"


def test_compose_writes_drafts_once_and_review_commands_act_on_them(installed):
    first = installed.run("compose", "--campaign", "spring", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "leads": 2,
        "drafted": 6,
        "existing": 0,
        "approved": 6,
        "held_for_review": 0,
        "lint_errors": 0,
        "first_lines_llm": 0,
        "first_lines_rules": 2,
        "first_lines_fallback": 0,
    }
    again = json.loads(installed.run("compose", "--campaign", "spring", "--json").stdout)
    assert (again["drafted"], again["existing"]) == (0, 6)

    listed = json.loads(
        installed.run("drafts", "list", "--campaign", "spring", "--state", "all", "--json").stdout
    )
    assert len(listed) == 6
    rejected = installed.run("drafts", "reject", "--campaign", "spring", str(listed[0]["id"]))
    assert rejected.returncode == 0 and "1 rejected" in rejected.stdout
    states = json.loads(
        installed.run(
            "drafts", "list", "--campaign", "spring", "--state", "rejected", "--json"
        ).stdout
    )
    assert [row["id"] for row in states] == [listed[0]["id"]]


def test_an_unknown_campaign_is_one_line_and_exit_1(installed):
    result = installed.run("compose", "--campaign", "nope")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "coldflow: error: no campaign named 'nope' in workspace 'Workspace 1'"
    )


def test_the_commands_explain_themselves(installed):
    group = installed.run("drafts", "--help")
    assert group.returncode == 0 and {"list", "approve", "reject"} <= set(group.stdout.split())
    for command in (["compose"], ["drafts", "approve"], ["drafts", "reject"], ["drafts", "list"]):
        result = installed.run(*command, "--help")
        assert result.returncode == 0 and "--campaign" in result.stdout
