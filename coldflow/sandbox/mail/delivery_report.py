"""RFC 3464 delivery status notifications, shaped like the ones Postfix sends."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import datetime

from coldflow.sandbox.mail.store import header_block


@dataclass(frozen=True)
class FailedRecipient:
    address: str
    # RFC 3463 enhanced status code, e.g. "5.1.1".
    status: str
    # The remote server's answer, e.g. "550 5.1.1 <x@y>: User unknown".
    diagnostic: str
    remote_mta: str | None = None


def build_delivery_report(
    *,
    original: bytes,
    envelope_sender: str,
    failures: list[FailedRecipient],
    reporting_mta: str,
    arrival_date: datetime,
    now: datetime,
) -> bytes:
    """A multipart/report for the envelope sender, carrying the original's headers."""
    boundary = email.utils.make_msgid(domain=reporting_mta).strip("<>").replace("@", ".")
    message_id = email.utils.make_msgid(domain=reporting_mta)
    recipients_text = "\r\n".join(
        f"<{failure.address}>: {failure.diagnostic}" for failure in failures
    )
    human = (
        f"This is the mail system at host {reporting_mta}.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients. It's attached below.\r\n\r\n"
        f"{recipients_text}\r\n"
    )
    per_message = (
        f"Reporting-MTA: dns; {reporting_mta}\r\n"
        f"Arrival-Date: {email.utils.format_datetime(arrival_date)}\r\n"
    )
    per_recipient = []
    for failure in failures:
        fields = [
            f"Final-Recipient: rfc822; {failure.address}",
            f"Original-Recipient: rfc822; {failure.address}",
            "Action: failed",
            f"Status: {failure.status}",
        ]
        if failure.remote_mta:
            fields.append(f"Remote-MTA: dns; {failure.remote_mta}")
        fields.append(f"Diagnostic-Code: smtp; {failure.diagnostic}")
        per_recipient.append("\r\n".join(fields) + "\r\n")
    status_body = per_message + "\r\n" + "\r\n".join(per_recipient)
    original_headers = header_block(original).rstrip(b"\r\n")
    original_headers = original_headers.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

    head = (
        f"From: Mail Delivery System <MAILER-DAEMON@{reporting_mta}>\r\n"
        f"To: {envelope_sender}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {email.utils.format_datetime(now)}\r\n"
        f"Message-ID: {message_id}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status;\r\n"
        f'\tboundary="{boundary}"\r\n'
        "\r\n"
        "This is a MIME-encapsulated message.\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Notification\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        f"{human}"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Delivery report\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        f"{status_body}"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Undelivered Message Headers\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
    ).encode()
    return head + original_headers + f"\r\n\r\n--{boundary}--\r\n".encode()
