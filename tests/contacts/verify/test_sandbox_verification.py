"""Verifying the sandbox world's addresses against its DNS and MX server, scored on its truth."""

from __future__ import annotations

import asyncio

import pytest

from coldflow.contacts.verify import MemoryCache, VerifySettings, VerifyStats, verify_many
from coldflow.sandbox.runner import background_world
from coldflow.sandbox.world.truth import truth_document

GREYLIST_SECONDS = 0.3


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with background_world(
        tmp_path_factory.mktemp("verify-world"),
        companies=12,
        mail_options={"greylist_seconds": GREYLIST_SECONDS},
    ) as running:
        yield running


@pytest.fixture(scope="module")
def truth(world):
    return truth_document(world.world)


def settings_for(world, **overrides) -> VerifySettings:
    options = {
        "nameserver": world.endpoints["dns"]["host"],
        "nameserver_port": world.endpoints["dns"]["port"],
        "allow_loopback": True,
        "port_map": {25: world.endpoints["mx"]["port"]},
        "greylist_retry_delay": GREYLIST_SECONDS,
        "connect_timeout": 3.0,
        "command_timeout": 3.0,
    }
    options.update(overrides)
    return VerifySettings(**options)


def expected_verdict(company: dict, person: dict) -> str:
    if not company["has_mx"]:
        return "invalid"
    if company["catch_all"]:
        return "accept_all"
    return "valid" if person["deliverable"] or person["bounces_after_accept"] else "invalid"


def connections(world) -> int:
    return world.mail.stats()["mx"]["connections"]


def test_verdicts_agree_with_the_truth_over_one_connection_per_mx_host(world, truth):
    people = [(c, p) for c in truth["companies"] for p in c["people"]]
    # Made-up colleagues: unknown at normal domains, accepted at catch-all ones.
    people += [
        (
            c,
            {
                "address": f"nobody.here@{c['domain']}",
                "deliverable": False,
                "bounces_after_accept": False,
            },
        )
        for c in truth["companies"]
    ]
    stats = VerifyStats()
    before = connections(world)
    results = asyncio.run(
        verify_many([p["address"] for _, p in people], settings_for(world), stats=stats)
    )
    wrong = [
        (r.address, r.verdict, expected_verdict(c, p))
        for r, (c, p) in zip(results, people, strict=True)
        if r.verdict != expected_verdict(c, p)
    ]
    assert wrong == []
    probed_domains = [c for c in truth["companies"] if c["has_mx"]]
    assert stats.mx_hosts_probed == len(probed_domains)
    assert connections(world) - before == stats.smtp_connections == len(probed_domains)


def test_greylisted_domains_are_retried_on_the_same_connection(world, truth):
    company = next(c for c in truth["companies"] if c["greylist"])
    person = next(p for p in company["people"] if p["deliverable"])
    # A sender of its own: greylisting remembers each (client, sender, recipient) triple.
    settings = settings_for(world, mail_from="retry-test@verifier.example")
    before = connections(world)
    [result] = asyncio.run(verify_many([person["address"]], settings))
    assert connections(world) - before == 1
    assert result.verdict == "valid"
    assert "greylisting retry" in result.step("smtp").detail


def test_greylisting_past_the_maximum_wait_is_unknown_and_says_so(world, truth):
    company = next(c for c in truth["companies"] if c["greylist"])
    person = next(p for p in company["people"] if p["deliverable"])
    settings = settings_for(
        world,
        mail_from="impatient@verifier.example",
        greylist_retry_delay=600.0,
        greylist_max_wait=1.0,
    )
    [result] = asyncio.run(verify_many([person["address"]], settings))
    assert result.verdict == "unknown"
    assert result.step("smtp").outcome == "greylisted"
    assert "verify again later" in result.step("smtp").detail


def test_a_catch_all_domain_is_detected_with_a_random_address(world, truth):
    company = next(c for c in truth["companies"] if c["catch_all"])
    [result] = asyncio.run(verify_many([f"whoever@{company['domain']}"], settings_for(world)))
    assert result.verdict == "accept_all"
    assert result.catch_all is True
    assert result.step("catch_all").outcome == "yes"
    assert "random address" in result.step("catch_all").detail


def test_domains_without_mx_and_with_null_mx_are_invalid_without_a_probe(world, truth):
    no_mx = next(c for c in truth["companies"] if not c["has_mx"] and not c["null_mx"])
    null_mx = next(c for c in truth["companies"] if c["null_mx"])
    before = connections(world)
    results = asyncio.run(
        verify_many([f"a@{no_mx['domain']}", f"b@{null_mx['domain']}"], settings_for(world))
    )
    assert [r.verdict for r in results] == ["invalid", "invalid"]
    assert [r.step("mx").outcome for r in results] == ["no_mx", "null_mx"]
    assert connections(world) == before


def test_the_cache_answers_a_second_batch_without_connecting(world, truth):
    company = next(c for c in truth["companies"] if c["has_mx"] and not c["greylist"])
    addresses = [p["address"] for p in company["people"]]
    cache = MemoryCache()
    asyncio.run(verify_many(addresses, settings_for(world), cache))
    before = connections(world)
    stats = VerifyStats()
    again = asyncio.run(verify_many(addresses, settings_for(world), cache, stats))
    assert connections(world) == before
    assert stats.from_cache == len(set(addresses))
    assert all(r.verdict in ("valid", "invalid", "accept_all") for r in again)


def test_the_catch_all_status_is_cached_per_domain(world, truth):
    company = next(c for c in truth["companies"] if c["has_mx"] and not c["greylist"])
    cache = MemoryCache()
    settings = settings_for(world)
    asyncio.run(verify_many([f"first.one@{company['domain']}"], settings, cache))
    [second] = asyncio.run(verify_many([f"second.one@{company['domain']}"], settings, cache))
    assert second.step("catch_all").detail == "cached"
    assert second.catch_all is company["catch_all"]


def test_an_expired_cache_entry_is_verified_again(world, truth):
    company = next(c for c in truth["companies"] if c["has_mx"] and not c["greylist"])
    address = company["people"][0]["address"]
    cache = MemoryCache()
    settings = settings_for(world, result_ttl=-1.0, unknown_result_ttl=-1.0, domain_ttl=-1.0)
    asyncio.run(verify_many([address], settings, cache))
    stats = VerifyStats()
    asyncio.run(verify_many([address], settings, cache, stats))
    assert stats.from_cache == 0 and stats.smtp_connections == 1


def test_switching_the_probe_off_says_so_and_connects_nowhere(world, truth):
    company = next(c for c in truth["companies"] if c["has_mx"])
    before = connections(world)
    [result] = asyncio.run(
        verify_many([company["people"][0]["address"]], settings_for(world, smtp_probe=False))
    )
    assert result.verdict == "unknown"
    assert result.step("mx").outcome == "found"
    assert result.step("smtp").outcome == "skipped"
    assert "switched off" in result.step("smtp").detail
    assert connections(world) == before


def test_a_role_address_keeps_its_smtp_outcome_in_the_steps(world, truth):
    company = next(c for c in truth["companies"] if c["has_mx"] and not c["catch_all"])
    results = asyncio.run(
        verify_many(
            [f"info@{company['domain']}", f"sales@{company['domain']}"], settings_for(world)
        )
    )
    generic = {g["address"] for g in company["generic_addresses"]}
    for result in results:
        if result.address in generic:
            assert result.verdict == "role" and result.step("smtp").outcome == "accepted"
        else:
            assert result.verdict == "invalid" and result.step("role").outcome == "yes"
