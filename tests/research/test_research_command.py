"""`coldflow research` against the sandbox, saved to the database."""

import json

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def sandboxed(instance, sandbox):
    """A fresh installation pointed at the running sandbox."""
    instance.env.update(
        SANDBOX="true", SANDBOX_STATE_DIR=str(sandbox.state_dir), CRAWL_DELAY="0.05"
    )
    assert instance.run("init").returncode == 0
    return instance


def truth_companies(sandbox):
    return json.loads((sandbox.state_dir / "truth.json").read_text())["companies"]


def test_research_prints_one_object_per_domain_and_saves_every_fact_with_its_source(
    sandboxed, sandbox
):
    companies = [c for c in truth_companies(sandbox) if not c["hostile"]][:3]
    domains = [c["domain"] for c in companies]
    result = sandboxed.run("research", "--json", *domains)
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["domain"] for o in objects] == domains
    for found, truth in zip(objects, companies, strict=True):
        assert set(found) == {"domain", "company", "people", "emails", "signals", "pages", "errors"}
        assert found["company"]["name"] == truth["name"]
        published = {
            p["address"].lower() for p in truth["people"] if p["published"] and p["extractable"]
        }
        assert published <= {e["address"].lower() for e in found["emails"]}

    saved = sandboxed.python(
        "from coldflow.research.models import Company, Fact\n"
        "from coldflow.contacts.models import Person\n"
        "print(Company.objects.filter(research_status='researched').count(),"
        " Fact.objects.exclude(source_url__startswith='http').count(),"
        " Fact.objects.count() > 0, Person.objects.count() > 0)"
    )
    assert saved.stdout.split() == ["3", "0", "True", "True"], saved.stderr


def test_researching_again_changes_nothing(sandboxed, sandbox):
    domain = truth_companies(sandbox)[1]["domain"]
    count = (
        "from coldflow.research.models import Fact, CrawledPage\n"
        "from coldflow.contacts.models import Person, EmailAddress\n"
        "print(Fact.objects.count(), CrawledPage.objects.count(), Person.objects.count(),"
        " EmailAddress.objects.count())"
    )
    assert sandboxed.run("research", domain).returncode == 0
    first = sandboxed.python(count).stdout
    assert sandboxed.run("research", domain).returncode == 0
    assert sandboxed.python(count).stdout == first


def test_outside_sandbox_mode_loopback_sites_are_refused_and_never_contacted(instance, sandbox):
    """Real mode, with a DNS server that answers 127.0.0.1 for every company: the SSRF guard
    refuses before connecting, so the sites server sees no request."""
    assert instance.run("init").returncode == 0
    dns = sandbox.endpoints["dns"]
    domain = truth_companies(sandbox)[2]["domain"]
    before = sum(sandbox.sites.requests.values())
    result = instance.run("research", "--json", domain, DNS_RESOLVER=f"{dns['host']}:{dns['port']}")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["people"] == [] and found["emails"] == []
    assert any("refused" in error for error in found["errors"]), found["errors"]
    assert sum(sandbox.sites.requests.values()) == before
