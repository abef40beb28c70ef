"""Who writes a lead's first line: the LLM when one is configured, the rules otherwise.

The LLM sees the facts the rule-based icebreakers choose from (a few of each kind, the kinds
icebreakers prefer first), fenced as untrusted data by coldflow.compose.llm_writer, and its line
is checked there before it gets here. It replaces only the `{{ icebreaker }}` of the first
email: the rest stays the user's template, where the offer lives.

One lead's failure (every answer rejected, the endpoint down, a refused request) gives that
lead the rule-based line and a warning on its draft saying why. A refused key or a spent budget
is raised: every further call would fail the same way, so compose stops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from coldflow.compose.icebreakers import Icebreaker
from coldflow.compose.lead_data import FactRef, LeadData
from coldflow.compose.lint import LintFinding
from coldflow.compose.llm_writer import (
    MAX_FACTS,
    LlmDraftRejected,
    Recipient,
    WriterFact,
    write_first_line,
)
from coldflow.compose.text import one_line, short_company_name
from coldflow.llm.client import LlmClient, LlmRequestRefused, LlmUnavailable

Source = Literal["llm", "rules", "fallback"]

# The kinds of fact the model is shown first, in the icebreakers' order of strength, and how
# many of one kind: a site with twenty technologies should not crowd out its open roles.
_KEY_ORDER = (
    "signal.post",
    "signal.open_role",
    "signal.technology",
    "company.founding_year",
    "company.size",
    "company.city",
    "company.description",
)
_PER_KEY = 3


@dataclass(frozen=True)
class FirstLine:
    # None: the rule-based line, chosen when the draft is rendered.
    icebreaker: Icebreaker | None
    source: Source
    # A lint-style warning for the draft when the LLM's line could not be used.
    finding: dict | None = None


class FirstLineWriter:
    """First lines for one compose run; without a client every line is rule-based."""

    def __init__(self, llm: LlmClient | None, *, workspace: Any = None):
        self.llm = llm
        self.workspace = workspace

    def write(self, lead: LeadData) -> FirstLine:
        # With no fact there is nothing to ground a line in: the generic rule-based line.
        if self.llm is None or not lead.facts:
            return FirstLine(None, "rules")
        facts = writer_facts(lead)
        try:
            written = write_first_line(self.llm, recipient(lead), facts, workspace=self.workspace)
        except (LlmDraftRejected, LlmUnavailable, LlmRequestRefused) as error:
            return FirstLine(None, "fallback", fallback_finding(error))
        by_id = {str(f.id): f for f in lead.facts}
        cited = [by_id[str(c["fact_id"])] for c in written.facts_used]
        icebreaker = Icebreaker(
            written.line, "llm", 1.0, cited[0] if cited else None, tuple(cited[1:])
        )
        return FirstLine(icebreaker, "llm")


def writer_facts(lead: LeadData) -> list[WriterFact]:
    """The lead's facts for the model: icebreaker kinds first, a few of each, newest first."""
    ranked: list[FactRef] = []
    for key in _KEY_ORDER:
        ranked += lead.facts_with(key)[:_PER_KEY]
    others: dict[str, int] = {}
    for fact in lead.facts:
        if fact.key not in _KEY_ORDER and others.get(fact.key, 0) < _PER_KEY:
            others[fact.key] = others.get(fact.key, 0) + 1
            ranked.append(fact)
    return [WriterFact(f.id, f.key, f.value, f.source_url) for f in ranked[:MAX_FACTS]]


def recipient(lead: LeadData) -> Recipient:
    return Recipient(
        first_name=one_line(lead.first_name, 60),
        last_name=one_line(lead.last_name, 80),
        job_title=one_line(lead.title, 80),
        company=short_company_name(one_line(lead.company.name, 80)),
        domain=one_line(lead.company.domain, 100),
    )


def fallback_finding(error: Exception) -> dict:
    return LintFinding(
        "llm_first_line",
        "warning",
        f"The first line is the rule-based one: {str(error).rstrip('.')}.",
        "text",
    ).as_dict()
