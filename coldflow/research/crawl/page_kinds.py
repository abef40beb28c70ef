"""The kinds of page a focused crawl looks for, and the words (English, German, and a few
other European languages) that name them in link texts and URLs."""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class PageKind(StrEnum):
    HOME = "home"
    TEAM = "team"
    ABOUT = "about"
    CONTACT = "contact"
    IMPRINT = "imprint"
    CAREERS = "careers"
    BLOG = "blog"


# Also the order of preference when the page budget cannot hold one page of every kind:
# people first, since finding them is what research is for.
WANTED_KINDS: tuple[PageKind, ...] = (
    PageKind.TEAM,
    PageKind.ABOUT,
    PageKind.CONTACT,
    PageKind.IMPRINT,
    PageKind.CAREERS,
    PageKind.BLOG,
)

# Written as they appear; matched after fold_words(), so "über uns" also matches "ueber-uns".
_KEYWORDS: dict[PageKind, tuple[str, ...]] = {
    PageKind.TEAM: (
        "team", "our team", "the team", "meet the team", "people", "our people", "leadership",
        "leadership team", "management", "management team", "executive team", "founders",
        "board", "staff", "who is who", "experts", "our experts", "partners",
        "unser team", "das team", "teams", "mitarbeiter", "mitarbeitende", "ansprechpartner",
        "geschäftsführung", "geschäftsleitung", "vorstand", "gründer", "unsere experten",
        "menschen", "köpfe", "équipe", "notre équipe", "equipo", "ons team", "il team",
    ),
    PageKind.ABOUT: (
        "about", "about us", "who we are", "company", "our company", "our story", "story",
        "history", "mission", "profile", "über uns", "wir über uns", "unternehmen", "wer wir sind",
        "das unternehmen", "firma", "profil", "firmenprofil", "geschichte", "philosophie",
        "à propos", "qui sommes nous", "sobre nosotros", "over ons", "chi siamo",
    ),
    PageKind.CONTACT: (
        "contact", "contact us", "get in touch", "locations", "kontakt", "kontaktieren",
        "anfahrt", "standorte", "standort", "contacto", "contatti", "nous contacter",
    ),
    PageKind.IMPRINT: (
        "imprint", "impressum", "legal notice", "site notice", "legal", "legal information",
        "anbieterkennzeichnung", "mentions légales", "aviso legal", "colofon", "note legali",
    ),
    PageKind.CAREERS: (
        "careers", "career", "jobs", "job openings", "join us", "join our team", "work with us",
        "we are hiring", "we're hiring", "vacancies", "open positions", "openings",
        "karriere", "jobs & karriere", "stellenangebote", "stellen", "offene stellen",
        "arbeiten bei uns", "jobs bei uns", "ausbildung", "emplois", "carrières", "empleo",
        "trabaja con nosotros", "vacatures", "werken bij", "lavora con noi",
    ),
    PageKind.BLOG: (
        "blog", "news", "newsroom", "press", "press releases", "insights", "articles", "updates",
        "aktuelles", "neuigkeiten", "news & presse", "presse", "pressemitteilungen",
        "magazin", "journal", "actualités", "noticias", "nieuws", "notizie",
    ),
}  # fmt: skip

# A link mentioning one of these is never one of the wanted pages, whatever else it says.
NEGATIVE_WORDS: frozenset[str] = frozenset(
    {
        "privacy", "datenschutz", "datenschutzerklaerung", "cookie", "cookies", "terms", "agb",
        "login", "signin", "anmelden", "register", "cart", "warenkorb", "checkout", "newsletter",
        "disclaimer", "sitemap", "rss", "feed", "accessibility", "barrierefreiheit",
    }
)  # fmt: skip

_GERMAN_FOLDS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold_words(text: str) -> str:
    """Lower case, umlauts spelled out, accents dropped, punctuation turned into spaces."""
    text = text.lower().translate(_GERMAN_FOLDS).replace("'", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


KEYWORDS: dict[PageKind, frozenset[str]] = {
    kind: frozenset(fold_words(word) for word in words) for kind, words in _KEYWORDS.items()
}
