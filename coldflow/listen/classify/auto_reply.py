"""Automatic replies: out-of-office notices, vacation responders, ticket acknowledgements.
RFC 3834's Auto-Submitted, the de-facto headers of common responders, and the subjects and
opening sentences they use in several languages."""

from __future__ import annotations

import re
from email.message import Message

from coldflow.listen.classify import mime

_AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply")
# What responders put in front of the original subject.
_SUBJECT = re.compile(
    r"\b(automatic reply|auto[- ]?reply|auto[- ]?response|autoresponder|out of (the )?office"
    r"|abwesenheitsnotiz|automatische antwort|réponse automatique|respuesta automática"
    r"|risposta automatica|automatisch antwoord|autosvar)\b"
    r"|自動応答|自動返信|不在通知|自动回复|автоответ|^\s*auto\s*:",
    re.IGNORECASE,
)
# Words that make a subject an absence notice only when it is not a person's "Re: ...".
_ABSENCE_SUBJECT = re.compile(
    r"\b(\booo\b|away from (the )?office|on (vacation|holiday|leave)|away until|abwesen\w*"
    r"|nicht im büro|im urlaub|absence|absent|fuera de la oficina|fuori sede|afwezig|frånvaro)\b",
    re.IGNORECASE,
)
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|antw|sv|vs|ynt|odp|r|rif)\s*:", re.IGNORECASE)
# Sentences only a machine writes.
_AUTOMATIC = re.compile(
    r"this is an auto(matic|mated)(ally generated)? (reply|response|message)"
    r"|dies ist eine automatische (antwort|nachricht)|automatische antwort"
    r"|ceci est une réponse automatique|réponse automatique|respuesta automática"
    r"|risposta automatica",
    re.IGNORECASE,
)
# Sentences an absence notice opens with, but which a person may also write in a reply.
_ABSENCE = re.compile(
    r"i am (currently )?(out of (the )?office|away|on (annual |parental )?(leave|vacation|holiday))"
    r"|i'?m (currently )?(out of (the )?office|away|on (annual |parental )?(leave|vacation|holiday))"
    r"|ich bin (derzeit |zurzeit |momentan |aktuell )?(nicht im büro|abwesend|im urlaub|außer haus)"
    r"|je suis (actuellement )?absente?"
    r"|estoy (fuera de la oficina|de vacaciones|ausente)|sono (fuori sede|in ferie|assente)",
    re.IGNORECASE,
)


def is_auto_reply(message: Message, subject: str, body: str) -> bool:
    auto_submitted = mime.header(message, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    if any(mime.header(message, name) for name in _AUTO_HEADERS):
        return True
    precedence = mime.header(message, "Precedence").lower()
    if precedence == "auto_reply" or "vacation" in mime.header(message, "X-Apple-Action").lower():
        return True
    if _SUBJECT.search(subject):
        return True
    if _ABSENCE_SUBJECT.search(subject) and not _REPLY_PREFIX.match(subject):
        return True
    # A responder without telling headers still opens with a telling sentence. An absence
    # sentence in a reply to our message may be a person's own words ("I'm on leave, but
    # interested"): that one counts only outside a thread.
    opening = body[:400]
    if _AUTOMATIC.search(opening):
        return True
    threaded = mime.header(message, "In-Reply-To") or mime.header(message, "References")
    return bool(_ABSENCE.search(opening)) and not threaded
