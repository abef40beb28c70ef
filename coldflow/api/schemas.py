"""What the API returns and accepts. Fields are listed one by one: nothing is exported by
accident (a mailbox's passwords, tokens and keys have no field here at all)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from coldflow.api.pagination import CURSOR_PATTERN, MAX_LIMIT

# Text from a query string or a body: no NUL (PostgreSQL cannot store it), bounded.
NO_NUL = r"^[^\x00]*$"
SearchText = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
Cursor = Annotated[
    str, Field(pattern=CURSOR_PATTERN, description="next_cursor of the previous page")
]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
# Ids fit a 63-bit database column.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

CampaignStatusName = Literal["draft", "running", "paused", "completed", "cancelled"]
LeadStatusName = Literal[
    "new",
    "ready",
    "enrolled",
    "contacted",
    "replied",
    "interested",
    "not_interested",
    "bounced",
    "unsubscribed",
    "stopped",
    "disqualified",
]
MessageStateName = Literal[
    "draft", "approved", "rejected", "queued", "sending", "sent", "failed", "unknown"
]
InboundKindName = Literal["reply", "auto_reply", "bounce", "complaint", "unsubscribe", "other"]
IntentName = Literal["interested", "not_now", "not_interested", "referral", "question"]


class ErrorOut(Schema):
    detail: Any = Field(description="What went wrong, in a sentence (or a list of problems)")


class Page(Schema):
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end"
    )


# --- campaigns ---


class CampaignOut(Schema):
    id: int
    name: str
    status: CampaignStatusName
    status_reason: str
    icp: dict[str, Any]
    timezone: str
    new_leads_per_day: int
    approval_required: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class CampaignPage(Page):
    items: list[CampaignOut]


class CampaignIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    icp: dict[str, Any] | None = Field(
        None, description="The ICP as in docs/icp.md (TOML fields as JSON)"
    )
    description: Annotated[str, Field(max_length=5000, pattern=NO_NUL)] | None = Field(
        None, description="A free-text ICP, read into its fields when `icp` is not given"
    )


class StatusChangeIn(Schema):
    reason: Annotated[str, Field(max_length=500, pattern=NO_NUL)] = ""


# --- leads, companies, people ---


class PersonBrief(Schema):
    id: int
    full_name: str
    title: str
    seniority: str
    department: str


class CompanyBrief(Schema):
    id: int
    domain: str
    name: str


class EmailOut(Schema):
    id: int
    address: str
    origin: str
    verdict: str
    verdict_confidence: float
    confidence: float
    source_url: str
    verified_at: datetime | None


class LeadOut(Schema):
    id: int
    campaign_id: int
    status: LeadStatusName
    score: float
    score_explanation: list[Any]
    person: PersonBrief
    company: CompanyBrief
    email: EmailOut | None
    created_at: datetime
    updated_at: datetime


class LeadPage(Page):
    items: list[LeadOut]


class FactOut(Schema):
    id: int
    key: str
    value: Any
    source_url: str
    method: str
    confidence: float
    observed_at: datetime
    person_id: int | None


class CompanyOut(Schema):
    id: int
    domain: str
    name: str
    description: str
    industry: str
    country: str
    city: str
    size_hint: str
    founded_year: int | None
    origin: str
    research_status: str
    researched_at: datetime | None
    created_at: datetime


class CompanyDetail(CompanyOut):
    facts: list[FactOut]


class CompanyPage(Page):
    items: list[CompanyOut]


class PersonOut(Schema):
    id: int
    company: CompanyBrief
    full_name: str
    given_name: str
    family_name: str
    title: str
    seniority: str
    department: str
    linkedin_url: str
    emails: list[EmailOut]
    created_at: datetime


class PersonPage(Page):
    items: list[PersonOut]


# --- mail ---


class MessageOut(Schema):
    id: int
    campaign_id: int
    lead_id: int
    mailbox_id: int | None
    step: int = Field(description="Position of the sequence step; 0 is the first email")
    variant: str | None
    state: MessageStateName
    from_address: str
    to_address: str
    subject: str
    body_text: str
    scheduled_at: datetime | None
    sent_at: datetime | None
    smtp_response: str
    error: str
    created_at: datetime


class MessagePage(Page):
    items: list[MessageOut]


class InboundOut(Schema):
    id: int
    mailbox_id: int
    lead_id: int | None
    matched_message_id: int | None
    from_address: str
    subject: str
    received_at: datetime | None
    kind: InboundKindName
    intent: IntentName | Literal[""]
    reply_text: str
    return_date: date | None
    match_method: str
    created_at: datetime


class InboundPage(Page):
    items: list[InboundOut]


class SuppressionOut(Schema):
    id: int
    kind: Literal["address", "domain"]
    value: str
    reason: str
    source: str
    created_at: datetime


class SuppressionPage(Page):
    items: list[SuppressionOut]


class SuppressionIn(Schema):
    kind: Literal["address", "domain"]
    value: Annotated[str, Field(min_length=1, max_length=320, pattern=NO_NUL)]
    reason: Annotated[str, Field(max_length=32, pattern=NO_NUL)] = "manual"


class MailboxOut(Schema):
    id: int
    email: str
    display_name: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    imap_host: str
    imap_port: int
    imap_security: str
    auth_method: str
    daily_cap: int
    ramp_start: int
    ramp_step: int
    min_gap_seconds: int
    max_gap_seconds: int
    timezone: str
    status: str
    status_reason: str
    status_changed_at: datetime | None
    last_sent_at: datetime | None
    created_at: datetime


class MailboxPage(Page):
    items: list[MailboxOut]


# --- events and analytics ---


class EventOut(Schema):
    id: int
    kind: str
    at: datetime
    campaign_id: int | None
    lead_id: int | None
    mailbox_id: int | None
    message_id: int | None
    data: dict[str, Any]


class EventPage(Page):
    items: list[EventOut]


class FunnelRowOut(Schema):
    campaign_id: int | None = None
    campaign: str | None = None
    step: int | None = None
    variant: str | None = None
    mailbox_id: int | None = None
    mailbox: str | None = None
    sent: int
    delivered: int
    replied: int
    positive: int
    bounced: int
    unsubscribed: int


class FunnelOut(Schema):
    by: Literal["campaign", "step", "variant", "mailbox"]
    rows: list[FunnelRowOut]
