"""The verification cache in the database: a second verification of the same addresses opens
no SMTP connection, counted at the sandbox's own mail server; expired entries are probed again."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from coldflow.contacts.models import CachedVerification, DomainInfo
from coldflow.contacts.verification_cache import verify_with_database
from coldflow.contacts.verify import VerifySettings, VerifyStats
from coldflow.sandbox.runner import background_world
from coldflow.sandbox.world.truth import truth_document

GREYLIST_SECONDS = 0.3


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with background_world(
        tmp_path_factory.mktemp("cache-world"),
        companies=8,
        mail_options={"greylist_seconds": GREYLIST_SECONDS},
    ) as running:
        yield running


@pytest.fixture(scope="module")
def companies(world):
    return [c for c in truth_document(world.world)["companies"] if c["has_mx"]]


def settings_for(world) -> VerifySettings:
    return VerifySettings(
        nameserver=world.endpoints["dns"]["host"],
        nameserver_port=world.endpoints["dns"]["port"],
        allow_loopback=True,
        port_map={25: world.endpoints["mx"]["port"]},
        greylist_retry_delay=GREYLIST_SECONDS,
        connect_timeout=3.0,
        command_timeout=3.0,
    )


def connections(world) -> int:
    return world.mail.stats()["mx"]["connections"]


def addresses_of(companies) -> list[str]:
    return [p["address"] for c in companies for p in c["people"]]


@pytest.mark.django_db
def test_a_second_verification_of_the_same_addresses_opens_no_smtp_connection(world, companies):
    addresses = addresses_of(companies)
    first_stats, second_stats = VerifyStats(), VerifyStats()
    before = connections(world)
    first = verify_with_database(addresses, settings_for(world), first_stats)
    opened = connections(world) - before
    assert opened > 0 and first_stats.smtp_connections > 0

    second = verify_with_database(addresses, settings_for(world), second_stats)

    assert connections(world) - before == opened
    assert second_stats.smtp_connections == 0 and second_stats.mx_lookups == 0
    assert second_stats.from_cache == len(set(a.lower() for a in addresses))
    assert [(r.address, r.verdict, r.confidence, r.steps) for r in second] == [
        (r.address, r.verdict, r.confidence, r.steps) for r in first
    ]
    assert CachedVerification.objects.count() == len(set(a.lower() for a in addresses))
    catch_all = {c["domain"]: c["catch_all"] for c in companies}
    for info in DomainInfo.objects.filter(domain__in=list(catch_all)):
        assert info.mx_status == "found" and info.mx_hosts
        assert info.catch_all == catch_all[info.domain]


@pytest.mark.django_db
def test_a_new_address_at_a_known_domain_reuses_its_mx_and_catch_all_facts(world, companies):
    company = next(c for c in companies if not c["greylist"])
    verify_with_database([company["people"][0]["address"]], settings_for(world))
    stats = VerifyStats()
    before = world.mail.stats()["mx"]
    [result] = verify_with_database(
        [f"nobody.here@{company['domain']}"], settings_for(world), stats
    )
    after = world.mail.stats()["mx"]
    assert stats.mx_lookups == 0 and stats.smtp_connections == 1
    assert result.step("catch_all").detail == "cached"
    # Only the new address was asked about: no second random catch-all probe.
    assert after["commands"].get("RCPT", 0) - before["commands"].get("RCPT", 0) == 1


@pytest.mark.django_db
def test_expired_results_are_probed_again_and_fresh_ignores_the_cache(world, companies):
    address = next(c for c in companies if not c["greylist"])["people"][0]["address"]
    verify_with_database([address], settings_for(world))
    CachedVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    stats = VerifyStats()
    verify_with_database([address], settings_for(world), stats)
    assert stats.from_cache == 0 and stats.smtp_connections == 1

    fresh = VerifyStats()
    verify_with_database([address], settings_for(world), fresh, fresh=True)
    assert fresh.from_cache == 0 and fresh.smtp_connections == 1
    assert CachedVerification.objects.get().expires_at > timezone.now()


@pytest.mark.slow
def test_coldflow_verify_run_twice_probes_once(instance, sandbox):
    instance.env.update(SANDBOX="true", SANDBOX_STATE_DIR=str(sandbox.state_dir))
    assert instance.run("init").returncode == 0
    truth = json.loads((sandbox.state_dir / "truth.json").read_text())["companies"]
    plain = [c for c in truth if c["has_mx"] and not c["greylist"] and not c["catch_all"]]
    addresses = [p["address"] for c in plain[:3] for p in c["people"][:2]]

    before = sandbox.mail.stats()["mx"]["connections"]
    first = instance.run("verify", "--json", *addresses)
    assert first.returncode == 0, first.stderr
    probed = sandbox.mail.stats()["mx"]["connections"] - before
    assert probed >= 1

    second = instance.run("verify", "--json", *addresses)
    assert second.returncode == 0, second.stderr
    assert sandbox.mail.stats()["mx"]["connections"] - before == probed
    assert [json.loads(line)["verdict"] for line in second.stdout.splitlines()] == [
        json.loads(line)["verdict"] for line in first.stdout.splitlines()
    ]
