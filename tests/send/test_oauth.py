"""XOAUTH2 mailboxes: refresh tokens exchanged at a local stand-in token endpoint."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from coldflow.send.delivery import deliver
from coldflow.send.mailboxes import ServerRules, check_mailbox
from coldflow.send.models import Mailbox

from .factory import SendWorld
from .scripted_smtp import Script, scripted_server

# The scripted servers listen on loopback, as a relay on this machine would.
LOCAL_SERVERS = ServerRules(allow_loopback=True)

pytestmark = pytest.mark.django_db(transaction=True)


class TokenEndpoint:
    """Answers refresh-token grants: good refresh token → access token (rotating the refresh
    token once), anything else → 400 invalid_grant."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                endpoint.requests.append(form)
                if (
                    form.get("refresh_token") in ("refresh-1", "refresh-2")
                    and form.get("client_secret") == "client-secret"
                ):
                    body = {
                        "access_token": "access-ok",
                        "expires_in": 3600,
                        "refresh_token": "refresh-2",
                    }
                    status = 200
                else:
                    body = {"error": "invalid_grant", "error_description": "Token revoked"}
                    status = 400
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/token"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def token_endpoint():
    endpoint = TokenEndpoint()
    yield endpoint
    endpoint.close()


def oauth_mailbox(world, host, port, token_url, refresh_token) -> Mailbox:
    return world.mailbox(
        "sam@sender.test",
        host=host,
        port=port,
        username="sam",
        password="",
        auth_method="oauth2",
        oauth_token_url=token_url,
        oauth_client_id="client-id",
        oauth_client_secret="client-secret",
        oauth_refresh_token=refresh_token,
    )


def test_a_message_goes_out_with_xoauth2_and_the_rotated_refresh_token_is_kept(
    token_endpoint, settings_for_send
):
    script = Script(tokens={"access-ok"})
    with scripted_server(script) as (host, port):
        world = SendWorld()
        mailbox = oauth_mailbox(world, host, port, token_endpoint.url, "refresh-1")
        result = deliver(world.message("p1@acme.test", mailbox).pk, settings=settings_for_send)

    assert result.outcome == "sent", result.detail
    assert len(script.received) == 1
    assert token_endpoint.requests[0]["grant_type"] == "refresh_token"
    assert Mailbox.objects.get(pk=mailbox.pk).oauth_refresh_token == "refresh-2"
    with connection.cursor() as cursor:
        cursor.execute("SELECT oauth_refresh_token FROM send_mailbox WHERE id = %s", [mailbox.pk])
        stored = cursor.fetchone()[0]
    assert stored and "refresh-2" not in stored  # encrypted at rest


def test_a_revoked_refresh_token_pauses_the_mailbox_in_words(token_endpoint, settings_for_send):
    script = Script(tokens={"access-ok"})
    with scripted_server(script) as (host, port):
        world = SendWorld()
        mailbox = oauth_mailbox(world, host, port, token_endpoint.url, "revoked")
        message = world.message("p2@acme.test", mailbox)
        result = deliver(message.pk, settings=settings_for_send)
        report = check_mailbox(Mailbox.objects.get(pk=mailbox.pk), timeout=5, rules=LOCAL_SERVERS)

    assert result.outcome == "pause_mailbox"
    mailbox.refresh_from_db()
    assert "invalid_grant" in mailbox.status_reason
    assert report.checks[0].stage == "auth"
    assert "authentication: OAuth2 token: the refresh token was refused" in report.checks[0].detail
    assert script.received == []


def test_a_token_the_server_refuses_is_an_authentication_failure(token_endpoint):
    script = Script(tokens={"some-other-token"})
    with scripted_server(script) as (host, port):
        world = SendWorld()
        mailbox = oauth_mailbox(world, host, port, token_endpoint.url, "refresh-2")
        report = check_mailbox(mailbox, timeout=5, rules=LOCAL_SERVERS)

    assert not report.ok
    assert report.checks[0].detail.startswith("authentication: the server refused the login")
