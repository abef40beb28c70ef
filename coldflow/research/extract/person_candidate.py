"""A person found by one of the people extractors, before merging, and how an address or a
LinkedIn profile inside the same card is tied to them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyascii import anyascii
from selectolax.lexbor import LexborNode

from coldflow.research.extract.emails import emails_in_node
from coldflow.research.extract.node_links import anchors_in
from coldflow.research.extract.vocabulary import words

# Team and function mailboxes: on a person's card they are how to reach the team, not the person.
ROLE_LOCAL_PARTS = words(
    "info kontakt contact office hello hallo hi sales vertrieb support service team mail post "
    "admin jobs job karriere careers career hr bewerbung press presse marketing billing "
    "accounts accounting buchhaltung enquiries inquiries anfrage anfragen webmaster "
    "datenschutz privacy legal zentrale empfang reception booking order orders shop"
)
_LINKEDIN_PROFILE = re.compile(r"^https?://(?:[\w-]+\.)?linkedin\.com/in/([^/?#\s]+)", re.I)
_GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_ACADEMIC_PREFIX = re.compile(
    r"^(?:(?:dr|prof|dipl|mag|ing|med|rer|nat|phil|jur|h\.c)[.\-\w]*\.?\s+)+", re.I
)


@dataclass
class PersonCandidate:
    name: str
    title: str | None
    method: str
    confidence: float
    email: str | None = None
    linkedin_url: str | None = None
    # Found by layout alone, with a name not on the given-names list: kept only if the card
    # also ties a matching address or a LinkedIn profile to it.
    needs_evidence: bool = False


def name_key(name: str) -> str:
    """Identity of a name across spellings on one page ("Dr. Max Müller" = "Max Mueller",
    "David R. Linde" = "David Linde")."""
    bare = _ACADEMIC_PREFIX.sub("", name.strip())
    words = re.findall(r"[a-z]+", anyascii(bare.lower().translate(_GERMAN_TRANSLITERATION)))
    # Middle initials come and go between a page's text and its structured data.
    middle = words[1:-1]
    return " ".join(words[:1] + [w for w in middle if len(w) > 1] + words[-1:])


def email_matches_name(address: str, name: str) -> bool:
    local = re.sub(r"[^a-z]", "", address.split("@", 1)[0].lower())
    parts = [w for w in name_key(name).split() if len(w) > 1]
    if not parts or not local:
        return False
    first, last = parts[0], parts[-1]
    if len(last) >= 3 and last in local:
        return True
    if len(first) >= 3 and local.startswith(first):
        return True
    # Initials-based patterns: "aschmidt", "schmidta", "as".
    return local in {first[0] + last, last + first[0], first[0] + last[0]}


def tie_contacts(candidate: PersonCandidate, container: LexborNode) -> None:
    """Attach the address and LinkedIn profile inside the person's own card, row or item."""
    if candidate.email is None:
        candidate.email = pick_email(emails_in_node(container), candidate.name)
    if candidate.linkedin_url is None:
        profiles = set()
        for anchor in anchors_in(container):
            match = _LINKEDIN_PROFILE.match((anchor.attributes.get("href") or "").strip())
            if match:
                profiles.add(f"https://www.linkedin.com/in/{match.group(1).rstrip('/')}")
        if len(profiles) == 1:
            candidate.linkedin_url = profiles.pop()


def pick_email(addresses: list[str], name: str) -> str | None:
    matching = [a for a in addresses if email_matches_name(a, name)]
    if len(matching) == 1:
        return matching[0]
    personal = [a for a in addresses if a.split("@", 1)[0] not in ROLE_LOCAL_PARTS]
    return personal[0] if len(personal) == 1 and not matching else None
