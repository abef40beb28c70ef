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


def test_researching_again_asks_for_each_saved_page_conditionally(sandboxed, sandbox):
    """Pages are saved with their text and validators; the next research asks with
    If-None-Match / If-Modified-Since, and a 304 reuses the saved text: same findings."""
    companies = [c for c in truth_companies(sandbox) if not c["hostile"]][:4]
    domains = [c["domain"] for c in companies]
    first = sandboxed.run("research", "--json", *domains)
    assert first.returncode == 0, first.stderr
    saved = sandboxed.python(
        "import hashlib, zlib\n"
        "from coldflow.research.models import CrawledPage\n"
        "pages = CrawledPage.objects.exclude(body=None)\n"
        "print(pages.count(), pages.exclude(etag='', last_modified='').count(),"
        " all(hashlib.sha256(zlib.decompress(bytes(p.body))).hexdigest() == p.content_hash"
        " for p in pages))"
    )
    with_text, with_validators, hashes_match = saved.stdout.split()
    assert int(with_text) > 0 and int(with_validators) > 0 and hashes_match == "True"

    second = sandboxed.run("research", "--json", *domains)
    assert second.returncode == 0, second.stderr
    before = [json.loads(line) for line in first.stdout.splitlines()]
    after = [json.loads(line) for line in second.stdout.splitlines()]
    statuses = [page["status"] for found in after for page in found["pages"]]
    assert statuses.count(304) >= int(with_validators) // 2, statuses
    for old, new in zip(before, after, strict=True):
        assert {k: v for k, v in new.items() if k != "pages"} == {
            k: v for k, v in old.items() if k != "pages"
        }


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
