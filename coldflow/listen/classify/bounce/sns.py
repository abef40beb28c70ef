"""Amazon SES notifications delivered by e-mail through SNS: a JSON document in the body
saying a message bounced, drew a complaint or was delivered."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from coldflow.listen.classify.bounce.reasons import Evidence

_MAX_JSON_CHARS = 200_000


@dataclass
class SesNotification:
    kind: str  # "bounce" or "complaint"
    evidence: list[Evidence]
    original_message_id: str | None


def read(body: str) -> SesNotification | None:
    start = body.find('{"notificationType"')
    if start < 0:
        return None
    text = body[start : start + _MAX_JSON_CHARS]
    try:
        document, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        # Sendmail breaks lines longer than SMTP allows with "!", newline and a space.
        try:
            document, _ = json.JSONDecoder().raw_decode(re.sub(r"!\r?\n ", "", text))
        except ValueError:
            return None
    if not isinstance(document, dict):
        return None
    kind = str(document.get("notificationType", "")).lower()
    mail = document.get("mail") if isinstance(document.get("mail"), dict) else {}
    original = _message_id(mail)
    if kind == "bounce":
        return SesNotification("bounce", _bounced(document.get("bounce")), original)
    if kind == "complaint":
        complaint = document.get("complaint") if isinstance(document.get("complaint"), dict) else {}
        recipients = _list(complaint.get("complainedRecipients"))
        evidence = [
            Evidence(address=str(item.get("emailAddress", "")).lower(), reason="feedback")
            for item in recipients
            if isinstance(item, dict)
        ]
        return SesNotification("complaint", evidence, original)
    if kind == "delivery":
        delivery = document.get("delivery") if isinstance(document.get("delivery"), dict) else {}
        response = str(delivery.get("smtpResponse", ""))
        evidence = [
            Evidence(address=str(address).lower(), diagnostic=response, action="delivered")
            for address in _list(delivery.get("recipients"))
        ]
        return SesNotification("bounce", evidence, original)
    return None


def _bounced(bounce: object) -> list[Evidence]:
    if not isinstance(bounce, dict):
        return []
    transient = str(bounce.get("bounceType", "")).lower() == "transient"
    found = []
    for item in _list(bounce.get("bouncedRecipients")):
        if not isinstance(item, dict):
            continue
        diagnostic = str(item.get("diagnosticCode", ""))
        found.append(
            Evidence(
                address=str(item.get("emailAddress", "")).lower(),
                status=str(item.get("status", "")),
                diagnostic=diagnostic.split(";", 1)[-1].strip(),
                action=str(item.get("action", "")),
                temporary=transient,
            )
        )
    return found


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _message_id(mail: dict) -> str | None:
    # SES's "messageId" is its own queue id, not the Message-ID header; that one is only known
    # when the sender's configuration includes the original headers.
    for header in _list(mail.get("headers")):
        if isinstance(header, dict) and str(header.get("name", "")).lower() == "message-id":
            return str(header.get("value", "")) or None
    return None
