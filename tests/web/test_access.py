"""The access core: one Access per request, rows only from its workspace, writes by role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from coldflow.accounts.access import (
    NotAuthenticated,
    access_for_request,
    audit,
    get_or_404,
    scoped,
    use_workspace,
    workspace_path,
    workspace_view,
)
from coldflow.accounts.api_keys import create_key, revoke_key
from coldflow.accounts.models import AuditEntry
from coldflow.campaigns.models import Campaign, SequenceStep, StepVariant
from coldflow.contacts.models import Lead
from coldflow.research.models import Fact
from coldflow.send.models import Enrollment, Mailbox
from coldflow.webhooks.models import WebhookDelivery


def request_as(user, method: str = "get", path: str = "/", **headers):
    request = getattr(RequestFactory(), method)(path, **headers)
    request.user = user if user is not None else AnonymousUser()
    request.session = SessionStore()
    return request


def test_the_owner_and_the_member_may_write_and_the_read_only_member_may_not(personas):
    owner = access_for_request(request_as(personas.alice))
    member = access_for_request(request_as(personas.bob))
    reader = access_for_request(request_as(personas.rita))
    assert {owner.workspace, member.workspace, reader.workspace} == {personas.acme}
    assert (owner.can_write, member.can_write, reader.can_write) == (True, True, False)
    assert (owner.is_owner, member.is_owner, reader.is_owner) == (True, False, False)
    with pytest.raises(PermissionDenied):
        reader.require_write()


def test_an_outsider_naming_another_workspace_gets_not_found(personas):
    with pytest.raises(Http404):
        access_for_request(request_as(personas.charlie), slug=personas.acme.slug)
    assert access_for_request(request_as(personas.charlie)).workspace == personas.globex


def test_anonymous_requests_are_not_authenticated(personas):
    with pytest.raises(NotAuthenticated):
        access_for_request(request_as(None))


def test_the_session_remembers_the_workspace_a_user_switched_to(personas):
    from coldflow.accounts.models import Membership

    Membership.objects.create(workspace=personas.globex, user=personas.bob, role="read_only")
    request = request_as(personas.bob)
    assert use_workspace(request, personas.globex.slug).workspace == personas.globex
    again = request_as(personas.bob)
    again.session = request.session
    access = access_for_request(again)
    assert access.workspace == personas.globex and not access.can_write


def test_scoped_finds_only_the_workspaces_rows_also_through_parent_tables(personas):
    access = access_for_request(request_as(personas.charlie))
    for model in (Campaign, Lead, Fact, Mailbox, SequenceStep, StepVariant, Enrollment):
        rows = list(scoped(model, access))
        assert rows, model
        assert all(row.pk == personas.globex_rows.ids[_name(model)] for row in rows), model
    assert workspace_path(StepVariant) == "step__sequence__workspace"
    assert workspace_path(WebhookDelivery) == "endpoint__workspace"


def _name(model) -> str:
    return {
        "Campaign": "campaign",
        "Lead": "lead",
        "Fact": "fact",
        "Mailbox": "mailbox",
        "SequenceStep": "step",
        "StepVariant": "variant",
        "Enrollment": "enrollment",
    }[model.__name__]


def test_an_outsider_looking_up_a_row_by_id_gets_not_found(personas):
    access = access_for_request(request_as(personas.charlie))
    with pytest.raises(Http404):
        get_or_404(Lead, access, pk=personas.acme_rows.ids["lead"])
    assert get_or_404(Lead, access, pk=personas.globex_rows.ids["lead"])


def test_an_api_key_acts_in_its_workspace_and_a_read_only_key_cannot_write(personas):
    full = create_key(personas.acme, "ci", created_by=personas.alice)
    reader = create_key(personas.acme, "reports", read_only=True)
    by_bearer = access_for_request(request_as(None, HTTP_AUTHORIZATION=f"Bearer {full.secret}"))
    by_header = access_for_request(request_as(None, HTTP_X_API_KEY=reader.secret))
    assert by_bearer.workspace == personas.acme and by_bearer.can_write
    assert by_header.workspace == personas.acme and not by_header.can_write
    # A key never reaches another workspace, whatever the header asks for.
    assert (
        access_for_request(
            request_as(None, HTTP_X_API_KEY=full.secret, HTTP_X_WORKSPACE=personas.globex.slug)
        ).workspace
        == personas.acme
    )
    full.record.refresh_from_db()
    assert full.record.last_used_at is not None
    assert full.secret not in (full.record.key_hash, full.record.prefix)


def test_revoked_and_unknown_keys_are_refused(personas):
    made = create_key(personas.acme, "old")
    revoke_key(personas.acme, made.record.prefix)
    for secret in (made.secret, "cf_not-a-key", "nonsense"):
        with pytest.raises(NotAuthenticated):
            access_for_request(request_as(None, HTTP_AUTHORIZATION=f"Bearer {secret}"))


def test_audit_records_who_did_what_to_which_row(personas):
    access = access_for_request(request_as(personas.bob, REMOTE_ADDR="10.0.0.7"))
    campaign = Campaign.objects.get(pk=personas.acme_rows.ids["campaign"])
    entry = audit(access, "campaign.pause", campaign, {"status": ["running", "paused"]})
    assert (entry.workspace, entry.user, entry.object_type, entry.object_id) == (
        personas.acme,
        personas.bob,
        "campaign",
        str(campaign.pk),
    )
    assert entry.ip_address == "10.0.0.7"
    key = create_key(personas.acme, "bot")
    by_key = access_for_request(request_as(None, HTTP_X_API_KEY=key.secret))
    assert audit(by_key, "suppression.add", ("suppression", 9)).changes == {
        "api_key": key.record.prefix
    }
    assert AuditEntry.objects.filter(workspace=personas.globex).count() == 0


@workspace_view()
def reading_view(request, workspace=None):
    return HttpResponse(request.access.workspace.slug)


@workspace_view(write=True)
def writing_view(request, workspace=None):
    return HttpResponse("written")


def test_workspace_view_sends_anonymous_users_to_the_login_page(personas):
    response = reading_view(request_as(None, path="/leads"))
    assert response.status_code == 302 and "/login/?next=/leads" in response["Location"]


def test_workspace_view_lets_members_in_and_keeps_outsiders_out(personas):
    slug = personas.acme.slug
    assert reading_view(request_as(personas.bob), workspace=slug).content == slug.encode()
    assert reading_view(request_as(personas.rita), workspace=slug).status_code == 200
    with pytest.raises(Http404):
        reading_view(request_as(personas.charlie), workspace=slug)


def test_workspace_view_refuses_writes_by_read_only_members(personas):
    assert writing_view(request_as(personas.bob, "post")).status_code == 200
    with pytest.raises(PermissionDenied):
        writing_view(request_as(personas.rita))
    with pytest.raises(PermissionDenied):
        reading_view(request_as(personas.rita, "post"))
