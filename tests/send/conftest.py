"""Send tests run against the sandbox's real submission and IMAP servers on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from coldflow.sandbox.mail import MailServers
from coldflow.sandbox.mail_world import DomainPolicy, MailWorld
from coldflow.send.settings import SendSettings
from tests.sandbox.mail.harness import SAM, TINA, running_mail_servers

RECIPIENTS = frozenset({"anna", "bob", "carl", *(f"p{i}" for i in range(400))})


def send_world() -> MailWorld:
    """Prospects who exist and never answer; SAM's server files sent mail itself, TINA's not."""
    return MailWorld(
        domains={"acme.test": DomainPolicy("acme.test", mailboxes=RECIPIENTS)},
        senders=(SAM, TINA),
    )


@pytest.fixture(scope="module")
def mail() -> Iterator[MailServers]:
    with running_mail_servers(send_world()) as servers:
        yield servers


@pytest.fixture
def settings_for_send() -> SendSettings:
    return SendSettings(
        secret_key="coldflow-test-secret-key-not-for-production",
        public_url="https://outreach.example.com",
        footer="Not relevant? Just reply and say so.",
        postal_address="Lumenfield GmbH, Hafenstrasse 1, 20457 Hamburg",
        smtp_timeout=5.0,
    )


@pytest.fixture(params=["sandbox", "postfix"])
def route(request):
    """Sandbox submission, and Debian's Postfix where COLDFLOW_TEST_SUBMISSION points at it."""
    from tests.send.routes import postfix_route, sandbox_route

    if request.param == "postfix":
        return postfix_route()
    return sandbox_route(request.getfixturevalue("mail"))
