import pytest
from django.db import IntegrityError, connection, transaction

from coldflow.accounts.models import Workspace
from coldflow.analytics.events import record
from coldflow.analytics.models import AppendOnlyError
from coldflow.contacts.models import EmailAddress
from coldflow.research.models import Company
from coldflow.send.models import Mailbox, Suppression

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace():
    return Workspace.objects.create(name="Acme", slug="acme")


def test_mailbox_passwords_are_not_stored_in_plaintext(workspace):
    Mailbox.objects.create(
        workspace=workspace,
        email="anna@acme.test",
        smtp_host="smtp.acme.test",
        smtp_username="anna",
        smtp_password="s3cret-smtp-password",
        imap_password="s3cret-imap-password",
        oauth_refresh_token="s3cret-refresh-token",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT smtp_password, imap_password, oauth_refresh_token FROM send_mailbox")
        raw = cursor.fetchone()
    assert all(value and "s3cret" not in value for value in raw)
    assert Mailbox.objects.get().smtp_password == "s3cret-smtp-password"


def test_email_addresses_are_unique_regardless_of_case(workspace):
    EmailAddress.objects.create(
        workspace=workspace, address="Anna.Berg@Acme.test", domain="acme.test", origin="found"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.create(
            workspace=workspace, address="anna.berg@acme.test", domain="acme.test", origin="found"
        )


def test_a_company_domain_is_unique_within_a_workspace_only(workspace):
    other = Workspace.objects.create(name="Other", slug="other")
    Company.objects.create(workspace=workspace, domain="acme.test")
    Company.objects.create(workspace=other, domain="acme.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(workspace=workspace, domain="ACME.test")


def test_events_cannot_be_changed_or_deleted(workspace):
    event = record("message.sent", workspace=workspace, data={"n": 1})
    event.data = {"n": 2}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_suppressions_are_stored_in_lower_case(workspace):
    Suppression.objects.create(
        workspace=workspace, kind="address", value=" Anna@Acme.TEST ", reason="unsubscribe"
    )
    assert Suppression.objects.get().value == "anna@acme.test"


def test_jobs_run_inline_in_unit_tests():
    from coldflow.analytics.models import Event
    from coldflow.jobs.tasks import ping

    ping("inline")
    assert Event.objects.filter(kind="system.ping", data__token="inline").exists()


def test_models_and_migrations_agree():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
