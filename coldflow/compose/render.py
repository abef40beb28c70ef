"""One draft from one lead and one variant: subject, plain text, HTML and the facts cited.

Pure: plain data in, plain data out. Spintax and icebreaker phrasing are seeded by (lead, step),
so rendering the same draft again gives the same words.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from coldflow.compose.icebreakers import Icebreaker, choose_icebreaker
from coldflow.compose.lead_data import LeadData, template_variables
from coldflow.compose.templates import referenced_names, render


@dataclass(frozen=True)
class VariantTemplate:
    label: str
    subject: str
    body: str
    html: bool = False


@dataclass(frozen=True)
class DraftContent:
    subject: str
    body_text: str
    body_html: str
    # [{"fact_id", "key", "source_url", "sentence"}]: what the draft says that rests on a fact.
    facts_used: list[dict] = field(default_factory=list)
    # Variables the templates printed with no value and no fallback.
    unresolved: tuple[str, ...] = ()
    icebreaker: Icebreaker | None = None


def uses_icebreaker(template: VariantTemplate) -> bool:
    return "icebreaker" in referenced_names(template.subject) | referenced_names(template.body)


def draft_seed(lead_id: int, step_id: int) -> str:
    return f"{lead_id}:{step_id}"


def render_draft(
    lead: LeadData,
    template: VariantTemplate,
    *,
    step_id: int,
    today: date,
    thread_subject: str = "",
    icebreaker: Icebreaker | None = None,
) -> DraftContent:
    """Render a variant for a lead. A follow-up whose subject template is empty answers in the
    thread: its subject is `Re: ` and the first email's subject (`thread_subject`).

    `icebreaker` is a first line written elsewhere (by the LLM); without it the rule-based
    one is chosen here."""
    seed = draft_seed(lead.lead_id, step_id)
    if icebreaker is None:
        icebreaker = choose_icebreaker(lead, seed=seed, today=today)
    variables, citations = template_variables(lead, icebreaker=icebreaker.sentence)
    subject = render(template.subject, variables, seed=f"{seed}:subject")
    body = render(template.body, variables, seed=f"{seed}:body")
    subject_text = " ".join(subject.text.split())
    if not subject_text and thread_subject:
        subject_text = (
            thread_subject if thread_subject.startswith("Re: ") else f"Re: {thread_subject}"
        )
    body_text = _tidy(body.text)

    used = referenced_names(template.subject) | referenced_names(template.body)
    facts_used: list[dict] = []
    if "icebreaker" in used:
        facts_used += icebreaker.citations()
    if "signals" in used:
        facts_used += _signal_citations(citations["signals"], variables, body_text, facts_used)
    return DraftContent(
        subject=subject_text,
        body_text=body_text,
        body_html=text_to_html(body_text) if template.html else "",
        facts_used=facts_used,
        unresolved=tuple(dict.fromkeys(subject.unresolved + body.unresolved)),
        icebreaker=icebreaker,
    )


def _signal_citations(facts, variables, body_text: str, already: list[dict]) -> list[dict]:
    """A signal fact is cited when a line of the body shows its value."""
    cited_ids = {c["fact_id"] for c in already}
    shown = {
        kind: values.get("title") or values.get("name") or ""
        for kind, values in variables["signals"].items()
    }
    lines = body_text.splitlines()
    citations = []
    for fact in facts:
        kind = fact.key.removeprefix("signal.")
        value = shown.get(kind, "")
        line = next((line for line in lines if value and value in line), None)
        if line and fact.id not in cited_ids:
            citations.append(
                {
                    "fact_id": fact.id,
                    "key": fact.key,
                    "source_url": fact.source_url,
                    "sentence": line.strip(),
                }
            )
    return citations


_BLANK_RUN = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def text_to_html(text: str) -> str:
    """The HTML part from the same source as the text: paragraphs and line breaks, escaped."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return f'<!DOCTYPE html>\n<html><body style="font-family: sans-serif">\n{body}\n</body></html>'
