import pytest

pytestmark = pytest.mark.slow


def test_demo_runs_a_whole_campaign_against_the_sandbox(instance, tmp_path):
    demo_dir = tmp_path / "demo"
    result = instance.run("demo", "--data-dir", str(demo_dir), "--companies", "24")
    assert result.returncode == 0, result.stdout + result.stderr
    for stage in ("discover", "research", "contacts", "leads", "compose", "send", "listen"):
        assert f"✓ {stage}" in result.stdout
    assert "Funnel for campaign demo" in result.stdout

    counts = instance.python(
        "from coldflow.research.models import Company, Fact\n"
        "from coldflow.contacts.models import EmailAddress\n"
        "print(Company.objects.filter(research_status='researched').count() > 0,"
        " Fact.objects.filter(source_url='').count(),"
        " EmailAddress.objects.filter(origin='guessed').exists())",
        COLDFLOW_DATA_DIR=str(demo_dir),
    )
    assert counts.stdout.split() == ["True", "0", "True"], counts.stderr

    leads = instance.python(
        "from coldflow.contacts.models import Lead\n"
        "ready = Lead.objects.filter(campaign__name='demo', email__isnull=False)"
        ".exclude(status__in=['new', 'disqualified'])\n"
        "print(ready.exists(), all(l.score_explanation for l in ready),"
        " ready.filter(email__verdict__in=['invalid', 'disposable']).count())",
        COLDFLOW_DATA_DIR=str(demo_dir),
    )
    assert leads.stdout.split() == ["True", "True", "0"], leads.stderr

    outreach = instance.python(
        "from collections import Counter\n"
        "from coldflow.send.models import OutboundMessage, Suppression\n"
        "from coldflow.contacts.models import Lead\n"
        "sent = OutboundMessage.objects.filter(campaign__name='demo', state='sent')\n"
        "per_address = Counter(sent.values_list('to_address', flat=True))\n"
        "unsubscribed = Lead.objects.filter(status='unsubscribed')\n"
        "suppressed = set(Suppression.objects.values_list('value', flat=True))\n"
        "print(sent.count() > 0, max(per_address.values()),"
        " sent.exclude(step__position=0).count(),"
        " all(l.email.address.lower() in suppressed for l in unsubscribed),"
        " Lead.objects.filter(status__in=['interested', 'not_interested', 'replied']).exists())",
        COLDFLOW_DATA_DIR=str(demo_dir),
    )
    # Each prospect got the first email exactly once; follow-ups wait their business days;
    # answers had their consequences.
    assert outreach.stdout.split() == ["True", "1", "0", "True", "True"], outreach.stderr


def test_the_demo_names_the_coldflow_command_as_it_can_be_run_from_here(tmp_path, monkeypatch):
    from coldflow.cli.demo import coldflow_command

    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    script = venv_bin / "coldflow"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    # `make demo` runs .venv/bin/coldflow, which is not on PATH.
    monkeypatch.setattr("sys.argv", [".venv/bin/coldflow", "demo"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert coldflow_command() == ".venv/bin/coldflow"
    # With the virtualenv active, plain `coldflow` is the one.
    monkeypatch.setenv("PATH", f"{venv_bin}:/usr/bin:/bin")
    assert coldflow_command() == "coldflow"
