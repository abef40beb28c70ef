"""A campaign's leads in the database: who becomes one, which address, status, idempotence;
and `coldflow campaign create` + `coldflow leads` against the sandbox."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from coldflow.accounts.models import Workspace
from coldflow.campaigns.models import Campaign
from coldflow.contacts.leads import build_leads
from coldflow.contacts.models import EmailAddress, Lead, LeadStatus, Person
from coldflow.research.models import Company, Fact
from coldflow.send.models import Suppression

ICP = {
    "industries": ["logistics"],
    "locations": [{"name": "Germany", "country": "DE", "kind": "country"}],
    "personas": ["decision makers in sales"],
}
SITE = "https://nordfracht.de"


@pytest.fixture
def campaign(db):
    workspace = Workspace.objects.create(name="Acme", slug="acme")
    return Campaign.objects.create(workspace=workspace, name="North", icp=ICP)


@pytest.fixture
def company(campaign):
    workspace = campaign.workspace
    company = Company.objects.create(
        workspace=workspace,
        domain="nordfracht.de",
        name="Nordfracht GmbH",
        research_status="researched",
    )
    now = timezone.now()
    for key, value, url in (
        ("company.name", "Nordfracht GmbH", f"{SITE}/"),
        ("company.description", "Spedition und Logistik aus Bremen", f"{SITE}/ueber-uns"),
        ("company.country", "DE", f"{SITE}/impressum"),
        ("signal.post", {"title": "Neue Touren", "date": str(now.date())}, f"{SITE}/news"),
    ):
        Fact.objects.create(
            workspace=workspace,
            company=company,
            key=key,
            value=value,
            source_url=url,
            method="test",
            observed_at=now,
        )
    return company


def person(company, name, title, seniority, department, *addresses):
    found = Person.objects.create(
        workspace=company.workspace,
        company=company,
        full_name=name,
        name_key=name.lower(),
        title=title,
        seniority=seniority,
        department=department,
    )
    Fact.objects.create(
        workspace=company.workspace,
        company=company,
        person=found,
        key="person.title",
        value=title,
        source_url=f"{SITE}/team",
        method="test",
        observed_at=timezone.now(),
    )
    for address, origin, verdict in addresses:
        EmailAddress.objects.create(
            workspace=company.workspace,
            company=company,
            person=found,
            address=address,
            domain="nordfracht.de",
            origin=origin,
            confidence=0.6 if origin == "guessed" else 1.0,
            verdict=verdict,
            source_url=f"{SITE}/impressum" if origin == "found" else "",
        )
    return found


def test_people_who_fit_a_persona_become_leads_with_their_best_sendable_address(campaign, company):
    ceo = person(
        company,
        "Anna Kern",
        "Geschäftsführerin",
        "c_level",
        "other",
        ("anna.kern@nordfracht.de", "found", "valid"),
        ("akern@nordfracht.de", "guessed", "accept_all"),
    )
    sales = person(
        company,
        "Ben Ott",
        "Vertriebsleiter",
        "head",
        "sales",
        ("b.ott@nordfracht.de", "found", "invalid"),
    )
    person(
        company,
        "Carl Fink",
        "Buchhalter",
        "staff",
        "finance",
        ("c@nordfracht.de", "found", "valid"),
    )

    report = build_leads(campaign)

    leads = {lead.person_id: lead for lead in Lead.objects.filter(campaign=campaign)}
    assert set(leads) == {ceo.id, sales.id}
    assert report.created == 2 and report.matching == 2 and report.people == 3
    assert leads[ceo.id].status == LeadStatus.READY
    assert leads[ceo.id].email.address == "anna.kern@nordfracht.de"
    # An invalid address is never chosen: the lead waits for one.
    assert leads[sales.id].status == LeadStatus.NEW and leads[sales.id].email is None
    explanation = {f["factor"]: f for f in leads[ceo.id].score_explanation}
    assert explanation["industry"]["source_url"].startswith(SITE)
    assert explanation["seniority"]["source_url"] == f"{SITE}/team"
    assert explanation["recent_posts"]["fact_id"] is not None
    assert explanation["email"]["source_url"] == f"{SITE}/impressum"
    assert leads[ceo.id].score > leads[sales.id].score


def test_building_again_changes_nothing(campaign, company):
    person(
        company, "Anna Kern", "CEO", "c_level", "other", ("anna@nordfracht.de", "found", "valid")
    )
    build_leads(campaign)
    before = list(Lead.objects.values("id", "status", "score", "email_id", "score_explanation"))
    report = build_leads(campaign)
    assert report.created == report.updated == report.removed == 0 and report.unchanged == 1
    assert list(Lead.objects.values("id", "status", "score", "email_id", "score_explanation")) == (
        before
    )


def test_a_suppressed_address_or_domain_is_never_chosen(campaign, company):
    ceo = person(
        company,
        "Anna Kern",
        "CEO",
        "c_level",
        "other",
        ("anna.kern@nordfracht.de", "found", "valid"),
        ("akern@nordfracht.de", "guessed", "accept_all"),
    )
    Suppression.objects.create(
        workspace=campaign.workspace, kind="address", value="Anna.Kern@nordfracht.de", reason="x"
    )
    build_leads(campaign)
    assert Lead.objects.get(person=ceo).email.address == "akern@nordfracht.de"

    Suppression.objects.create(
        workspace=campaign.workspace, kind="domain", value="nordfracht.de", reason="unsubscribe"
    )
    build_leads(campaign)
    lead = Lead.objects.get(person=ceo)
    assert lead.email is None and lead.status == LeadStatus.NEW


def test_a_contacted_lead_keeps_its_status_and_address_and_a_new_one_that_no_longer_fits_goes(
    campaign, company
):
    ceo = person(
        company, "Anna Kern", "CEO", "c_level", "other", ("anna@nordfracht.de", "found", "valid")
    )
    sales = person(
        company,
        "Ben Ott",
        "Head of Sales",
        "head",
        "sales",
        ("ben@nordfracht.de", "found", "valid"),
    )
    build_leads(campaign)
    Lead.objects.filter(person=ceo).update(status=LeadStatus.CONTACTED)
    EmailAddress.objects.filter(address="anna@nordfracht.de").update(verdict="invalid")
    Person.objects.filter(pk=sales.pk).update(seniority="staff", title="Sales Assistant")

    report = build_leads(campaign)

    kept = Lead.objects.get(person=ceo)
    assert kept.status == LeadStatus.CONTACTED and kept.email.address == "anna@nordfracht.de"
    assert not Lead.objects.filter(person=sales).exists() and report.removed == 1


def test_a_company_with_an_excluded_term_gives_disqualified_leads_that_say_why(campaign, company):
    campaign.icp = {**ICP, "excluded_terms": ["Spedition"]}
    campaign.save()
    ceo = person(
        company, "Anna Kern", "CEO", "c_level", "other", ("anna@nordfracht.de", "found", "valid")
    )
    build_leads(campaign)
    lead = Lead.objects.get(person=ceo)
    assert lead.status == LeadStatus.DISQUALIFIED
    assert any(
        f["factor"] == "disqualified" and "Spedition" in f["value"] for f in lead.score_explanation
    )


@pytest.mark.slow
def test_leads_lists_a_sandbox_campaign_by_score_with_every_factor_explained(
    instance, sandbox, tmp_path
):
    instance.env.update(
        SANDBOX="true", SANDBOX_STATE_DIR=str(sandbox.state_dir), CRAWL_DELAY="0.05"
    )
    assert instance.run("init").returncode == 0
    truth = json.loads((sandbox.state_dir / "truth.json").read_text())["companies"]
    domains = [c["domain"] for c in truth if not c["hostile"]][:6]
    assert instance.run("research", *domains).returncode == 0
    icp = tmp_path / "icp.toml"
    icp.write_text('personas = ["decision makers"]\n', encoding="utf-8")

    missing = instance.run("leads", "--campaign", "Spring")
    assert missing.returncode == 1 and "no campaign named 'Spring'" in missing.stderr
    created = instance.run("campaign", "create", "Spring", "--icp", str(icp))
    assert created.returncode == 0, created.stderr
    again = instance.run("campaign", "create", "Spring", "--icp", str(icp))
    assert again.returncode == 1 and "already has a campaign" in again.stderr

    listed = instance.run("leads", "--campaign", "Spring", "--build", "--json")
    assert listed.returncode == 0, listed.stderr
    leads = [json.loads(line) for line in listed.stdout.splitlines()]
    assert leads, listed.stderr
    assert [lead["score"] for lead in leads] == sorted(
        (lead["score"] for lead in leads), reverse=True
    )
    for lead in leads:
        assert lead["seniority"] in ("owner", "c_level", "vp", "head")
        factors = {f["factor"]: f for f in lead["explanation"]}
        assert {"persona", "seniority", "department", "email", "recent_posts"} <= set(factors)
        assert factors["seniority"]["source_url"].startswith("http")

    top = instance.run("leads", "--campaign", "Spring", "--limit", "1")
    assert top.returncode == 0 and leads[0]["name"] in top.stdout
