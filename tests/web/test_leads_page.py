"""The leads table: filters, keyset pages, bounded queries, bulk actions, CSV export."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.send.models import Suppression
from tests.web.dashboard import Browser


def _many_leads(personas, count: int):
    seed = Lead.objects.get(pk=personas.acme_rows.ids["lead"])
    made = []
    for i in range(count):
        person = Person.objects.create(
            workspace=personas.acme,
            company=seed.company,
            full_name=f"Person {i:03d}",
            name_key=f"p{i}",
        )
        email = EmailAddress.objects.create(
            workspace=personas.acme, address=f"p{i}@{seed.company.domain}", domain=seed.company.domain,
            person=person, company=seed.company, origin="found",
        )  # fmt: skip
        made.append(
            Lead.objects.create(
                workspace=personas.acme,
                campaign=seed.campaign,
                person=person,
                company=seed.company,
                email=email,
                status="ready" if i % 2 else "new",
                score=round((i % 17) / 17, 3),
            )  # fmt: skip
        )
    return made


def _ids_in(page: bytes) -> list[int]:
    import re

    return [int(i) for i in re.findall(rb'name="ids" value="(\d+)"', page)]


def test_keyset_pages_walk_every_filtered_lead_once_in_score_order(personas):
    _many_leads(personas, 120)
    browser = Browser(personas.alice)
    seen, url = [], "/leads/?status=ready&order=score"
    while url:
        response = browser.get(url)
        seen += _ids_in(response.content)
        found = response.context["next_url"]
        url = "/leads/" + found if found else ""
    expected = list(
        Lead.objects.filter(workspace=personas.acme, status="ready")
        .order_by("-score", "id")
        .values_list("id", flat=True)
    )
    assert seen == expected and len(seen) == 60


def test_filters_search_and_min_score_narrow_the_table(personas):
    _many_leads(personas, 30)
    browser = Browser(personas.alice)
    assert _ids_in(browser.get("/leads/?q=Person 007").content) == list(
        Lead.objects.filter(person__full_name="Person 007").values_list("id", flat=True)
    )
    high = _ids_in(browser.get("/leads/?min_score=0.9").content)
    assert high and all(Lead.objects.get(pk=i).score >= 0.9 for i in high)
    assert personas.globex_rows.ids["lead"] not in _ids_in(browser.get("/leads/").content)


def test_the_leads_page_costs_the_same_few_queries_for_ten_or_fifty_rows(personas):
    _many_leads(personas, 60)
    browser = Browser(personas.alice)
    browser.get("/leads/")  # the first page of a session also stores its workspace
    counts = []
    for url in ("/leads/?q=Person 00", "/leads/"):
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(url)
        counts.append(len(queries))
        assert response.status_code == 200
    assert len(_ids_in(response.content)) == 50
    assert counts[0] == counts[1] and counts[1] <= 10, counts


def test_bulk_disqualify_and_suppress_change_only_the_chosen_leads(personas):
    leads = _many_leads(personas, 3)
    browser = Browser(personas.bob)
    response = browser.post(
        "leads-bulk",
        data={"action": "disqualify", "ids": [leads[0].pk, personas.globex_rows.ids["lead"]]},
    )
    assert response.status_code == 302
    assert Lead.objects.get(pk=leads[0].pk).status == "disqualified"
    assert Lead.objects.get(pk=personas.globex_rows.ids["lead"]).status == "contacted"
    browser.post("leads-bulk", data={"action": "suppress", "ids": [leads[1].pk]})
    assert Suppression.objects.filter(
        workspace=personas.acme, value=leads[1].email.address
    ).exists()
    assert Lead.objects.get(pk=leads[2].pk).status in ("new", "ready")


def test_csv_export_streams_every_filtered_lead_with_formulas_neutralised(personas):
    leads = _many_leads(personas, 5)
    Person.objects.filter(pk=leads[0].person_id).update(full_name='=HYPERLINK("x")')
    response = Browser(personas.alice).get("/leads/export.csv?order=created")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "campaign", "status", "score"]
    assert len(rows) == 1 + 6
    names = [r[4] for r in rows[1:]]
    assert '\'=HYPERLINK("x")' in names
    assert not any("globex" in ",".join(r).lower() for r in rows)


def test_the_lead_page_shows_facts_with_sources_and_the_conversation(personas):
    page = Browser(personas.alice).get("lead", personas.acme_rows.ids["lead"]).content.decode()
    assert "company.founded_year" in page and "/about" in page
    assert "Sounds good, let&#x27;s talk." in page and "Hi Dana" in page
