import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

COMMANDS = ("init", "run", "web", "worker", "check", "createuser", "demo")


def test_help_lists_every_command():
    script = Path(sys.executable).parent / "coldflow"
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    for command in COMMANDS:
        assert f"  {command} " in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(instance, command):
    result = instance.run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: coldflow" in result.stdout


def test_init_then_check_succeeds_on_a_new_data_directory(instance):
    init = instance.run("init")
    assert init.returncode == 0, init.stdout + init.stderr
    check = instance.run("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "✗" not in check.stdout
    secrets = instance.data_dir / "secrets.toml"
    assert secrets.stat().st_mode & 0o777 == 0o600


def test_init_is_safe_to_run_twice(instance):
    assert instance.run("init").returncode == 0
    second = instance.run("init")
    assert second.returncode == 0, second.stderr


def test_check_before_init_says_what_to_do(instance):
    check = instance.run("check")
    assert check.returncode == 1
    assert "run `coldflow init`" in check.stdout


def one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_malformed_database_url_is_one_line_naming_the_setting(instance):
    result = instance.run("init", DATABASE_URL="postgres//nohost")
    assert result.returncode == 2
    assert one_line_error(result).startswith("coldflow: error: DATABASE_URL:")


def test_an_unreachable_database_is_one_line_naming_the_setting(instance):
    result = instance.run("init", DATABASE_URL="postgresql://coldflow@127.0.0.1:9/nowhere")
    assert result.returncode != 0
    line = one_line_error(result)
    assert line.startswith("coldflow: error: DATABASE_URL: cannot connect")


def test_an_unreachable_redis_is_one_line_naming_the_setting(instance):
    result = instance.run("init", REDIS_URL="redis://127.0.0.1:9/0")
    assert result.returncode != 0
    assert one_line_error(result).startswith("coldflow: error: REDIS_URL: cannot connect")


def test_an_unwritable_data_directory_is_one_line_naming_the_setting(instance, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = instance.run("init", COLDFLOW_DATA_DIR=str(blocker / "data"))
    assert result.returncode != 0
    assert one_line_error(result).startswith("coldflow: error: COLDFLOW_DATA_DIR:")


def test_worker_refuses_an_uninitialised_installation(instance):
    result = instance.run("worker")
    assert result.returncode == 1
    assert "run `coldflow init`" in one_line_error(result)


def test_createuser_adds_an_owner_to_a_new_workspace(instance):
    assert instance.run("init").returncode == 0
    result = instance.run(
        "createuser",
        "--username",
        "alice@example.com",
        "--workspace",
        "Acme",
        COLDFLOW_PASSWORD="correct horse",
    )
    assert result.returncode == 0, result.stderr
    read = instance.python(
        "from coldflow.accounts.models import Membership\n"
        "m = Membership.objects.get(user__username='alice@example.com')\n"
        "print(m.workspace.name, m.role, m.user.check_password('correct horse'))"
    )
    assert read.stdout.strip() == "Acme owner True", read.stderr
