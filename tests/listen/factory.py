"""A small world of rows for inbox tests: a workspace, a mailbox, a campaign with a three-step
sequence, and leads who were sent the first step."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from django.utils import timezone
from imapclient import IMAPClient

from coldflow.contacts.models import Lead
from coldflow.listen.models import FolderState
from coldflow.send.models import Enrollment, Mailbox, OutboundMessage
from tests.factories import CampaignWorld


@dataclass
class Sent:
    lead: Lead
    enrollment: Enrollment
    message: OutboundMessage


class Factory(CampaignWorld):
    def __init__(self, imap_host="127.0.0.1", imap_port=993, username="sam", password="s3cret"):
        super().__init__(steps=3, delay_business_days=3, label="Ws")
        self.mailbox = Mailbox.objects.create(
            workspace=self.workspace,
            email="sam@sender.test",
            smtp_host="127.0.0.1",
            smtp_username=username,
            imap_host=imap_host,
            imap_port=imap_port,
            imap_security="plain",
            imap_username=username,
            imap_password=password,
        )

    def sent(self, address: str, subject: str = "Quick question about your shop") -> Sent:
        """A lead at `address` whose first step went out from the mailbox yesterday."""
        lead = self.lead(address, status="contacted")
        now = timezone.now()
        enrollment = Enrollment.objects.create(
            campaign=self.campaign,
            lead=lead,
            mailbox=self.mailbox,
            next_step=1,
            next_action_at=now + timedelta(days=3),
            last_sent_at=now - timedelta(days=1),
        )
        message_id = email.utils.make_msgid(domain="sender.test")
        message = OutboundMessage.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            enrollment=enrollment,
            lead=lead,
            step=self.steps[0],
            mailbox=self.mailbox,
            state="sent",
            from_address=self.mailbox.email,
            to_address=address,
            subject=subject,
            body_text="Hello",
            message_id=message_id,
            idempotency_key=f"{enrollment.pk}:0",
            sent_at=now - timedelta(days=1),
        )
        enrollment.thread_message_id = message_id
        enrollment.save()
        return Sent(lead, enrollment, message)

    def follow_up(self, first: Sent, subject: str, days_later: int = 0) -> OutboundMessage:
        """Another step of the same lead's sequence, sent from the same mailbox."""
        position = first.lead.messages.count()
        return OutboundMessage.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            enrollment=first.enrollment,
            lead=first.lead,
            step=self.steps[position],
            mailbox=self.mailbox,
            state="sent",
            from_address=self.mailbox.email,
            to_address=first.message.to_address,
            subject=subject,
            body_text="Following up",
            message_id=email.utils.make_msgid(domain="sender.test"),
            idempotency_key=f"{first.enrollment.pk}:{position}",
            sent_at=first.message.sent_at + timedelta(days=days_later),
        )


def reply_to(
    sent: OutboundMessage | None,
    body: str,
    *,
    sender: str | None = None,
    subject: str | None = None,
    threaded: bool = True,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A reply from the lead, threaded under `sent` (or not)."""
    message = EmailMessage()
    message["From"] = sender or (sent.to_address if sent else "someone@example.test")
    message["To"] = "sam@sender.test"
    message["Subject"] = subject if subject is not None else f"Re: {sent.subject}"
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain="example.test")
    if threaded and sent is not None:
        message["In-Reply-To"] = sent.message_id
        message["References"] = sent.message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def delivery_report(
    sent: OutboundMessage,
    *,
    status: str = "5.1.1",
    diagnostic: str = "550 5.1.1 <{to}>: Recipient address rejected: User unknown",
    attach: str = "text/rfc822-headers",
    to: str = "sam@sender.test",
    include_message_id: bool = True,
) -> bytes:
    """A Postfix-style RFC 3464 report about `sent`."""
    boundary = "report-boundary-42"
    headers = (
        f"From: sam@sender.test\r\nTo: {sent.to_address}\r\nSubject: {sent.subject}\r\n"
        + (f"Message-ID: {sent.message_id}\r\n" if include_message_id else "")
        + "Date: Mon, 3 Mar 2025 10:00:00 +0000\r\n"
    )
    if attach == "message/rfc822":
        headers += "\r\nHello\r\n"
    action = "failed" if status.startswith("5") else "delayed"
    return (
        "From: MAILER-DAEMON@mx.acme.test (Mail Delivery System)\r\n"
        f"To: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {email.utils.make_msgid(domain='mx.acme.test')}\r\n"
        "Date: Mon, 3 Mar 2025 10:00:05 +0000\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\nContent-Type: text/plain\r\n\r\n"
        "This is the mail system at host mx.acme.test.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        f"<{sent.to_address}>: {diagnostic.format(to=sent.to_address)}\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.acme.test\r\n\r\n"
        f"Final-Recipient: rfc822; {sent.to_address}\r\n"
        f"Action: {action}\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; {diagnostic.format(to=sent.to_address)}\r\n\r\n"
        f"--{boundary}\r\nContent-Type: {attach}\r\n\r\n"
        f"{headers}\r\n"
        f"--{boundary}--\r\n"
    ).encode()


def read_inbox_from_now(mailbox: Mailbox, client: IMAPClient) -> None:
    """Tests that share an IMAP account (one sandbox per session, or the CI's Dovecot across
    runs) start reading its INBOX after what is there now, as if it had just been read.
    `client` is logged in to the account."""
    selected = client.select_folder("INBOX", readonly=True)
    uids = client.search(["ALL"])
    FolderState.objects.create(
        mailbox=mailbox,
        folder="INBOX",
        uidvalidity=int(selected[b"UIDVALIDITY"]),
        last_uid=max(uids, default=0),
    )
