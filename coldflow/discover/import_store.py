"""Storing an import: companies, people, their addresses and a fact for every imported value.

Everything is deduplicated against what the workspace already has (companies by registrable
domain, addresses case-insensitively, people by address or by name within their company), and
known records only gain what they lacked: an import never overwrites what research found or a
user typed. Every value is kept as a Fact whose source is the file name and row
("leads.csv#row=14"), method "csv_import". Importing the same file again adds nothing.

One transaction: either every row is stored or none is. A dry run does the same work and rolls
it back, so its counts are the real ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from coldflow.accounts.models import Workspace
from coldflow.contacts.models import EmailAddress, EmailOrigin, Person
from coldflow.contacts.names import parse_name
from coldflow.contacts.titles import normalise_title
from coldflow.discover.imports import (
    DOMAIN_LIST_METHOD,
    ImportBatch,
    ImportedCompany,
    ImportedPerson,
)
from coldflow.research.extract.countries import country_code
from coldflow.research.models import Company, Fact
from coldflow.research.store import name_key

IMPORT_ORIGIN = "import"
# Rows looked up per query: well under every database's limit on query parameters.
_CHUNK = 500


@dataclass
class ImportSummary:
    companies_created: int = 0
    # Known companies that gained a value they lacked (a name, an industry…).
    companies_updated: int = 0
    companies_known: int = 0
    people_created: int = 0
    people_known: int = 0
    emails_created: int = 0
    emails_known: int = 0
    facts_created: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


def save_import(
    workspace: Workspace, batch: ImportBatch, *, dry_run: bool = False
) -> ImportSummary:
    with transaction.atomic():
        summary = _Import(workspace, batch).run()
        summary.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _person_name(person: ImportedPerson) -> str:
    return person.full_name or " ".join(p for p in (person.first_name, person.last_name) if p)


def _size_hint(company: ImportedCompany) -> str:
    low, high = company.employees_min, company.employees_max
    if low is None and high is None:
        return ""
    if low == high:
        return f"{low} employees"
    if high is None:
        return f"{low}+ employees"
    return f"{low or 0}–{high} employees"


class _Import:
    def __init__(self, workspace: Workspace, batch: ImportBatch) -> None:
        self.workspace = workspace
        self.batch = batch
        self.now = timezone.now()
        self.summary = ImportSummary()
        self.companies: dict[str, Company] = {}
        self.facts: list[Fact] = []

    def run(self) -> ImportSummary:
        self._store_companies()
        people = self._store_people()
        self._store_emails(people)
        self._store_facts()
        return self.summary

    def _source(self, row: int) -> str:
        return f"{self.batch.source}#{self.batch.unit}={row}"

    def _fact(self, company: Company, key: str, value, row: int, person=None) -> None:
        self.facts.append(
            Fact(
                workspace=self.workspace,
                company=company,
                person=person,
                key=key,
                value=value,
                source_url=self._source(row)[:2000],
                method=self.batch.method,
                confidence=1.0,
                observed_at=self.now,
                origin=IMPORT_ORIGIN,
            )
        )

    # -- companies ------------------------------------------------------------------------

    def _store_companies(self) -> None:
        wanted = {c.domain: c for c in self.batch.companies}
        for person in self.batch.people:
            if person.company_domain not in wanted:
                wanted[person.company_domain] = ImportedCompany(person.row, person.company_domain)
        known = self._known_companies(list(wanted))
        new: list[Company] = []
        changed: list[Company] = []
        for domain, imported in wanted.items():
            values = self._company_values(imported)
            company = known.get(domain)
            if company is None:
                company = Company(
                    workspace=self.workspace, domain=domain, origin=IMPORT_ORIGIN, **values
                )
                new.append(company)
            else:
                gained = {k: v for k, v in values.items() if v and not getattr(company, k)}
                for name, value in gained.items():
                    setattr(company, name, value)
                if gained:
                    changed.append(company)
                else:
                    self.summary.companies_known += 1
            self.companies[domain] = company
        Company.objects.bulk_create(new, batch_size=_CHUNK)
        if changed:
            fields = ["name", "industry", "city", "country", "size_hint"]
            Company.objects.bulk_update(changed, fields, batch_size=_CHUNK)
        self.summary.companies_created = len(new)
        self.summary.companies_updated = len(changed)
        if any(company.pk is None for company in new):
            # A database that returns no keys from a bulk insert.
            self.companies.update(self._known_companies([c.domain for c in new]))
        for imported in self.batch.companies:
            self._company_facts(self.companies[imported.domain], imported)

    def _known_companies(self, domains: list[str]) -> dict[str, Company]:
        found: dict[str, Company] = {}
        for chunk in _chunks(domains):
            for company in Company.objects.annotate(lower_domain=Lower("domain")).filter(
                workspace=self.workspace, lower_domain__in=chunk
            ):
                found[company.domain.lower()] = company
        return found

    @staticmethod
    def _company_values(imported: ImportedCompany) -> dict[str, str]:
        return {
            "name": imported.name[:300],
            "industry": imported.industry[:200],
            "city": imported.city[:200],
            "country": country_code(imported.country) or "",
            "size_hint": _size_hint(imported)[:100],
        }

    def _company_facts(self, company: Company, imported: ImportedCompany) -> None:
        row = imported.row
        if self.batch.method == DOMAIN_LIST_METHOD:
            self._fact(company, "company.domain", imported.domain, row)
            return
        plain = {
            "company.name": imported.name,
            "company.website": imported.website,
            "company.industry": imported.industry,
            "company.social.linkedin": imported.linkedin_url,
            "company.phone": imported.phone,
            "company.city": imported.city,
            "company.country": imported.country,
        }
        for key, value in plain.items():
            if value:
                self._fact(company, key, value, row)
        if imported.employees_min is not None or imported.employees_max is not None:
            size = {
                "min": imported.employees_min,
                "max": imported.employees_max,
                "text": _size_hint(imported),
            }
            self._fact(company, "company.size", size, row)
        if imported.extra:
            self._fact(company, "import.columns", imported.extra, row)

    # -- people ---------------------------------------------------------------------------

    def _store_people(self) -> list[Person | None]:
        """The person of each imported row, in order (None: an address without a name)."""
        people = self.batch.people
        addresses = self._known_addresses([p.email for p in people if p.email])
        self.addresses = addresses
        company_ids = {self.companies[p.company_domain].pk for p in people}
        known: dict[tuple[int, str], Person] = {}
        for chunk in _chunks(list(company_ids)):
            for person in Person.objects.filter(company_id__in=chunk):
                known[(person.company_id, person.name_key)] = person
        chosen: list[Person | None] = []
        new: list[Person] = []
        changed: dict[int, Person] = {}
        for imported in people:
            company = self.companies[imported.company_domain]
            address = addresses.get(imported.email) if imported.email else None
            person = address.person if address is not None and address.person_id else None
            name = _person_name(imported)
            key = name_key(name) if name else ""
            if person is None and key:
                person = known.get((company.pk, key))
            if person is None and key:
                person = self._new_person(imported, company, name, key)
                known[(company.pk, key)] = person
                new.append(person)
            elif person is not None and person.pk is not None:
                if self._fill_person(person, imported):
                    changed[person.pk] = person
                if person.pk not in changed:
                    self.summary.people_known += 1
            chosen.append(person)
        Person.objects.bulk_create(new, batch_size=_CHUNK)
        if changed:
            fields = ["title", "normalised_title", "seniority", "department", "linkedin_url"]
            Person.objects.bulk_update(list(changed.values()), fields, batch_size=_CHUNK)
        self.summary.people_created = len(new)
        if any(person.pk is None for person in new):
            reloaded = {
                (p.company_id, p.name_key): p
                for chunk in _chunks(list(company_ids))
                for p in Person.objects.filter(company_id__in=chunk)
            }
            chosen = [reloaded[(p.company_id, p.name_key)] if p else None for p in chosen]
        for imported, person in zip(people, chosen, strict=True):
            self._person_facts(imported, person)
        return chosen

    def _new_person(self, imported: ImportedPerson, company: Company, name: str, key: str):
        parsed = parse_name(name)
        title = normalise_title(imported.title)
        return Person(
            workspace=self.workspace,
            company=company,
            full_name=(parsed.display or name)[:300],
            given_name=(imported.first_name or parsed.given)[:150],
            family_name=(imported.last_name or parsed.family_with_particles)[:150],
            name_key=key,
            title=imported.title[:300],
            normalised_title=title.canonical[:300],
            seniority=title.seniority,
            department=title.department,
            linkedin_url=imported.linkedin_url[:500],
        )

    @staticmethod
    def _fill_person(person: Person, imported: ImportedPerson) -> bool:
        changed = False
        if imported.title and not person.title:
            title = normalise_title(imported.title)
            person.title = imported.title[:300]
            person.normalised_title = title.canonical[:300]
            person.seniority = title.seniority
            person.department = title.department
            changed = True
        if imported.linkedin_url and not person.linkedin_url:
            person.linkedin_url = imported.linkedin_url[:500]
            changed = True
        return changed

    def _person_facts(self, imported: ImportedPerson, person: Person | None) -> None:
        company = self.companies[imported.company_domain]
        plain = {
            "person.name": _person_name(imported),
            "person.title": imported.title,
            "person.email": imported.email,
            "person.social.linkedin": imported.linkedin_url,
            "person.phone": imported.phone,
            "person.city": imported.city,
            "person.country": imported.country,
            "person.personalization": imported.personalization,
        }
        for key, value in plain.items():
            if value:
                self._fact(company, key, value, imported.row, person)
        if imported.extra:
            self._fact(company, "import.columns", imported.extra, imported.row, person)

    # -- addresses ------------------------------------------------------------------------

    def _known_addresses(self, emails: list[str]) -> dict[str, EmailAddress]:
        found: dict[str, EmailAddress] = {}
        for chunk in _chunks(emails):
            query = (
                EmailAddress.objects.annotate(lower_address=Lower("address"))
                .filter(workspace=self.workspace, lower_address__in=chunk)
                .select_related("person")
            )
            for address in query:
                found[address.address.lower()] = address
        return found

    def _store_emails(self, people: list[Person | None]) -> None:
        new: dict[str, EmailAddress] = {}
        changed: dict[int, EmailAddress] = {}
        for imported, person in zip(self.batch.people, people, strict=True):
            if not imported.email:
                continue
            company = self.companies[imported.company_domain]
            known = self.addresses.get(imported.email) or new.get(imported.email)
            if known is None:
                new[imported.email] = EmailAddress(
                    workspace=self.workspace,
                    address=imported.email,
                    domain=imported.email.rpartition("@")[2],
                    person=person,
                    company=company,
                    origin=EmailOrigin.IMPORTED,
                    confidence=1.0,
                    source_url=self._source(imported.row)[:2000],
                )
                continue
            gained = False
            if known.origin == EmailOrigin.GUESSED:
                # The user's own list outranks our guess of the same address.
                known.origin = EmailOrigin.IMPORTED
                known.confidence = 1.0
                known.source_url = self._source(imported.row)[:2000]
                gained = True
            if person is not None and known.person_id is None:
                known.person = person
                gained = True
            if known.company_id is None:
                known.company = company
                gained = True
            if known.pk is not None:
                if gained:
                    changed[known.pk] = known
                else:
                    self.summary.emails_known += 1
        EmailAddress.objects.bulk_create(list(new.values()), batch_size=_CHUNK)
        if changed:
            fields = ["origin", "confidence", "source_url", "person", "company"]
            EmailAddress.objects.bulk_update(list(changed.values()), fields, batch_size=_CHUNK)
        self.summary.emails_created = len(new)

    # -- facts ----------------------------------------------------------------------------

    def _store_facts(self) -> None:
        """Only the facts the workspace does not hold yet: a second import adds none."""
        company_ids = list({fact.company_id for fact in self.facts})
        held: set[tuple] = set()
        for chunk in _chunks(company_ids):
            rows = Fact.objects.filter(
                workspace=self.workspace, company_id__in=chunk, method=self.batch.method
            ).values_list("company_id", "person_id", "key", "source_url", "value")
            held.update((c, p, k, s, _canonical(v)) for c, p, k, s, v in rows)
        fresh = []
        for fact in self.facts:
            identity = (
                fact.company_id,
                fact.person_id,
                fact.key,
                fact.source_url,
                _canonical(fact.value),
            )
            if identity not in held:
                held.add(identity)
                fresh.append(fact)
        Fact.objects.bulk_create(fresh, batch_size=_CHUNK)
        self.summary.facts_created = len(fresh)


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
