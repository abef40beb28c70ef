"""Writing a campaign's drafts: one OutboundMessage per (lead, step), linted, approved or held.

Idempotent: a message's idempotency key is its (lead, step), so running compose again finds the
drafts it wrote and changes nothing. The Message-ID is provisional (`@coldflow.local`); the
sender replaces the domain with its mailbox's when it assigns one.

Given an LLM client, each lead's first email gets its first line from the LLM
(coldflow.compose.first_lines); without one, or for a lead the LLM failed, from the rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from coldflow.campaigns.models import Campaign, SequenceStep
from coldflow.compose.first_lines import FirstLine, FirstLineWriter
from coldflow.compose.lead_data import CompanyInfo, FactRef, LeadData
from coldflow.compose.render import DraftContent, VariantTemplate, render_draft, uses_icebreaker
from coldflow.compose.sequences import ensure_default_sequence
from coldflow.compose.variants import VariantChoice, assign_variant
from coldflow.contacts.models import Lead, LeadStatus
from coldflow.errors import UserError
from coldflow.llm.client import LlmClient, LlmSettings
from coldflow.research.models import Fact
from coldflow.send.models import MessageState, OutboundMessage

# Leads with a sendable address that have not stopped.
COMPOSABLE_STATUSES = (LeadStatus.READY, LeadStatus.ENROLLED, LeadStatus.CONTACTED)


@dataclass(frozen=True)
class PreviewDraft:
    lead_id: int
    to: str
    name: str
    company: str
    step: int
    variant: str
    subject: str
    body_text: str
    body_html: str
    facts_used: list[dict]
    lint_findings: list[dict]
    # Who wrote the first line: llm, rules, fallback (rules after the LLM failed); empty when
    # the template prints no first line.
    first_line: str = ""

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class ComposeReport:
    leads: int = 0
    drafted: int = 0
    # Drafts found from an earlier run, left as they were.
    existing: int = 0
    approved: int = 0
    held_for_review: int = 0
    lint_errors: int = 0
    # First emails whose first line the LLM wrote, the rules chose, or the rules chose after
    # the LLM's line failed (the draft's lint findings say why).
    first_lines_llm: int = 0
    first_lines_rules: int = 0
    first_lines_fallback: int = 0
    previews: list[PreviewDraft] = field(default_factory=list)

    def count_first_line(self, line: FirstLine | None) -> None:
        if line is not None:
            name = f"first_lines_{line.source}"
            setattr(self, name, getattr(self, name) + 1)

    def as_dict(self) -> dict:
        counts = {k: v for k, v in self.__dict__.items() if k != "previews"}
        return counts | {"previews": [p.as_dict() for p in self.previews]}


def compose_drafts(
    campaign: Campaign,
    *,
    limit: int | None = None,
    preview: bool = False,
    llm: LlmClient | None = None,
    lead_ids: Iterable[int] | None = None,
) -> ComposeReport:
    """Draft every step for the campaign's leads (at most `limit` leads; only those in
    `lead_ids` when given: the orchestrator composes lead by lead).

    With `preview`, nothing is saved: the first email of `limit` leads is rendered, taking one
    lead per company first so the preview shows different companies.

    With `llm`, first emails get the LLM's first line. LlmAuthError and LlmBudgetExhausted
    propagate and stop compose; the drafts written before stay.
    """
    steps = _steps(campaign)
    today = timezone.now().date()
    leads = _leads(campaign, limit, spread_companies=preview, lead_ids=lead_ids)
    report = ComposeReport(leads=len(leads))
    writer = FirstLineWriter(llm, workspace=campaign.workspace)
    facts_cache: dict[int, tuple[FactRef, ...]] = {}
    for lead in leads:
        data = lead_data(lead, facts_cache)
        if preview:
            report.previews.append(_preview(lead, data, steps[0], today, writer, report))
        else:
            _compose_lead(campaign, lead, data, steps, today, writer, report)
    return report


def configured_llm() -> LlmClient | None:
    """The LLM client when LLM_BASE_URL is set; None (template mode) otherwise."""
    settings = LlmSettings.from_config()
    return LlmClient(settings) if settings.configured else None


def _steps(campaign: Campaign) -> list[SequenceStep]:
    # The sequence is configuration, not drafts: a preview creates the default one too, so
    # what it shows is what compose will write.
    ensure_default_sequence(campaign)
    steps = list(SequenceStep.objects.filter(sequence_id=campaign.sequence_id).order_by("position"))
    if not steps:
        raise UserError(f"campaign {campaign.name!r}: its sequence has no steps")
    for step in steps:
        step.active_variants = [v for v in step.variants.order_by("label") if v.active]
        if not step.active_variants:
            raise UserError(
                f"campaign {campaign.name!r}: step {step.position + 1} has no active variant"
            )
    return steps


def _leads(
    campaign: Campaign,
    limit: int | None,
    *,
    spread_companies: bool,
    lead_ids: Iterable[int] | None = None,
) -> list[Lead]:
    query = (
        Lead.objects.filter(campaign=campaign, status__in=COMPOSABLE_STATUSES, email__isnull=False)
        .select_related("person", "company", "email")
        .order_by("-score", "id")
    )
    if lead_ids is not None:
        query = query.filter(id__in=list(lead_ids))
    if not spread_companies:
        return list(query[:limit] if limit else query)
    leads = list(query)
    first_per_company, rest, seen = [], [], set()
    for lead in leads:
        (rest if lead.company_id in seen else first_per_company).append(lead)
        seen.add(lead.company_id)
    ordered = first_per_company + rest
    return ordered[:limit] if limit else ordered


def lead_data(lead: Lead, facts_cache: dict[int, tuple[FactRef, ...]] | None = None) -> LeadData:
    """A lead as plain data: person, address, company and the company's facts."""
    cache = facts_cache if facts_cache is not None else {}
    if lead.company_id not in cache:
        cache[lead.company_id] = tuple(
            FactRef(f.id, f.key, f.value, f.source_url, f.observed_at)
            for f in Fact.objects.filter(company_id=lead.company_id, person__isnull=True)
            .exclude(key__startswith="person.")
            .order_by("-observed_at", "id")
        )
    facts = cache[lead.company_id]
    company = lead.company
    employees = next(
        (
            f.value.get("employees")
            for f in facts
            if f.key == "company.size" and isinstance(f.value, dict)
        ),
        None,
    )
    person = lead.person
    return LeadData(
        lead_id=lead.id,
        first_name=person.given_name,
        last_name=person.family_name,
        full_name=person.full_name,
        title=person.title,
        seniority=person.seniority,
        department=person.department,
        email=lead.email.address if lead.email else "",
        company=CompanyInfo(
            name=company.name,
            domain=company.domain,
            city=company.city,
            country=company.country,
            industry=company.industry,
            founded_year=company.founded_year,
            employees=employees if isinstance(employees, int) else None,
        ),
        facts=facts,
    )


