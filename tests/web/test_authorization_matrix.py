"""Every URL of the project × every kind of caller, against an explicit decision per route.

A route without an entry in DECISIONS fails `test_every_route_has_a_decision`: whoever adds a
view or an API endpoint must say here who may use it, and the matrix then checks it.

Kinds of route:
- PUBLIC: anyone (login, logout, health, unsubscribe links, the API schema).
- DASHBOARD: a logged-in member of the workspace; anonymous users go to the login page, an
  outsider gets 404 for the workspace's rows and never sees them in a page; with write=True a
  read-only member gets 403; with owner=True every member but an owner gets 403.
- API: an API key or a logged-in session; anonymous 401; outsiders 404 / never see the rows;
  writes (POST, PUT, PATCH, DELETE) are refused (403) to read-only members and read-only keys,
  and to a session request without the CSRF token.

`args` name the URL's arguments: a key of tests/web/personas.seed_workspace's ids (an Acme
row), "workspace" (Acme's slug), or a literal prefixed with "=".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coldflow.accounts.api_keys import create_key
from tests.web.personas import Personas

PUBLIC, DASHBOARD, API = "public", "dashboard", "api"


@dataclass(frozen=True)
class Decision:
    kind: str
    method: str = "get"
    args: dict[str, str] = field(default_factory=dict)
    body: dict | None = None
    write: bool = False
    owner: bool = False


def api(method: str = "get", body: dict | None = None, **args: str) -> Decision:
    return Decision(API, method, args, body, write=method != "get")


DECISIONS: dict[str, Decision] = {
    # public
    "health": Decision(PUBLIC),
    "login": Decision(PUBLIC),
    "logout": Decision(PUBLIC, "post"),
    "unsubscribe": Decision(PUBLIC, args={"token": "=not-a-token"}),
    "api-root": Decision(PUBLIC),
    "openapi-json": Decision(PUBLIC),
    "static-file": Decision(PUBLIC, args={"path": "=coldflow/app.css"}),
    # dashboard
    "home": Decision(DASHBOARD),
    "workspace-switch": Decision(DASHBOARD, args={"workspace": "workspace"}),
    "campaigns": Decision(DASHBOARD),
    "campaign-new": Decision(DASHBOARD, write=True),
    "campaign": Decision(DASHBOARD, args={"pk": "campaign"}),
    "campaign-progress": Decision(DASHBOARD, args={"pk": "campaign"}),
    "campaign-run": Decision(DASHBOARD, "post", {"pk": "campaign"}, write=True),
    "campaign-mailboxes": Decision(DASHBOARD, "post", {"pk": "campaign"}, write=True),
    "campaign-pause": Decision(DASHBOARD, "post", {"pk": "campaign"}, write=True),
    "campaign-resume": Decision(DASHBOARD, "post", {"pk": "campaign"}, write=True),
    "leads": Decision(DASHBOARD),
    "leads-export": Decision(DASHBOARD),
    "leads-bulk": Decision(DASHBOARD, "post", write=True),
    "lead": Decision(DASHBOARD, args={"pk": "lead"}),
    "review": Decision(DASHBOARD),
    "review-bulk": Decision(DASHBOARD, "post", write=True),
    "review-edit": Decision(DASHBOARD, "post", {"pk": "message"}, write=True),
    "inbox": Decision(DASHBOARD),
    "inbox-action": Decision(DASHBOARD, "post", {"pk": "inbound"}, write=True),
    "mailboxes": Decision(DASHBOARD),
    "mailbox": Decision(DASHBOARD, args={"pk": "mailbox"}),
    "mailbox-new": Decision(DASHBOARD, write=True),
    "mailbox-edit": Decision(DASHBOARD, args={"pk": "mailbox"}, write=True),
    "mailbox-check": Decision(DASHBOARD, "post", {"pk": "mailbox"}, write=True),
    "mailbox-remove": Decision(DASHBOARD, args={"pk": "mailbox"}, write=True),
    "mailbox-pause": Decision(DASHBOARD, "post", {"pk": "mailbox"}, write=True),
    "mailbox-resume": Decision(DASHBOARD, "post", {"pk": "mailbox"}, write=True),
    "suppressions": Decision(DASHBOARD),
    "suppression-add": Decision(DASHBOARD, "post", write=True),
    "suppression-import": Decision(DASHBOARD, "post", write=True),
    "suppressions-export": Decision(DASHBOARD),
    "suppression-delete": Decision(DASHBOARD, "post", {"pk": "suppression"}, write=True),
    "analytics": Decision(DASHBOARD),
    "settings": Decision(DASHBOARD),
    "settings-key-create": Decision(DASHBOARD, "post", write=True),
    "settings-key-revoke": Decision(DASHBOARD, "post", {"pk": "api_key"}, write=True),
    "settings-webhook": Decision(DASHBOARD, args={"pk": "webhook_endpoint"}),
    # webhook endpoints and the workspace's people: owners only
    "settings-webhook-create": Decision(DASHBOARD, "post", owner=True),
    "settings-webhook-test": Decision(DASHBOARD, "post", {"pk": "webhook_endpoint"}, owner=True),
    "settings-webhook-disable": Decision(DASHBOARD, "post", {"pk": "webhook_endpoint"}, owner=True),
    "settings-webhook-enable": Decision(DASHBOARD, "post", {"pk": "webhook_endpoint"}, owner=True),
    "settings-webhook-rotate": Decision(DASHBOARD, "post", {"pk": "webhook_endpoint"}, owner=True),
    "settings-webhook-delete": Decision(DASHBOARD, "post", {"pk": "webhook_endpoint"}, owner=True),
    "settings-member-add": Decision(DASHBOARD, "post", owner=True),
    "settings-member-role": Decision(DASHBOARD, "post", {"pk": "membership"}, owner=True),
    "settings-member-remove": Decision(DASHBOARD, "post", {"pk": "membership"}, owner=True),
    "audit": Decision(DASHBOARD),
    # REST API
    "list_campaigns": api(),
    "create_campaign": api("post", {"name": "Matrix", "description": "dentists in Hamburg"}),
    "get_campaign": api(campaign_id="campaign"),
    "pause_campaign": api("post", {}, campaign_id="campaign"),
    "resume_campaign": api("post", {}, campaign_id="campaign"),
    "list_leads": api(),
    "get_lead": api(lead_id="lead"),
    "list_companies": api(),
    "get_company": api(company_id="company"),
    "list_people": api(),
    "get_person": api(person_id="person"),
    "list_messages": api(),
    "get_message": api(message_id="message"),
    "list_inbox": api(),
    "get_inbound": api(inbound_id="inbound"),
    "list_suppressions": api(),
    "add_suppression": api("post", {"kind": "domain", "value": "matrix.example"}),
    "delete_suppression": api("delete", suppression_id="suppression"),
    "list_mailboxes": api(),
    "get_mailbox": api(mailbox_id="mailbox"),
    "list_events": api(),
    "get_funnel": api(),
}

CALLERS = ("anonymous", "alice", "bob", "rita", "charlie", "full_key", "read_only_key")


def all_routes() -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, nested includes and the API's routes too."""
    return [(name, route) for name, route, _, _ in _walk(get_resolver().url_patterns)]


