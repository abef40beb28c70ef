from pathlib import Path

import pytest

from coldflow.cli.settings_table import markdown_table
from coldflow.config.loader import ConfigError, load_settings
from coldflow.config.registry import SETTINGS

REPO = Path(__file__).resolve().parents[2]


def env_for(tmp_path, **values):
    config = tmp_path / "coldflow.toml"
    if not config.exists():
        config.write_text("", encoding="utf-8")
    return {"COLDFLOW_DATA_DIR": str(tmp_path / "data"), "COLDFLOW_CONFIG": str(config), **values}


def test_defaults_use_sqlite_and_the_embedded_queue(tmp_path):
    config = load_settings(env_for(tmp_path))
    assert config["DATABASE_URL"] == ""
    assert config["REDIS_URL"] == ""
    assert config.sqlite_path == tmp_path / "data" / "coldflow.sqlite3"
    assert config.sources["PORT"] == "default"


def test_environment_wins_over_the_config_file(tmp_path):
    (tmp_path / "coldflow.toml").write_text('port = 9000\nlog_level = "DEBUG"\n')
    config = load_settings(env_for(tmp_path, PORT="9100"))
    assert config["PORT"] == 9100
    assert config.sources["PORT"] == "env"
    assert config["LOG_LEVEL"] == "DEBUG"
    assert config.sources["LOG_LEVEL"] == "file"


def test_a_setting_can_be_read_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    config = load_settings(env_for(tmp_path, SECRET_KEY_FILE=str(secret)))
    assert config["SECRET_KEY"] == "from-a-file"


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("DATABASE_URL", "mysql://localhost/x", "unsupported or malformed"),
        ("DATABASE_URL", "postgresql://localhost:notaport/x", "port is not a number"),
        ("DATABASE_URL", "postgresql://localhost", "needs a host and a database name"),
        ("REDIS_URL", "http://localhost", "malformed URL"),
        ("PORT", "eighty", "expected a number"),
        ("DEBUG", "maybe", "expected true or false"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(tmp_path, name, value, words):
    with pytest.raises(ConfigError) as error:
        load_settings(env_for(tmp_path, **{name: value}))
    assert error.value.setting == name
    assert words in str(error.value)


def test_an_unknown_key_in_the_config_file_is_refused(tmp_path):
    (tmp_path / "coldflow.toml").write_text('databse_url = "sqlite:///x"\n')
    with pytest.raises(ConfigError, match="DATABSE_URL: unknown setting"):
        load_settings(env_for(tmp_path))


@pytest.mark.parametrize(
    ("value", "advice"),
    [
        ("5", 'SCHEDULE_INBOX_POLL="*/5 * * * *"'),
        ("0", 'SCHEDULE_INBOX_POLL="off"'),
        ("90", 'SCHEDULE_INBOX_POLL="0 * * * *"'),
    ],
)
def test_the_retired_inbox_poll_minutes_is_refused_with_the_schedule_to_set(
    tmp_path, value, advice
):
    with pytest.raises(ConfigError) as error:
        load_settings(env_for(tmp_path, INBOX_POLL_MINUTES=value))
    assert error.value.setting == "INBOX_POLL_MINUTES"
    assert "no longer read" in str(error.value)
    assert advice in str(error.value)


def test_the_retired_inbox_poll_minutes_is_refused_in_the_config_file_too(tmp_path):
    (tmp_path / "coldflow.toml").write_text("inbox_poll_minutes = 3\n")
    with pytest.raises(ConfigError, match="coldflow.toml") as error:
        load_settings(env_for(tmp_path))
    assert 'SCHEDULE_INBOX_POLL="*/3 * * * *"' in str(error.value)


def test_passwords_never_appear_in_error_messages(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_settings(env_for(tmp_path, DATABASE_URL="mysql://u:hunter2@db/x"))
    assert "hunter2" not in str(error.value)


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"| `{s.name}` |" not in readme]
    assert not missing, f"settings missing from the README's table: {missing}"
    assert markdown_table() in readme, (
        "README's table is stale: paste `coldflow settings --markdown`"
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("61 * * * *", "61 is not a valid input"),
        ("*/5 * *", "expected five cron fields"),
        ("every five minutes", "expected five cron fields"),
        ("x * * * *", "x matches no values"),
    ],
)
def test_a_malformed_schedule_is_refused_when_the_settings_are_read(tmp_path, value, says):
    with pytest.raises(ConfigError) as caught:
        load_settings(env_for(tmp_path, SCHEDULE_DISPATCH=value))
    assert str(caught.value).startswith("SCHEDULE_DISPATCH: ") and says in str(caught.value)


def test_a_schedule_is_read_in_one_spelling(tmp_path):
    env = env_for(tmp_path, SCHEDULE_DISPATCH="  */5  *  * * * ", SCHEDULE_ADVANCE="Off")
    config = load_settings(env)
    assert config["SCHEDULE_DISPATCH"] == "*/5 * * * *" and config["SCHEDULE_ADVANCE"] == "off"
