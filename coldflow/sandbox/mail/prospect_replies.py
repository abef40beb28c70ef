"""The answers simulated prospects write: real MIME replies threaded under what they received.

Several phrasings per kind and language, picked deterministically from the prospect's address,
so the reply classifier is tested on variety while runs stay reproducible.
"""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage, Message

from coldflow.sandbox.mail.policy import split_address
from coldflow.sandbox.mail_world import ProspectBehaviour

_parse_policy = email.policy.default.clone(max_line_length=998)
QUOTED_LINES_LIMIT = 60

_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_BODIES: dict[str, dict[str, tuple[str, ...]]] = {
    "interested": {
        "en": (
            "Thanks for reaching out, this sounds relevant for us. Could you send me a few "
            "time slots for a call next week?",
            "Interesting timing: we have been looking into exactly this. Happy to talk. "
            "Does Thursday afternoon work for you?",
            "Sounds good. I'd like to learn more, can you share pricing and a short demo?",
        ),
        "de": (
            "Danke für Ihre Nachricht, das klingt spannend für uns. Können Sie mir ein paar "
            "Terminvorschläge für ein kurzes Telefonat schicken?",
            "Gutes Timing, wir beschäftigen uns gerade genau damit. Gerne können wir sprechen. "
            "Passt Ihnen Donnerstagnachmittag?",
            "Klingt interessant. Schicken Sie mir gerne mehr Informationen und eine "
            "Preisübersicht.",
        ),
    },
    "not_now": {
        "en": (
            "Thanks, but the timing isn't right for us. We're in the middle of a "
            "reorganisation, could you get back to me next quarter?",
            "Not a priority at the moment. Feel free to reach out again in a few months.",
            "Interesting, but our budget for this year is already allocated. Let's talk again "
            "in the new year.",
        ),
        "de": (
            "Danke, aber im Moment passt es zeitlich nicht. Melden Sie sich gerne im nächsten "
            "Quartal wieder.",
            "Aktuell ist das kein Thema für uns, vielleicht in ein paar Monaten.",
            "Das Budget für dieses Jahr ist leider schon verplant. Sprechen Sie mich gerne im "
            "neuen Jahr noch einmal an.",
        ),
    },
    "not_interested": {
        "en": (
            "Thanks, but we're not interested.",
            "We already have a solution for this and are happy with it, so no thanks.",
            "This isn't something we need. Best of luck with it.",
        ),
        "de": (
            "Danke, aber kein Interesse.",
            "Wir haben dafür bereits eine Lösung und sind damit zufrieden. Kein Bedarf.",
            "Das brauchen wir nicht, trotzdem viel Erfolg.",
        ),
    },
    "referral": {
        "en": (
            "I'm not the right person for this. Please get in touch with {who}, who looks "
            "after this area.",
            "{who} is responsible for this topic on our side, best to contact them directly.",
            "Wrong person, I'm afraid. You'll want to talk to {who}.",
        ),
        "de": (
            "Dafür bin ich nicht die richtige Ansprechperson. Bitte wenden Sie sich an {who}.",
            "Zuständig ist bei uns {who}, am besten melden Sie sich direkt dort.",
            "Da sind Sie bei mir leider falsch, bitte kontaktieren Sie {who}.",
        ),
    },
    "unsubscribe": {
        "en": (
            "Please remove me from your list.",
            "Not interested. Please remove me from your mailing list and don't contact me again.",
            "Unsubscribe. Please remove me from all future emails.",
        ),
        "de": (
            "Bitte aus dem Verteiler nehmen.",
            "Kein Interesse. Bitte aus dem Verteiler nehmen und nicht mehr anschreiben.",
            "Ich möchte keine weiteren E-Mails erhalten, bitte aus dem Verteiler nehmen.",
        ),
    },
}

_OUT_OF_OFFICE: dict[str, tuple[tuple[str, str, str], ...]] = {
    # (subject prefix, text with a return date, text without one)
    "en": (
        (
            "Out of Office: ",
            "Thank you for your email. I am out of the office until {back} with limited "
            "access to email. I will reply when I am back.",
            "Thank you for your email. I am out of the office with limited access to email.",
        ),
        (
            "Automatic reply: ",
            "I'm currently away and will be back on {back}. Your message will not be forwarded.",
            "I'm currently away. Your message will not be forwarded.",
        ),
        (
            "Out of office: ",
            "Hello, I am on annual leave and will return on {back}.",
            "Hello, I am on annual leave and will reply after my return.",
        ),
    ),
    "de": (
        (
            "Abwesenheitsnotiz: ",
            "Vielen Dank für Ihre Nachricht. Ich bin ab dem {back} wieder im Büro und habe "
            "bis dahin nur eingeschränkt Zugriff auf meine E-Mails.",
            "Vielen Dank für Ihre Nachricht. Ich bin zurzeit nicht im Büro.",
        ),
        (
            "Automatische Antwort: ",
            "Ich bin ab dem {back} wieder erreichbar. Ihre Nachricht wird nicht weitergeleitet.",
            "Ich bin zurzeit nicht erreichbar. Ihre Nachricht wird nicht weitergeleitet.",
        ),
        (
            "Abwesend: ",
            "Ich befinde mich im Urlaub und bin ab {back} wieder im Haus.",
            "Ich befinde mich im Urlaub und melde mich nach meiner Rückkehr.",
        ),
    ),
}

