"""Lead search: one lower-cased search text per lead, shared by the leads page and the API."""

from __future__ import annotations

from coldflow.contacts.models import EmailAddress, Lead, Person
from coldflow.contacts.search import lead_search_text, search_leads
from tests.web.dashboard import Browser


def _lead(personas) -> Lead:
    seed = Lead.objects.select_related("company").get(pk=personas.acme_rows.ids["lead"])
    person = Person.objects.create(
        workspace=personas.acme, company=seed.company, full_name="Zoë Quackenbush", name_key="zq"
    )
    email = EmailAddress.objects.create(
        workspace=personas.acme, address="Zoe.Q@Example-Mail.test", domain="example-mail.test",
        person=person, company=seed.company, origin="found",
    )  # fmt: skip
    return Lead.objects.create(
        workspace=personas.acme, campaign=seed.campaign, person=person, company=seed.company,
        email=email,
    )  # fmt: skip


def _found(personas, text: str) -> bool:
    lead = Lead.objects.get(person__name_key="zq")
    return lead in search_leads(Lead.objects.filter(workspace=personas.acme), text)


def test_a_lead_is_found_by_any_part_of_its_name_company_domain_or_address_in_any_case(personas):
    lead = _lead(personas)
    assert lead.search_text == lead_search_text(
        "Zoë Quackenbush", lead.company.name, lead.company.domain, "Zoe.Q@Example-Mail.test"
    )
    for text in ("quackEN", "ZOË", lead.company.name.upper(), lead.company.domain, "q@example-m"):
        assert _found(personas, text), text
    assert not _found(personas, "quackenbush zoë")
    # A term never spans two parts (name and company).
    assert not _found(personas, f"quackenbush {lead.company.name}")


def test_the_search_text_follows_a_new_email_address_and_a_renamed_company(personas):
    lead = _lead(personas)
    lead.email = EmailAddress.objects.create(
        workspace=personas.acme, address="zq@elsewhere.test", domain="elsewhere.test",
        person=lead.person, company=lead.company, origin="found",
    )  # fmt: skip
    lead.save(update_fields=["email"])
    assert _found(personas, "zq@elsewhere") and not _found(personas, "example-mail")
    lead.company.name = "Renamed Widgets"
    lead.company.save()
    Lead.objects.get(pk=lead.pk).save()
    assert _found(personas, "renamed widg")


def test_the_leads_page_searches_the_same_text_whatever_the_case(personas):
    lead = _lead(personas)
    browser = Browser(personas.alice)
    page = browser.get("/leads/?q=QUACKENBUSH").content
    assert f'name="ids" value="{lead.pk}"'.encode() in page
    assert browser.get("/leads/?q=nobody-has-this-name").context["leads"] == []
