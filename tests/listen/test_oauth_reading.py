"""OAuth2 mailboxes read over IMAP with XOAUTH2: the access token comes from the mailbox's
token endpoint (a local stand-in), the sandbox IMAP server takes it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coldflow.listen.inbox import ListenSettings, poll_mailbox
from coldflow.listen.models import InboundMessage
from coldflow.sandbox.mail_world import SenderMailbox
from coldflow.send.models import Mailbox
from tests.listen.factory import Factory, reply_to
from tests.sandbox.mail.harness import ImapAccount, running_mail_servers, small_world
from tests.send.test_oauth import TokenEndpoint

pytestmark = pytest.mark.django_db(transaction=True)

# The stand-in endpoint hands out "access-ok"; the sandbox takes an account's password as its
# bearer token.
OLGA = SenderMailbox("olga@sender.test", "olga", "access-ok", "Olga OAuth")


@pytest.fixture
def token_endpoint():
    endpoint = TokenEndpoint()
    yield endpoint
    endpoint.close()


@pytest.fixture
def imap():
    world = small_world()
    with running_mail_servers(replace(world, senders=(*world.senders, OLGA))) as servers:
        endpoint = servers.endpoints()["imap"]
        yield ImapAccount(endpoint["host"], endpoint["port"], OLGA.username, OLGA.password)


def _oauth(world: Factory, token_url: str, refresh_token: str) -> Mailbox:
    Mailbox.objects.filter(pk=world.mailbox.pk).update(
        auth_method="oauth2",
        imap_password="",
        oauth_token_url=token_url,
        oauth_client_id="client-id",
        oauth_client_secret="client-secret",
    )
    mailbox = Mailbox.objects.get(pk=world.mailbox.pk)
    mailbox.oauth_refresh_token = refresh_token  # encrypted through the field on save
    mailbox.save()
    return mailbox


def test_an_oauth2_mailbox_is_read_with_xoauth2_and_its_replies_acted_on(token_endpoint, imap):
    world = Factory(imap.host, imap.port, imap.username, "")
    mailbox = _oauth(world, token_endpoint.url, "refresh-1")
    sent = world.sent("anna@acme.test")
    with imap.client() as client:
        client.append("INBOX", reply_to(sent.message, "Happy to talk, send me some times."))

    report = poll_mailbox(mailbox, ListenSettings(timeout=10.0))

    assert not report.error and report.new == 1, report
    assert InboundMessage.objects.get(matched_message=sent.message).intent == "interested"
    assert token_endpoint.requests[0]["grant_type"] == "refresh_token"
    # The endpoint rotated the refresh token: the new one is kept.
    assert Mailbox.objects.get(pk=mailbox.pk).oauth_refresh_token == "refresh-2"


def test_a_revoked_refresh_token_pauses_the_mailbox_and_says_to_reconnect_it(token_endpoint, imap):
    world = Factory(imap.host, imap.port, imap.username, "")
    mailbox = _oauth(world, token_endpoint.url, "revoked")

    report = poll_mailbox(mailbox, ListenSettings(timeout=10.0))

    assert report.paused and "invalid_grant" in report.error
    mailbox.refresh_from_db()
    assert mailbox.status == "paused_by_system"
    assert "connect the mailbox again" in mailbox.status_reason
    assert not InboundMessage.objects.exists()