_GREETINGS = {
    "en": ("Hi {name},", "Hello {name},", "{name},"),
    "de": ("Hallo {name},", "Guten Tag {name},", "Moin {name},"),
}
_ANONYMOUS_GREETINGS = {"en": ("Hi,", "Hello,", "Hi there,"), "de": ("Hallo,", "Guten Tag,")}
_SIGN_OFFS = {
    "en": ("Best,\n{first}", "Thanks,\n{first} {last}", "Regards,\n{first} {last}"),
    "de": ("Viele Grüße\n{first} {last}", "Beste Grüße\n{first}", "Freundliche Grüße\n{first}"),
}


@dataclass(frozen=True)
class ReceivedEmail:
    """The parts of a delivered email a prospect's answer depends on."""

    message_id: str
    subject: str
    from_header: str
    reply_to_header: str | None
    date_header: str | None
    text: str
    auto_submitted: bool

    @property
    def reply_address(self) -> str:
        """Where a human reply goes: Reply-To when present, else From."""
        header = self.reply_to_header or self.from_header
        return email.utils.parseaddr(header)[1]


def read_received(raw: bytes) -> ReceivedEmail:
    message = email.message_from_bytes(raw, policy=_parse_policy)
    return ReceivedEmail(
        message_id=_header(message, "Message-ID"),
        subject=_header(message, "Subject"),
        from_header=_header(message, "From"),
        reply_to_header=_header(message, "Reply-To") or None,
        date_header=_header(message, "Date") or None,
        text=_plain_text(message),
        auto_submitted=_header(message, "Auto-Submitted").lower() not in ("", "no"),
    )


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a malformed header must not stop the simulation
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _plain_text(message: Message) -> str:
    try:
        part = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
        return part.get_content() if part is not None else ""
    except Exception:  # broken MIME: the prospect just doesn't quote it
        return ""


def _variant(address: str, count: int) -> int:
    return hashlib.sha256(address.lower().encode()).digest()[0] % count


def _return_date_text(back: date, language: str) -> str:
    if language == "de":
        return back.strftime("%d.%m.%Y")
    return f"{back.day} {_MONTHS_EN[back.month - 1]} {back.year}"


def _quote(original: ReceivedEmail, language: str) -> str:
    who = original.from_header or "you"
    when = original.date_header or ""
    try:
        sent = email.utils.parsedate_to_datetime(when) if when else None
    except (TypeError, ValueError):
        sent = None
    if language == "de":
        stamp = sent.strftime("%d.%m.%Y um %H:%M") if sent else when
        intro = f"Am {stamp} schrieb {who}:" if stamp else f"{who} schrieb:"
    else:
        stamp = sent.strftime("%a, %d %b %Y at %H:%M") if sent else when
        intro = f"On {stamp}, {who} wrote:" if stamp else f"{who} wrote:"
    lines = original.text.splitlines()[:QUOTED_LINES_LIMIT]
    return intro + "\n" + "\n".join(f"> {line}".rstrip() for line in lines)


def _sender_first_name(original: ReceivedEmail) -> str | None:
    name = email.utils.parseaddr(original.from_header)[0].strip()
    return name.split()[0] if name else None


def _referral_target(behaviour: ProspectBehaviour) -> str:
    if behaviour.referral_name and behaviour.referral_email:
        return f"{behaviour.referral_name} ({behaviour.referral_email})"
    if behaviour.referral_name or behaviour.referral_email:
        return str(behaviour.referral_name or behaviour.referral_email)
    return "meine Kollegin aus dem Einkauf" if behaviour.language == "de" else "my colleague"


def build_reply(
    behaviour: ProspectBehaviour, original: ReceivedEmail, *, to: str, now: datetime
) -> bytes:
    """The prospect's answer to `original`, addressed to `to`, as RFC 5322 bytes."""
    language = behaviour.language if behaviour.language in _GREETINGS else "en"
    pick = _variant(behaviour.address, 3)
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = email.utils.formataddr(
        (f"{behaviour.first_name} {behaviour.last_name}".strip(), behaviour.address)
    )
    message["To"] = to
    message["Date"] = email.utils.format_datetime(now)
    message["Message-ID"] = email.utils.make_msgid(domain=split_address(behaviour.address)[1])
    if original.message_id:
        message["In-Reply-To"] = original.message_id
        message["References"] = original.message_id
    subject = original.subject or ""

    if behaviour.kind == "out_of_office":
        prefix, dated, undated = _OUT_OF_OFFICE[language][pick]
        message["Subject"] = prefix + subject
        message["Auto-Submitted"] = "auto-replied"
        message["X-Autoreply"] = "yes"
        back = behaviour.return_date
        text = dated.format(back=_return_date_text(back, language)) if back else undated
        sign_off = _SIGN_OFFS[language][pick].format(
            first=behaviour.first_name, last=behaviour.last_name
        )
        message.set_content(f"{text}\n\n{sign_off}\n")
        return message.as_bytes()

    message["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    sender_name = _sender_first_name(original)
    if sender_name:
        greeting = _GREETINGS[language][pick].format(name=sender_name)
    else:
        options = _ANONYMOUS_GREETINGS[language]
        greeting = options[pick % len(options)]
    text = _BODIES[behaviour.kind][language][pick].format(who=_referral_target(behaviour))
    sign_off = _SIGN_OFFS[language][pick].format(
        first=behaviour.first_name, last=behaviour.last_name
    )
    body = f"{greeting}\n\n{text}\n\n{sign_off}\n\n{_quote(original, language)}\n"
    message.set_content(body)
    return message.as_bytes()
