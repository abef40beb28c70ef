"""The MailWorld handed to the mail servers agrees with the truth."""

from __future__ import annotations

from coldflow.sandbox.world import World, generate_world


def test_every_company_has_a_domain_policy_with_postmaster(world: World) -> None:
    assert set(world.mail.domains) == {c.domain for c in world.companies}
    assert all("postmaster" in p.mailboxes for p in world.mail.domains.values())


def test_policies_carry_catch_all_greylisting_and_missing_mx(world: World) -> None:
    for company in world.companies:
        policy = world.mail.domains[company.domain]
        assert (policy.catch_all, policy.greylist, policy.has_mx) == (
            company.catch_all,
            company.greylist,
            company.has_mx,
        )


def test_bounces_after_acceptance_only_happen_on_ordinary_servers(world: World) -> None:
    bouncing = [p for p in world.mail.domains.values() if p.bounce_after_accept]
    assert bouncing
    assert all(p.has_mx and not p.catch_all for p in bouncing)


def test_generic_addresses_exist_on_the_server(world: World) -> None:
    for company in world.companies:
        mailboxes = world.mail.domains[company.domain].mailboxes
        assert all(g.address.split("@")[0] in mailboxes for g in company.generic_addresses)


def test_three_senders_with_credentials_that_depend_on_the_seed(world: World) -> None:
    senders = world.mail.senders
    assert len(senders) == 3
    assert all(s.address.endswith(f"@{world.sending.domain}") for s in senders)
    assert len({s.password for s in senders}) == 3
    assert generate_world(seed=1, companies=3).mail.senders == senders
    assert generate_world(seed=2, companies=3).mail.senders != senders
    assert any(s.server_appends_to_sent for s in senders)
