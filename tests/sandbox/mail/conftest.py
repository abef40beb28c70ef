"""Fixtures: sandbox mail servers, and the accounts the generic tests run against."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from coldflow.sandbox.mail import MailServers

from .harness import (
    SAM,
    TINA,
    ImapAccount,
    SubmissionAccount,
    external_imap,
    external_submission,
    running_mail_servers,
)


@pytest.fixture
def mail() -> Iterator[MailServers]:
    with running_mail_servers() as servers:
        yield servers


@pytest.fixture(params=["sandbox", "external"] if external_imap() else ["sandbox"])
def imap_account(request) -> Iterator[ImapAccount]:
    """An IMAP account on the sandbox server, and on an external one when configured."""
    if request.param == "external":
        account = external_imap()
        assert account is not None
        yield account
        return
    with running_mail_servers() as servers:
        endpoint = servers.endpoints()["imap"]
        yield ImapAccount(endpoint["host"], endpoint["port"], SAM.username, SAM.password)


@pytest.fixture
def scratch_folder(imap_account: ImapAccount) -> Iterator[str]:
    """A fresh folder for one test, so tests on a shared external account stay independent."""
    name = f"coldflow-test-{uuid.uuid4().hex[:10]}"
    with imap_account.client() as client:
        client.create_folder(name)
    yield name
    with imap_account.client() as client:
        client.delete_folder(name)


@pytest.fixture(params=["sandbox", "external"] if external_submission() else ["sandbox"])
def submission_account(request) -> Iterator[SubmissionAccount]:
    if request.param == "external":
        account = external_submission()
        assert account is not None
        yield account
        return
    with running_mail_servers() as servers:
        endpoint = servers.endpoints()["submission"]
        yield SubmissionAccount(
            endpoint["host"],
            endpoint["port"],
            SAM.username,
            SAM.password,
            SAM.address,
            TINA.address,
        )
