"""A person's own words in a reply: the quoted message below (or interleaved), the signature
and the phone's "Sent from" line removed."""

from __future__ import annotations

import re

# The line a mail program writes above the quoted message.
_QUOTE_HEADERS = (
    re.compile(r"^\s*on\b.{0,250}\bwrote:\s*$", re.I),
    re.compile(r"^\s*am\b.{0,250}\bschrieb\b.{0,250}:\s*$", re.I),
    re.compile(r"^\s*le\b.{0,250}\ba écrit\s*:\s*$", re.I),
    re.compile(r"^\s*el\b.{0,250}\bescribió:\s*$", re.I),
    re.compile(r"^\s*il\b.{0,250}\bha scritto:\s*$", re.I),
    re.compile(r"^\s*op\b.{0,250}\bschreef\b.{0,250}:\s*$", re.I),
    re.compile(r"^\s*em\b.{0,250}\bescreveu:\s*$", re.I),
    re.compile(
        r"^\s*-{2,}\s*(original message|ursprüngliche nachricht|originalnachricht|message d'origine"
        r"|mensaje original|messaggio originale|oorspronkelijk bericht|forwarded message"
        r"|weitergeleitete nachricht)\s*-{2,}\s*$",
        re.I,
    ),
    re.compile(
        r"^\s*(begin forwarded message|anfang der weitergeleiteten nachricht)\s*:\s*$", re.I
    ),
)
# Outlook's header block: "From: ... / Sent: ... / To: ... / Subject: ...".
_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|von|de|van|da)\s*:\*?\s+\S", re.I)
_OUTLOOK_FIELDS = re.compile(
    r"^\s*\*?(sent|gesendet|envoyé|enviado|inviato|verzonden|date|datum|to|an|à|para|a|aan|"
    r"subject|betreff|objet|asunto|oggetto|onderwerp|cc)\s*:\*?",
    re.I,
)
_SIGNATURE_DELIMITER = re.compile(r"^(--|__|—)\s*$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(sent from my|von meinem|envoyé de mon|enviado desde mi|inviato da|verzonden vanaf|"
    r"get outlook for|sent with|gesendet von)\b",
    re.I,
)
_SIGN_OFF = re.compile(
    r"^\s*(best|best regards|kind regards|warm regards|regards|many thanks|thanks|thank you|thx"
    r"|cheers|sincerely|yours|all the best|best wishes|talk soon|speak soon"
    r"|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|freundliche grüsse|mfg"
    r"|viele grüße|viele grüsse|beste grüße|beste grüsse|liebe grüße|liebe grüsse|lg|vg|gruß|gruss"
    r"|herzliche grüße|schöne grüße|cordialement|bien à vous|bien cordialement|salutations"
    r"|saludos|un saludo|atentamente|saludos cordiales|cordiali saluti|distinti saluti|saluti"
    r"|met vriendelijke groet|groeten|vriendelijke groeten|med vänlig hälsning|hälsningar)"
    r"[\s,.!]*$",
    re.I,
)
_MAX_SIGNATURE_LINES = 8


def own_words(text: str) -> str:
    """The sender's own text, without quotes and signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    above = _before_quote(lines)
    if not "".join(above).strip():
        # Written below the quote ("bottom-posting"): the unquoted lines are the person's.
        above = [line for line in lines if not any(quote.match(line) for quote in _QUOTE_HEADERS)]
    own = [line for line in above if not line.lstrip().startswith(">")]
    return "\n".join(_before_signature(own)).strip()


def _before_quote(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        # Long quote headers wrap: "On Mon, 1 Jan 2024 at 10:00, Jane Doe <\njane@x.com> wrote:"
        for span in (1, 2, 3):
            joined = " ".join(part.strip() for part in lines[index : index + span])
            if any(pattern.match(joined) for pattern in _QUOTE_HEADERS):
                return lines[:index]
        if _OUTLOOK_FROM.match(line) and _outlook_block(lines[index + 1 : index + 6]):
            cut = index
            if cut and lines[cut - 1].strip() and set(lines[cut - 1].strip()) <= set("_-="):
                cut -= 1
            return lines[:cut]
    return lines


def _outlook_block(following: list[str]) -> bool:
    return sum(1 for line in following if _OUTLOOK_FIELDS.match(line)) >= 2


def _before_signature(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    for index, line in enumerate(lines):
        if _SIGNATURE_DELIMITER.match(line) or _MOBILE_FOOTER.match(line):
            return lines[:index]
    for index, line in enumerate(lines):
        rest = [other for other in lines[index + 1 :] if other.strip()]
        if _SIGN_OFF.match(line) and len(rest) <= _MAX_SIGNATURE_LINES and index > 0:
            return lines[:index]
    return lines
