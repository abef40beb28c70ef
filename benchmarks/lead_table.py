"""The lead table at 1,000,000 leads on PostgreSQL: p95 latency of common filters, sorts and pages.

Creates a fresh database (from DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/
postgres, as scripts/services_pass.py does) and bulk-loads it in SQL (INSERT … SELECT over
generate_series): one workspace with 24 campaigns of very different sizes (a few large ones,
many small), 200,000 companies, one person and lead per row (90 % with an email address),
statuses skewed the way a running installation has them (most leads new or ready, a few
percent replied), scores with many ties, creation times over half a year. A second workspace
holds 5 % of the rows, so workspace scoping has something to exclude.

Every query is a real request through Django's test client (the URL resolver, authentication,
the view, the query, serialisation) as a logged-in owner, repeated with varying parameters:

- campaign + status, best score first
- all leads, best score first; oldest first (order=created)
- all leads and one campaign, newest first (the dashboard only)
- search by a person's family name, by a company-name fragment, within a campaign
- keyset pages 10,000, 100,000 and 500,000 rows deep (the cursor the page would link to there)

each through the dashboard's leads page (/leads/, what a user waits for) and the REST API
(/api/leads). The baseline, in the same run: the same deep pages fetched with OFFSET (same
query and columns through the ORM, no HTTP, so it is flattered). Prints p50/p95 per query and exits 1 when any p95 of the app
misses the 150 ms target.

    .venv/bin/python benchmarks/lead_table.py [--leads 1000000] [--runs 40] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from urllib.parse import urlencode, urlsplit, urlunsplit

from fresh_postgres import admin  # noqa: E402
from fresh_postgres import boot as boot_database  # noqa: E402

TARGET_MS = 150.0
# Time spent measuring one query at most (see timed).
BUDGET_SECONDS = 15.0
CAMPAIGNS = 24
PAGE = 50
DEEP_PAGES = (10_000, 100_000, 500_000)

GIVEN = [
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Emma",
    "Felix",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Karin",
    "Liam",
    "Maria",
    "Noah",
    "Olga",
    "Paul",
    "Quinn",
    "Rosa",
    "Samir",
    "Tara",
    "Ugo",
    "Vera",
    "Wim",
    "Xenia",
    "Yusuf",
    "Zoe",
    "Aiko",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Elif",
    "Farah",
    "Giulia",
    "Hamza",
    "Ingrid",
    "Jamal",
    "Kenji",
    "Lucia",
    "Mateo",
    "Nadia",
]
FAMILY = [
    "Smith",
    "Müller",
    "Garcia",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Nowak",
    "Jensen",
    "Silva",
    "Okafor",
    "Tanaka",
    "Kim",
    "Novak",
    "Horvat",
    "Popescu",
    "Yilmaz",
    "Larsen",
    "Ivanova",
    "Moreau",
    "Bianchi",
    "Fischer",
    "Schmidt",
    "Weber",
    "Martin",
    "Lopez",
    "Costa",
    "Andersen",
    "Berg",
    "Haas",
    "Keller",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Wolff",
    "Pfeiffer",
]
SYLLABLES = [
    "ac",
    "ber",
    "cor",
    "dal",
    "el",
    "fin",
    "gra",
    "hel",
    "ion",
    "jun",
    "kal",
    "lum",
    "mar",
    "nor",
    "ori",
    "pax",
    "qua",
    "ros",
    "sol",
    "tar",
    "ulm",
    "ven",
    "wex",
    "xan",
    "yor",
    "zen",
    "bri",
    "clo",
    "dru",
    "eva",
    "fro",
    "gli",
]
SUFFIXES = [
    "GmbH",
    "Ltd",
    "Inc",
    "SAS",
    "BV",
    "AG",
    "Labs",
    "Systems",
    "Logistics",
    "Foods",
    "Studio",
    "Partners",
]
INDUSTRIES = [
    "logistics",
    "software",
    "manufacturing",
    "retail",
    "healthcare",
    "finance",
    "food",
    "energy",
]
# (status, share in percent): a running installation is mostly new and ready leads.
STATUSES = (
    ("new", 38),
    ("ready", 22),
    ("enrolled", 8),
    ("contacted", 20),
    ("replied", 3),
    ("interested", 1),
    ("not_interested", 2),
    ("bounced", 2),
    ("unsubscribed", 1),
    ("stopped", 1),
    ("disqualified", 2),
)


def boot(database_url: str) -> None:
    from django.test.utils import setup_test_environment

    boot_database(database_url)
    # The test client's host name and in-memory mail, as in the test suite.
    setup_test_environment()


def _sql_array(words: list[str]) -> str:
    return "(ARRAY[" + ",".join("'" + w.replace("'", "''") + "'" for w in words) + "])"


def _status_case(column: str) -> str:
    """A CASE mapping a uniform number in [0, 100) to a status by the shares in STATUSES."""
    branches, upper = [], 0
    for status, share in STATUSES:
        upper += share
        branches.append(f"WHEN {column} < {upper} THEN '{status}'")
    return "CASE " + " ".join(branches) + " ELSE 'new' END"


def populate(leads: int) -> dict:
    """Bulk-load `leads` leads (95 % in the benchmark's workspace); returns what queries need."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from coldflow.accounts.models import Membership, Role, Workspace
    from coldflow.campaigns.models import Campaign

    bench = Workspace.objects.create(name="Bench", slug="bench")
    other = Workspace.objects.create(name="Other", slug="other")
    user = get_user_model().objects.create_user(username="owner", password="benchmark")
    Membership.objects.create(workspace=bench, user=user, role=Role.OWNER)
    campaigns = [
        Campaign.objects.create(workspace=bench, name=f"Campaign {n}", icp={})
        for n in range(CAMPAIGNS)
    ]
    other_campaign = Campaign.objects.create(workspace=other, name="Other's", icp={})
    # Campaign sizes follow 1/rank: campaign 0 holds ~26 % of the workspace, the last ~1 %.
    weights = [1 / (rank + 1) for rank in range(CAMPAIGNS)]
    bounds, total = [], 0.0
    for weight in weights:
        total += weight / sum(weights)
        bounds.append(total)
    campaign_case = (
        "CASE "
        + " ".join(
            f"WHEN r.campaign_draw < {bound:.6f} THEN {c.pk}"
            for bound, c in zip(bounds[:-1], campaigns[:-1], strict=True)
        )
        + f" ELSE {campaigns[-1].pk} END"
    )
    companies = max(1, leads // 5)
    other_from = int(leads * 0.95)  # rows n >= other_from belong to the other workspace
    other_company_from = int(companies * 0.95)
    syllables = _sql_array(SYLLABLES)
    statements = [
        "SELECT setseed(0.42)",
        # Companies: a two-syllable name with a suffix, e.g. "Corven Logistics".
        f"""
        INSERT INTO research_company (workspace_id, domain, name, description, industry,
            country, city, address, size_hint, origin, research_status, research_error,
            created_at)
        SELECT CASE WHEN n >= {other_company_from} THEN {other.pk} ELSE {bench.pk} END,
            'company' || n || '.test',
            initcap({syllables}[1 + n % {len(SYLLABLES)}]
                    || {syllables}[1 + (n / {len(SYLLABLES)}) % {len(SYLLABLES)}]
                    || {syllables}[1 + (n / {len(SYLLABLES) ** 2}) % {len(SYLLABLES)}])
                || ' ' || {_sql_array(SUFFIXES)}[1 + (n * 7) % {len(SUFFIXES)}],
            '', {_sql_array(INDUSTRIES)}[1 + n % {len(INDUSTRIES)}], 'DE', 'Berlin', '', '',
            'search', 'researched', '', now() - interval '200 days'
        FROM generate_series(0, {companies - 1}) AS n
        """,
        "CREATE TEMP TABLE bench_company AS "
        "SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, workspace_id "
        "FROM research_company",
        "CREATE UNIQUE INDEX ON bench_company (n)",
        # One person per lead, at company n % companies of the lead's workspace.
        f"""
        CREATE TEMP TABLE bench_rows AS
        SELECT n,
            CASE WHEN n >= {other_from} THEN {other.pk} ELSE {bench.pk} END AS workspace_id,
            CASE WHEN n >= {other_from}
                 THEN {other_company_from} + n % {max(1, companies - other_company_from)}
                 ELSE n % {other_company_from or 1} END AS company_n,
            {_sql_array(GIVEN)}[1 + floor(random() * {len(GIVEN)})::int] AS given,
            {_sql_array(FAMILY)}[1 + floor(random() * {len(FAMILY)})::int] AS family,
            random() * 100 AS status_draw,
            random() AS campaign_draw,
            random() < 0.9 AS has_email,
            -- Scores cluster around 0.55 in steps of 0.005, so many leads tie.
            round(least(1, greatest(0, 0.55 + 0.18 * (random() + random() + random() - 1.5)))
                  ::numeric * 200) / 200 AS score,
            now() - random() * interval '180 days' AS created_at
        FROM generate_series(0, {leads - 1}) AS n
        """,
        """
        INSERT INTO contacts_person (workspace_id, company_id, full_name, given_name,
            family_name, name_key, title, normalised_title, seniority, department,
            linkedin_url, created_at)
        SELECT r.workspace_id, c.id, r.given || ' ' || r.family, r.given, r.family,
            lower(r.given || '-' || r.family || '-' || r.n), 'Head of Sales', 'head of sales',
            'head', 'sales', '', r.created_at
        FROM bench_rows r JOIN bench_company c ON c.n = r.company_n
        ORDER BY r.n
        """,
        "CREATE TEMP TABLE bench_person AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id "
        "FROM contacts_person",
        "CREATE UNIQUE INDEX ON bench_person (n)",
        """
        INSERT INTO contacts_emailaddress (workspace_id, person_id, company_id, address, domain,
            origin, confidence, pattern, source_url, verdict, verdict_confidence, created_at)
        SELECT r.workspace_id, p.id, c.id,
            lower(r.given) || '.' || r.n || '@company' || r.company_n || '.test',
            'company' || r.company_n || '.test', 'guessed', 0.8, 'first.last', '', 'valid', 0.9,
            r.created_at
        FROM bench_rows r JOIN bench_person p ON p.n = r.n JOIN bench_company c ON c.n = r.company_n
        WHERE r.has_email
        """,
        f"""
        INSERT INTO contacts_lead (workspace_id, campaign_id, person_id, company_id, email_id,
            status, score, score_explanation, search_text, created_at, updated_at)
        SELECT r.workspace_id,
            CASE WHEN r.n >= {other_from} THEN {other_campaign.pk}
                 ELSE {campaign_case} END,
            p.id, c.id, e.id, {_status_case("r.status_draw")}, r.score, '[]',
            -- What coldflow.contacts.search.lead_search_text makes of the same parts.
            lower(r.given || ' ' || r.family || chr(10) || rc.name || chr(10) || rc.domain
                  || chr(10) || coalesce(e.address, '')),
            r.created_at, r.created_at
        FROM bench_rows r JOIN bench_person p ON p.n = r.n JOIN bench_company c ON c.n = r.company_n
        JOIN research_company rc ON rc.id = c.id
        LEFT JOIN contacts_emailaddress e ON e.person_id = p.id
        """,
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return loaded()


def loaded() -> dict:
    """What the queries need from a loaded database."""
    from django.contrib.auth import get_user_model

    from coldflow.accounts.models import Workspace
    from coldflow.campaigns.models import Campaign

    bench = Workspace.objects.get(slug="bench")
    return {
        "user": get_user_model().objects.get(username="owner"),
        "workspace": bench,
        "campaigns": list(
            Campaign.objects.filter(workspace=bench).order_by("id").values_list("id", flat=True)
        ),
        "company_fragments": [
            ("".join(random.Random(n).sample(SYLLABLES, 2))).title() for n in range(20)
        ],
    }


def timed(call, runs: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds of `call(i)` over `runs` runs, after one warm-up call.

    A query slower than the budget allows is measured on fewer runs (at least five): it has
    missed the target by far anyway, and the run should still end."""
    call(runs)
    samples = []
    spent = 0.0
    for i in range(runs):
        started = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - started) * 1000)
        spent += samples[-1] / 1000
        if spent > BUDGET_SECONDS and len(samples) >= 5:
            break
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def fetch(client, url: str, params: dict) -> None:
    response = client.get(url + "?" + urlencode(params))
    assert response.status_code == 200, (url, params, response.status_code)
    if url == API:
        assert response.json()["items"], f"no leads for {params}"
    else:
        assert b'href="/leads/' in response.content, f"no leads for {params}"


PAGE_URL, API = "/leads/", "/api/leads"


def measure(setup: dict, runs: int) -> list[tuple[str, str, float, float]]:
    """(query, where, p50, p95) for the dashboard's leads page, the API and the baseline."""
    from django.test import Client

    from coldflow.api.pagination import encode_cursor
    from coldflow.contacts.models import Lead

    client = Client()
    client.force_login(setup["user"])
    campaigns = setup["campaigns"]
    statuses = ["new", "ready", "contacted", "replied", "interested"]
    rng = random.Random(3)
    in_workspace = Lead.objects.filter(workspace=setup["workspace"])
    results = []

    def both(name, params_for, api=True):
        """The page (cursor parameter `after`) and, where it has the same query, the API."""
        p50, p95 = timed(lambda i: fetch(client, PAGE_URL, params_for(i)), runs)
        results.append((name, "page", p50, p95))
        if api:

            def api_params(i):
                params = params_for(i)
                if "after" in params:
                    params["cursor"] = params.pop("after")
                return params

            p50, p95 = timed(lambda i: fetch(client, API, api_params(i)), runs)
            results.append((name, "api", p50, p95))

    both(
        "campaign + status, score desc",
        lambda i: {"campaign": campaigns[i % len(campaigns)], "status": statuses[i % 5]},
    )
    both("all leads, score desc", lambda i: {"min_score": 0.1} if i % 2 else {})
    both("all leads, created asc", lambda i: {"order": "created"})
    both("all leads, newest first", lambda i: {"order": "newest"}, api=False)
    both(
        "campaign, newest first",
        lambda i: {"campaign": campaigns[i % 6], "order": "newest"},
        api=False,
    )
    both("search family name", lambda i: {"q": rng.choice(FAMILY)})
    both("search company name", lambda i: {"q": setup["company_fragments"][i % 20]})
    both("campaign + search", lambda i: {"campaign": campaigns[i % 3], "q": rng.choice(FAMILY)})

    ordered = in_workspace.order_by("-score", "id")
    rows = in_workspace.count()
    # Smaller runs (--leads) measure the depths they have.
    depths = [d for d in DEEP_PAGES if d + runs + PAGE < rows] or [rows // 2]
    for depth in depths:
        keys = list(ordered.values_list("score", "id")[depth - 1 : depth + runs + 1])
        cursors = [encode_cursor(key) for key in keys]
        both(f"keyset page at {depth:,}", lambda i, cursors=cursors: {"after": cursors[i]})

        full = in_workspace.select_related("person", "company", "email", "campaign").order_by(
            "-score", "id"
        )

        def offset_page(i, depth=depth, full=full):
            assert list(full[depth + i : depth + i + PAGE])

        p50, p95 = timed(offset_page, runs)
        results.append((f"OFFSET page at {depth:,}", "baseline", p50, p95))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", metavar="DATABASE", help="measure a database an earlier --keep run loaded"
    )
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    if not base.startswith("postgres"):
        print("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    name = args.reuse or f"coldflow_bench_{uuid.uuid4().hex[:10]}"
    if not args.reuse:
        admin(base, f'CREATE DATABASE "{name}"')
    try:
        boot(urlunsplit(urlsplit(base)._replace(path=f"/{name}")))
        if args.reuse:
            setup = loaded()
        else:
            started = time.perf_counter()
            setup = populate(args.leads)
            took = time.perf_counter() - started
            print(f"loaded {args.leads:,} leads in {took:.1f} s ({name})")
        results = measure(setup, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep or args.reuse:
            print(f"kept database {name}")
        else:
            admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(
        f"\n{'query':32} {'where':9} {'p50 ms':>8} {'p95 ms':>8}  target p95 < {TARGET_MS:.0f} ms"
    )
    missed = []
    for label, where, p50, p95 in results:
        verdict = "" if where == "baseline" else ("ok" if p95 < TARGET_MS else "MISSED")
        if verdict == "MISSED":
            missed.append(f"{label} ({where})")
        print(f"{label:32} {where:9} {p50:8.1f} {p95:8.1f}  {verdict}")
    if missed:
        print(f"\np95 over {TARGET_MS:.0f} ms: {', '.join(missed)}")
        return 1
    print(f"\nevery query's p95 is under {TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
