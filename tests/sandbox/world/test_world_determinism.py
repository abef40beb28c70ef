"""The same seed and count give byte-identical sites and truth; another seed gives another world."""

from __future__ import annotations

import hashlib

from coldflow.sandbox.world import World, generate_world, truth_json


def fingerprint(world: World) -> str:
    digest = hashlib.sha256(truth_json(world))
    for host, site in world.sites.items():
        digest.update(host.encode())
        digest.update(repr((site.redirect_to, site.caching, site.last_modified)).encode())
        for path, page in site.pages.items():
            digest.update(path.encode())
            digest.update(repr((page.status, page.content_type, page.headers)).encode())
            digest.update(repr((page.delay_seconds, page.drip_seconds)).encode())
            digest.update(page.body)
    digest.update(repr(world.dns).encode())
    digest.update(repr(world.search_documents).encode())
    digest.update(repr(sorted(world.mail.prospects.items())).encode())
    digest.update(repr(sorted(world.mail.domains.items())).encode())
    digest.update(repr(world.sending.senders).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_byte_identical_sites_and_truth(world: World) -> None:
    assert fingerprint(generate_world(seed=1, companies=60)) == fingerprint(world)


def test_the_truth_file_is_byte_identical_for_the_same_seed(world: World) -> None:
    assert truth_json(generate_world()) == truth_json(world)


def test_another_seed_gives_another_world(world: World) -> None:
    other = generate_world(seed=2)
    assert fingerprint(other) != fingerprint(world)
    assert {c.domain for c in other.companies} != {c.domain for c in world.companies}


def test_the_company_count_is_configurable() -> None:
    small = generate_world(seed=1, companies=7)
    assert len(small.companies) == 7
    assert len({c.domain for c in small.companies}) == 7


def test_hundreds_of_companies_get_distinct_domains() -> None:
    big = generate_world(seed=3, companies=200)
    assert len({c.domain for c in big.companies}) == 200
    assert all(c.host in big.sites for c in big.companies)