def _walk(patterns, prefix="", namespace=""):
    """(name, route, namespaced name, view) of every pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name or route
            yield name, route, namespace + name, pattern.callback


def _qualified(name: str) -> str:
    return next(q for n, _, q, _ in _walk(get_resolver().url_patterns) if n == name)


def test_every_route_has_a_decision():
    names = [name for name, _ in all_routes()]
    missing = sorted(set(names) - set(DECISIONS))
    assert not missing, f"routes without an access decision in {__file__}: {missing}"
    stale = sorted(set(DECISIONS) - set(names))
    assert not stale, f"decisions for routes that no longer exist: {stale}"
    assert len(names) == len(set(names)), "two routes share a name; name each one"


def test_every_dashboard_route_goes_through_the_access_module():
    for name, _, _, view in _walk(get_resolver().url_patterns):
        decision = DECISIONS.get(name)
        if decision is None or decision.kind != DASHBOARD or name == "home":
            continue
        assert getattr(view, "workspace_view", None) is not None, (
            f"{name} is not decorated with coldflow.accounts.access.workspace_view"
        )
        assert view.workspace_view["owner"] == decision.owner, (
            f"{name}: the view's owner-only setting differs from its decision here"
        )


def _url(personas: Personas, name: str, decision: Decision) -> str:
    kwargs = {}
    for arg, source in decision.args.items():
        if source.startswith("="):
            kwargs[arg] = source[1:]
        elif source == "workspace":
            kwargs[arg] = personas.acme.slug
        else:
            kwargs[arg] = personas.acme_rows.ids[source]
    return reverse(_qualified(name), kwargs=kwargs)


def _call(personas: Personas, caller: str, name: str, decision: Decision, *, csrf: bool = True):
    client = Client(enforce_csrf_checks=True)
    headers: dict[str, str] = {}
    if caller in ("alice", "bob", "rita", "charlie"):
        client.force_login(getattr(personas, caller))
    # Everyone gets a CSRF token, as a browser would, so the view's own decision is tested.
    client.get(reverse("login"))
    if csrf and "csrftoken" in client.cookies:
        headers["X-CSRFToken"] = client.cookies["csrftoken"].value
    if caller.endswith("_key"):
        key = create_key(personas.acme, caller, read_only=caller == "read_only_key")
        headers["Authorization"] = f"Bearer {key.secret}"
    url = _url(personas, name, decision)
    send = getattr(client, decision.method)
    if decision.body is not None:
        return send(
            url, json.dumps(decision.body), content_type="application/json", headers=headers
        )
    return send(url, headers=headers)


def expected(decision: Decision, caller: str) -> str:
    """granted, unauthenticated, refused (403) or hidden (404)."""
    if decision.kind == PUBLIC:
        return "public"
    if caller == "anonymous" or (decision.kind == DASHBOARD and caller.endswith("_key")):
        # API keys open the API only; to the dashboard they are anonymous.
        return "unauthenticated"
    if caller == "charlie":
        # An outsider acts in his own workspace: Acme's rows do not exist for him.
        return "hidden" if decision.args else "granted"
    if decision.write and caller in ("rita", "read_only_key"):
        return "refused"
    if decision.owner and caller in ("bob", "rita"):
        return "refused"
    return "granted"


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("name", sorted(DECISIONS))
def test_the_matrix(personas, name, caller):
    decision = DECISIONS[name]
    response = _call(personas, caller, name, decision)
    status = response.status_code
    outcome = expected(decision, caller)
    assert status < 500, (name, caller, status)
    if outcome == "public":
        assert status not in (401, 403) and "?next=" not in response.get("Location", "")
    elif outcome == "unauthenticated":
        if decision.kind == API:
            assert status == 401, (name, status)
        else:
            assert status == 302 and response["Location"].startswith(reverse("login"))
    elif outcome == "refused":
        assert status == 403, (name, caller, status)
    elif outcome == "hidden":
        assert status == 404, (name, caller, status)
    else:
        assert status not in (401, 403, 404), (name, caller, status, response.content[:300])
    content = _content(response)
    if caller == "charlie" or caller == "anonymous":
        assert personas.acme.slug.encode() not in content, (name, caller)
    if caller != "charlie":
        assert personas.globex.slug.encode() not in content, (name, caller)


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    "name", sorted(n for n, d in DECISIONS.items() if d.kind == API and d.write)
)
def test_a_session_write_without_the_csrf_token_is_refused(personas, name):
    response = _call(personas, "bob", name, DECISIONS[name], csrf=False)
    assert response.status_code == 403


def test_a_session_user_cannot_pick_another_workspace_by_header(personas):
    client = Client()
    client.force_login(personas.charlie)
    response = client.get("/api/campaigns", headers={"X-Workspace": personas.acme.slug})
    assert response.status_code == 404
    assert personas.acme.slug.encode() not in response.content