def _variant_for(lead_id: int, step: SequenceStep):
    label = assign_variant(
        [VariantChoice(v.label, v.weight) for v in step.active_variants],
        lead_id=lead_id,
        step_id=step.id,
    )
    return next(v for v in step.active_variants if v.label == label)


def _render(
    data: LeadData,
    step: SequenceStep,
    variant,
    today: date,
    thread_subject: str,
    writer: FirstLineWriter | None = None,
) -> tuple[DraftContent, FirstLine | None]:
    """The draft, and who wrote its first line when `writer` is given (first emails only) and
    the template prints one."""
    template = VariantTemplate(
        variant.label, variant.subject_template, variant.body_template, variant.html
    )
    first_line = None
    if writer is not None and uses_icebreaker(template):
        first_line = writer.write(data)
    content = render_draft(
        data,
        template,
        step_id=step.id,
        today=today,
        thread_subject=thread_subject,
        icebreaker=first_line.icebreaker if first_line else None,
    )
    return content, first_line


def lint_findings(content: DraftContent, first_line: FirstLine | None = None) -> list[dict]:
    """The lint rules' findings, plus one error per variable that rendered without a value,
    plus a warning when the LLM's first line could not be used."""
    from coldflow.compose.lint import LintFinding, lint_message

    findings = lint_message(content.subject, content.body_text, content.body_html)
    findings += [
        LintFinding(
            "unresolved_variable",
            "error",
            f"The template prints {name!r}, which this lead has no value for; give it a "
            f'fallback: {{{{ {name} | default("…") }}}}.',
            "message",
            name,
        )
        for name in content.unresolved
    ]
    extra = [first_line.finding] if first_line and first_line.finding else []
    return [f.as_dict() for f in findings] + extra


def has_error(findings: list[dict]) -> bool:
    return any(f.get("severity") == "error" for f in findings)


def _preview(
    lead: Lead, data: LeadData, step: SequenceStep, today: date, writer, report
) -> PreviewDraft:
    variant = _variant_for(lead.id, step)
    content, first_line = _render(data, step, variant, today, "", writer)
    report.count_first_line(first_line)
    return PreviewDraft(
        lead_id=lead.id,
        to=data.email,
        name=data.full_name,
        company=data.company.name or data.company.domain,
        step=step.position + 1,
        variant=variant.label,
        subject=content.subject,
        body_text=content.body_text,
        body_html=content.body_html,
        facts_used=content.facts_used,
        lint_findings=lint_findings(content, first_line),
        first_line=first_line.source if first_line else "",
    )


def _compose_lead(campaign, lead, data: LeadData, steps, today: date, writer, report) -> None:
    thread_subject = ""
    for step in steps:
        key = f"lead:{lead.id}:step:{step.id}"
        existing = OutboundMessage.objects.filter(idempotency_key=key).first()
        if existing is not None:
            report.existing += 1
            thread_subject = thread_subject or existing.subject
            continue
        variant = _variant_for(lead.id, step)
        first_email = step is steps[0]
        content, first_line = _render(
            data, step, variant, today, thread_subject, writer if first_email else None
        )
        thread_subject = thread_subject or content.subject
        findings = lint_findings(content, first_line)
        errors = has_error(findings)
        state = (
            MessageState.APPROVED
            if not errors and not campaign.approval_required
            else MessageState.DRAFT
        )
        try:
            with transaction.atomic():
                OutboundMessage.objects.create(
                    workspace_id=campaign.workspace_id,
                    campaign=campaign,
                    lead=lead,
                    step=step,
                    variant=variant,
                    state=state,
                    to_address=data.email,
                    subject=content.subject,
                    body_text=content.body_text,
                    body_html=content.body_html,
                    facts_used=content.facts_used,
                    lint_findings=findings,
                    message_id=f"<{uuid.uuid4().hex}@coldflow.local>",
                    idempotency_key=key,
                )
        except IntegrityError:
            # Another worker wrote this draft between our check and our insert.
            report.existing += 1
            continue
        report.drafted += 1
        report.count_first_line(first_line)
        if errors:
            report.lint_errors += 1
        elif state == MessageState.APPROVED:
            report.approved += 1
        else:
            report.held_for_review += 1
