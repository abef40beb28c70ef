import pytest

pytestmark = pytest.mark.slow


def test_demo_runs_discover_research_and_contacts_against_the_sandbox(instance, tmp_path):
    demo_dir = tmp_path / "demo"
    result = instance.run("demo", "--data-dir", str(demo_dir), "--companies", "24")
    assert result.returncode == 0, result.stdout + result.stderr
    for stage in ("discover", "research", "contacts", "leads"):
        assert f"✓ {stage}" in result.stdout
    assert "Not built yet in this version: compose, send" in result.stdout

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
        "ready = Lead.objects.filter(campaign__name='demo', status='ready')\n"
        "print(ready.exists(), all(l.score_explanation for l in ready),"
        " ready.filter(email__verdict__in=['invalid', 'disposable']).count())",
        COLDFLOW_DATA_DIR=str(demo_dir),
    )
    assert leads.stdout.split() == ["True", "True", "0"], leads.stderr
