"""Generate the whole sandbox world from a seed.

Everything is drawn from `random.Random` instances seeded by strings (hash randomisation does not
touch those), never from the global generator, the clock or set order, so the same seed and count
give byte-identical sites and truth.
"""

from __future__ import annotations

import random
from datetime import date

from coldflow.sandbox.world.companies import build_company
from coldflow.sandbox.world.dns_records import build_zone_data
from coldflow.sandbox.world.mail_policies import build_mail_world
from coldflow.sandbox.world.model import Site, World
from coldflow.sandbox.world.noise import ALL_SITES, build_noise
from coldflow.sandbox.world.plan import plan_companies
from coldflow.sandbox.world.search_corpus import company_document
from coldflow.sandbox.world.sending import SENDING_DOMAIN, sending_domain
from coldflow.sandbox.world.site_pages import render_site

# "Today" inside the world: post dates and out-of-office return dates are relative to it.
DEFAULT_REFERENCE_DATE = date(2026, 11, 2)


def generate_world(
    seed: int = 1, companies: int = 60, reference_date: date = DEFAULT_REFERENCE_DATE
) -> World:
    if companies < 1:
        raise ValueError("a world needs at least one company")
    rng = random.Random(f"coldflow-sandbox:{seed}")
    plans = plan_companies(rng, companies)
    taken = {SENDING_DOMAIN} | {s.host.removeprefix("www.") for s in ALL_SITES}
    built = [
        build_company(random.Random(f"{seed}:company:{i}"), i, plan, reference_date, taken)
        for i, plan in enumerate(plans)
    ]
    company_list = tuple(company for company, _ in built)
    behaviours = tuple(b for _, company_behaviours in built for b in company_behaviours)

    sites: dict[str, Site] = {}
    for company in company_list:
        site_rng = random.Random(f"{seed}:site:{company.index}")
        sites[company.host] = render_site(company, site_rng, reference_date)
        alias = company.domain if company.host != company.domain else f"www.{company.domain}"
        sites[alias] = Site(alias, {}, redirect_to=company.host)
    noise, noise_sites, noise_documents = build_noise(
        company_list, random.Random(f"{seed}:noise"), reference_date
    )
    sites.update(noise_sites)

    sending = sending_domain(seed)
    dns = build_zone_data(company_list, list(noise_sites), sending, random.Random(f"{seed}:dns"))
    return World(
        seed=seed,
        reference_date=reference_date,
        companies=company_list,
        noise=tuple(noise),
        sites=sites,
        search_documents=tuple(company_document(c) for c in company_list) + tuple(noise_documents),
        dns=dns,
        sending=sending,
        mail=build_mail_world(company_list, behaviours, sending),
    )
