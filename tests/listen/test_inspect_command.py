import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "coldflow.cli.main", "inspect-message", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_prints_one_json_object_per_file_in_order():
    files = sorted(FIXTURES.glob("*.eml"))
    result = run("--json", *map(str, files))
    assert result.returncode == 0, result.stderr
    readings = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in readings] == [str(f) for f in files]
    for reading in readings:
        assert set(reading) == {
            "file",
            "kind",
            "recipients",
            "original_message_id",
            "intent",
            "reply_text",
            "return_date",
        }


def test_a_missing_file_is_reported_and_the_others_still_read(tmp_path):
    good = sorted(FIXTURES.glob("*.eml"))[0]
    result = run("--json", str(tmp_path / "missing.eml"), str(good))
    assert result.returncode == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert "cannot read" in first["error"]
    assert second["kind"]


def test_message_text_is_printed_as_text_not_terminal_markup(tmp_path):
    message = tmp_path / "markup.eml"
    message.write_bytes(
        b"From: Anna <anna@acme.example>\r\nTo: max@sender.example\r\n"
        b"Subject: Re: hello\r\nIn-Reply-To: <a@sender.example>\r\n"
        b"Message-ID: <b@acme.example>\r\n\r\n[bold red]Sounds great[/], let's talk!\r\n"
    )
    result = run(str(message))
    assert result.returncode == 0, result.stderr
    assert "[bold red]Sounds great[/]" in result.stdout
