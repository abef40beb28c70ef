import json
from importlib import resources
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_a_campaign_is_created_run_paused_resumed_and_cancelled_from_the_command_line(
    instance, tmp_path
):
    assert instance.run("init").returncode == 0
    made = instance.python(
        "from coldflow.accounts.users import create_user\n"
        "create_user(username='o', email='', password='pw', workspace='W', role='owner')"
    )
    assert made.returncode == 0, made.stderr
    icp = tmp_path / "icp.toml"
    icp.write_text(resources.files("coldflow.cli").joinpath("demo_icp.toml").read_text("utf-8"))
    sequence = Path(__file__).parent / "one_step_sequence.toml"

    missing = instance.run(
        "campaign", "create", "--name", "x", "--icp", str(icp), "--mailbox", "nobody@example.com"
    )
    assert missing.returncode == 1 and "no mailbox nobody@example.com" in missing.stderr
    created = instance.run(
        "campaign", "create", "--name", "spring", "--icp", str(icp), "--sequence", str(sequence)
    )
    assert created.returncode == 0, created.stderr
    assert "Created campaign spring (draft" in created.stdout

    assert instance.run("campaign", "resume", "spring").returncode == 2
    for action, word in (("run", "running"), ("pause", "paused"), ("resume", "running")):
        result = instance.run("campaign", action, "spring", "--reason", f"test {action}")
        assert result.returncode == 0, result.stderr
        status = json.loads(instance.run("campaign", "status", "spring", "--json").stdout)
        assert (status["status"], status["status_reason"]) == (word, f"test {action}")
    stages = {s["stage"]: s for s in status["stages"]}
    assert stages["discover"]["total"] >= 1, "running seeds the discovery"
    shown = instance.run("campaign", "status", "spring")
    assert "Campaign spring: running" in shown.stdout and "discover" in shown.stdout

    assert instance.run("campaign", "cancel", "spring").returncode == 0
    again = instance.run("campaign", "run", "spring")
    assert again.returncode == 2 and "a cancelled campaign cannot run" in again.stderr
    sequence_steps = instance.python(
        "from coldflow.campaigns.models import Campaign\n"
        "print(Campaign.objects.get(name='spring').sequence.steps.count())"
    )
    assert sequence_steps.stdout.strip() == "1"
