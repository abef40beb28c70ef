"""The MailWorld the sandbox mail servers run on, derived from the companies' truth."""

from __future__ import annotations

from coldflow.sandbox.mail_world import DomainPolicy, MailWorld, ProspectBehaviour
from coldflow.sandbox.world.model import Company, SendingDomain


def domain_policy(company: Company) -> DomainPolicy:
    local_parts = [p.address.split("@")[0] for p in company.people if p.deliverable]
    local_parts += [g.address.split("@")[0] for g in company.generic_addresses]
    bouncing = [p.address.split("@")[0] for p in company.people if p.bounces_after_accept]
    return DomainPolicy(
        domain=company.domain,
        # RFC 5321 requires postmaster everywhere.
        mailboxes=frozenset(local_parts + ["postmaster"]),
        catch_all=company.catch_all,
        greylist=company.greylist,
        bounce_after_accept=frozenset(bouncing),
        has_mx=company.has_mx,
    )


def build_mail_world(
    companies: tuple[Company, ...],
    behaviours: tuple[ProspectBehaviour, ...],
    sending: SendingDomain,
) -> MailWorld:
    return MailWorld(
        domains={c.domain: domain_policy(c) for c in companies},
        prospects={b.address: b for b in behaviours},
        senders=sending.senders,
    )
