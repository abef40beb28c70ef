"""The REST API, resource by resource, as Acme's API key (and a few other callers)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from coldflow.accounts.api_keys import create_key
from coldflow.accounts.models import AuditEntry
from coldflow.analytics.models import Event
from coldflow.campaigns.models import Campaign
from coldflow.contacts.models import Lead
from coldflow.send.models import Suppression
from tests.web.personas import MAILBOX_SECRETS, seed_workspace


class Caller:
    def __init__(self, secret: str):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path, **params):
        return self.client.get(f"/api{path}", params, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=self.headers,
        )

    def delete(self, path):
        return self.client.delete(f"/api{path}", headers=self.headers)


@pytest.fixture
def acme(personas) -> Caller:
    return Caller(create_key(personas.acme, "tests", created_by=personas.alice).secret)


@pytest.fixture
def acme_reader(personas) -> Caller:
    return Caller(create_key(personas.acme, "reports", read_only=True).secret)


def test_the_schema_is_served_at_api_openapi_json(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/leads" in schema["paths"] and "/api/analytics/funnel" in schema["paths"]
    assert {"BearerKeyAuth", "HeaderKeyAuth"} <= set(schema["components"]["securitySchemes"])


def test_requests_without_a_key_get_a_json_401(db):
    response = Client().get("/api/campaigns")
    assert response.status_code == 401
    assert "API key" in response.json()["detail"]
    bad = Client().get("/api/campaigns", headers={"X-API-Key": "cf_wrong"})
    assert bad.status_code == 401


def test_campaigns_are_listed_read_and_only_the_workspaces_own(personas, acme):
    listed = acme.get("/campaigns").json()
    assert [c["id"] for c in listed["items"]] == [personas.acme_rows.ids["campaign"]]
    assert listed["next_cursor"] is None
    one = acme.get(f"/campaigns/{personas.acme_rows.ids['campaign']}").json()
    assert one["status"] == "running" and one["icp"]["description"].startswith("acme")
    other = acme.get(f"/campaigns/{personas.globex_rows.ids['campaign']}")
    assert other.status_code == 404 and other.json() == {"detail": "not found"}


def test_a_campaign_is_created_from_a_structured_or_a_free_text_icp(personas, acme):
    made = acme.post("/campaigns", {"name": "Fleets", "icp": {"industries": ["logistics"]}})
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "draft" and made.json()["icp"]["industries"] == ["logistics"]
    text = acme.post("/campaigns", {"name": "Dentists", "description": "dental clinics in Hamburg"})
    assert text.status_code == 201 and text.json()["icp"]["locations"]
    assert Campaign.objects.get(pk=made.json()["id"]).workspace == personas.acme
    assert AuditEntry.objects.filter(workspace=personas.acme, action="campaign.create").count() == 2


def test_creating_a_campaign_explains_what_is_wrong(personas, acme):
    bad_icp = acme.post("/campaigns", {"name": "X", "icp": {"industrys": ["logistics"]}})
    assert bad_icp.status_code == 400 and "did you mean 'industries'" in bad_icp.json()["detail"]
    no_icp = acme.post("/campaigns", {"name": "Y"})
    assert no_icp.status_code == 400 and "ICP" in no_icp.json()["detail"]
    taken = acme.post(
        "/campaigns",
        {"name": "acme-1 campaign".replace("acme-1", personas.acme.slug), "description": "x"},
    )
    assert taken.status_code == 409
    missing_name = acme.post("/campaigns", {"description": "x"})
    assert missing_name.status_code == 422 and missing_name.json()["detail"]


def test_campaigns_pause_and_resume_through_their_lifecycle(personas, acme):
    campaign_id = personas.acme_rows.ids["campaign"]
    paused = acme.post(f"/campaigns/{campaign_id}/pause", {"reason": "holiday"})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert paused.json()["status_reason"] == "holiday"
    again = acme.post(f"/campaigns/{campaign_id}/pause")
    assert again.status_code == 409 and "cannot pause" in again.json()["detail"]
    resumed = acme.post(f"/campaigns/{campaign_id}/resume")
    assert resumed.status_code == 200 and resumed.json()["status"] == "running"
    assert Event.objects.filter(campaign_id=campaign_id, kind="campaign.paused").count() == 1
    assert acme.post(f"/campaigns/{personas.globex_rows.ids['campaign']}/pause").status_code == 404


def test_a_read_only_key_reads_but_every_write_gets_403(personas, acme_reader):
    campaign_id = personas.acme_rows.ids["campaign"]
    assert acme_reader.get("/campaigns").status_code == 200
    for response in (
        acme_reader.post("/campaigns", {"name": "Z", "description": "x"}),
        acme_reader.post(f"/campaigns/{campaign_id}/pause"),
        acme_reader.post("/suppressions", {"kind": "domain", "value": "x.example"}),
        acme_reader.delete(f"/suppressions/{personas.acme_rows.ids['suppression']}"),
    ):
        assert response.status_code == 403
        assert "only read" in response.json()["detail"]
    assert Campaign.objects.get(pk=campaign_id).status == "running"


def _many_leads(personas, count: int) -> list[Lead]:
    seed = Lead.objects.get(pk=personas.acme_rows.ids["lead"])
    from coldflow.contacts.models import Person

    made = []
    for i in range(count):
        person = Person.objects.create(
            workspace=personas.acme,
            company=seed.company,
            full_name=f"Person {i}",
            name_key=f"person-{i}",
        )
        made.append(
            Lead.objects.create(
                workspace=personas.acme,
                campaign=seed.campaign,
                person=person,
                company=seed.company,
                status="ready" if i % 2 else "new",
                score=round((i % 5) / 10, 1),
            )
        )
    return made


def test_leads_page_by_score_with_a_cursor_and_no_row_twice(personas, acme):
    _many_leads(personas, 23)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        body = acme.get("/leads", **params).json()
        seen += [(lead["score"], lead["id"]) for lead in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 5 and len(seen) == 24 == len(set(seen))
    assert seen == sorted(seen, key=lambda item: (-item[0], item[1]))


def test_leads_page_by_creation_time_too(personas, acme):
    _many_leads(personas, 7)
    first = acme.get("/leads", order="created", limit=4).json()
    second = acme.get("/leads", order="created", limit=4, cursor=first["next_cursor"]).json()
    ids = [lead["id"] for lead in first["items"] + second["items"]]
    assert len(ids) == 8 == len(set(ids)) and second["next_cursor"] is None


def test_leads_filter_by_campaign_status_score_and_search(personas, acme):
    _many_leads(personas, 10)
    ready = acme.get("/leads", status="ready").json()["items"]
    assert ready and all(lead["status"] == "ready" for lead in ready)
    high = acme.get("/leads", min_score=0.4).json()["items"]
    assert high and all(lead["score"] >= 0.4 for lead in high)
    found = acme.get("/leads", q="person 7").json()["items"]
    assert [lead["person"]["full_name"] for lead in found] == ["Person 7"]
    by_campaign = acme.get("/leads", campaign=personas.globex_rows.ids["campaign"]).json()
    assert by_campaign["items"] == []
    lead = acme.get(f"/leads/{personas.acme_rows.ids['lead']}").json()
    assert lead["email"]["verdict"] == "valid" and lead["company"]["domain"].startswith("acme")


def test_a_tampered_cursor_is_a_400_with_a_plain_message(personas, acme):
    response = acme.get("/leads", cursor="bm90LWEtY3Vyc29y")
    assert response.status_code == 400
    assert response.json()["detail"] == "the cursor is not one this API returned"


def test_companies_come_with_every_fact_and_its_source(personas, acme):
    listed = acme.get("/companies").json()["items"]
    assert [c["id"] for c in listed] == [personas.acme_rows.ids["company"]]
    company = acme.get(f"/companies/{personas.acme_rows.ids['company']}").json()
    assert company["facts"] == [
        {
            "id": personas.acme_rows.ids["fact"],
            "key": "company.founded_year",
            "value": 2011,
            "source_url": f"https://{company['domain']}/about",
            "method": "jsonld",
            "confidence": 1.0,
            "observed_at": company["facts"][0]["observed_at"],
            "person_id": None,
        }
    ]
    assert acme.get(f"/companies/{personas.globex_rows.ids['company']}").status_code == 404


def test_people_come_with_their_addresses(personas, acme):
    people = acme.get("/people", q="dana").json()["items"]
    assert len(people) == 1 and people[0]["emails"][0]["address"].startswith("dana@")
    assert acme.get(f"/people/{personas.globex_rows.ids['person']}").status_code == 404


def test_messages_show_their_state_step_and_variant(personas, acme):
    messages = acme.get("/messages", state="sent").json()["items"]
    assert len(messages) == 1
    assert (messages[0]["state"], messages[0]["step"], messages[0]["variant"]) == ("sent", 0, "A")
    assert acme.get("/messages", state="draft").json()["items"] == []
    assert acme.get(f"/messages/{personas.globex_rows.ids['message']}").status_code == 404


def test_the_inbox_shows_kind_and_intent(personas, acme):
    inbox = acme.get("/inbox", kind="reply", intent="interested").json()["items"]
    assert [m["id"] for m in inbox] == [personas.acme_rows.ids["inbound"]]
    assert acme.get("/inbox", kind="bounce").json()["items"] == []


def test_suppressions_are_added_listed_and_deleted(personas, acme):
    added = acme.post("/suppressions", {"kind": "address", "value": " Someone@Else.Example "})
    assert added.status_code == 201 and added.json()["value"] == "someone@else.example"
    again = acme.post("/suppressions", {"kind": "address", "value": "someone@else.example"})
    assert again.status_code == 200 and again.json()["id"] == added.json()["id"]
    bad = acme.post("/suppressions", {"kind": "address", "value": "not an address"})
    assert bad.status_code == 400 and "not an email address" in bad.json()["detail"]
    values = [s["value"] for s in acme.get("/suppressions").json()["items"]]
    assert "someone@else.example" in values
    assert acme.delete(f"/suppressions/{added.json()['id']}").status_code == 204
    assert not Suppression.objects.filter(pk=added.json()["id"]).exists()
    assert (
        acme.delete(f"/suppressions/{personas.globex_rows.ids['suppression']}").status_code == 404
    )
    assert Suppression.objects.filter(pk=personas.globex_rows.ids["suppression"]).exists()


def test_mailboxes_never_show_a_password_token_or_key(personas, acme):
    responses = [
        acme.get("/mailboxes"),
        acme.get(f"/mailboxes/{personas.acme_rows.ids['mailbox']}"),
    ]
    schema = Client().get("/api/openapi.json").json()["components"]["schemas"]["MailboxOut"]
    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in MAILBOX_SECRETS:
            assert secret not in text
    for field in schema["properties"]:
        assert not any(word in field for word in ("password", "token", "secret", "key"))
    fields = set(responses[1].json())
    assert not any(word in f for f in fields for word in ("password", "token", "secret", "key"))


def test_events_follow_the_log_oldest_first(personas, acme):
    events = acme.get("/events").json()["items"]
    assert [e["kind"] for e in events] == ["message.sent", "reply.received"]
    assert [e["kind"] for e in acme.get("/events", kind="reply").json()["items"]] == [
        "reply.received"
    ]
    first = acme.get("/events", limit=1).json()
    rest = acme.get("/events", limit=1, cursor=first["next_cursor"]).json()
    assert rest["items"][0]["kind"] == "reply.received"


def test_the_funnel_counts_messages_by_campaign_step_variant_and_mailbox(personas, acme):
    seed_workspace(personas.acme)  # a second campaign, with a sent message and a reply
    by_campaign = acme.get("/analytics/funnel").json()
    assert by_campaign["by"] == "campaign" and len(by_campaign["rows"]) == 2
    row = by_campaign["rows"][0]
    assert {k: row[k] for k in ("sent", "delivered", "replied", "positive", "bounced")} == {
        "sent": 1,
        "delivered": 1,
        "replied": 1,
        "positive": 1,
        "bounced": 0,
    }
    variant = acme.get(
        "/analytics/funnel", by="variant", campaign=personas.acme_rows.ids["campaign"]
    ).json()["rows"]
    assert [(r["step"], r["variant"], r["sent"]) for r in variant] == [(0, "A", 1)]
    mailbox = acme.get("/analytics/funnel", by="mailbox").json()["rows"]
    assert len(mailbox) == 2 and all(r["mailbox"] for r in mailbox)
