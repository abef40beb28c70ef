"""Is this text a person's name? "Dr. Max Müller" and "Anna-Lena van der Berg" are;
"Our Team", "Contact us", "Head of Sales" and "Berlin Office" are not."""

from __future__ import annotations

import re

from coldflow.research.extract.given_names import has_given_name
from coldflow.research.extract.job_titles import (
    DEPARTMENT_WORDS,
    TITLE_WORDS,
    is_title_word,
    looks_like_job_title,
)
from coldflow.research.extract.text_cache import short_text_cache
from coldflow.research.extract.vocabulary import words

# Dropped from the published name: forms of address, not part of it.
# "Inh." (Inhaber, owner) prefixes names on German imprints and team pages.
_COURTESY = words("mr mr. mrs mrs. ms ms. miss mx herr frau sir dame inh.")
# Kept: academic titles are part of how people are named in German-speaking countries.
_ACADEMIC = words(
    "dr dr. prof prof. professor dipl.-ing. dipl.-ing dipl.-kfm. dipl.-kffr. dipl.-inf. "
    "dipl.-wirt.-ing. dipl.-oec. dipl.-psych. dipl.-betriebsw. mag. ing. med. rer. nat. pol. "
    "phil. jur. h.c. dr.-ing. dr.med. dres. ra stb"
)
_POSTNOMINALS = words(
    "mba mba. phd ph.d. ph.d msc m.sc. bsc b.sc. ma m.a. ba b.a. llm ll.m. cpa esq. esq cfa "
    "acca fcca aca fca cta cima frics mrics m.eng. b.eng. mph md dvm vmd dds dmd rdh rn lpn np "
    "fnp crna jd cfp p.e. aia leed sra fcilex cilex"
)
# After a comma, any short all-capital abbreviation is a credential: professional bodies have
# too many for a list ("Angela Ruiz, SPHR", "Robert Lowell, CPA, CFP®", "Maria Gonzalez, EA").
_CREDENTIAL = re.compile(r"^(?:[A-Z]\.?){2,6}[®™]?$")
# A nickname between the given and the family name: "Angela “Angie” Russo", "Robert (Bob) Li".
_NICKNAME = re.compile(r"\s[“\"‘'(][^\W\d_]{2,20}[”\"’')]\s")
# Names used in templates and documentation.
PLACEHOLDER_NAMES = frozenset(
    ("john doe", "jane doe", "max mustermann", "erika mustermann", "lorem ipsum", "your name")
)
PARTICLES = words(
    "von van der den de da di del della du la le zu zur ten ter bin ibn al el dos das do af av "
    "vom ben"
)
# Trades that are also common family names ("James Baker", "Anna Meister", "Tom Kaufmann").
SURNAME_LIKE_TITLE_WORDS = words(
    "baker butcher carpenter gardener driver clerk coach chef meister kaufmann kauffrau "
    "welder mechanic tutor trainer agent partner roaster"
)
# Generational suffixes are part of the published name ("David Clarke-Evans Jr.").
_GENERATIONAL = words("jr jr. sr sr. ii iii iv")
# Words of headings, navigation, places and organisations that are capitalised like names.
NON_NAME_WORDS = (
    words("""
        our your you yours here there name names
        the and or of for with to in on at by from meet get touch contact us about
        team teams welcome home news blog services service solutions products product company
        careers career jobs job open positions position latest read more view all see learn
        privacy policy terms conditions cookie cookies settings legal notice imprint impressum
        sitemap site map rights reserved follow sign log login register free trial book demo
        case studies study success stories story mission vision values facts clients client
        customers customer partners partner office offices headquarters location locations
        address phone email mail fax website web online digital media group holding holdings
        gmbh ag ug kg ohg gbr mbh se ltd limited llc inc corp corporation co plc llp lp sa
        bv nv oy ab aps srl sas sarl kft spa consulting systems software technologies
        technology tech labs lab studio studios agency network networks international global
        street road avenue lane drive platz straße strasse str weg allee gasse ring
        north south east west new san los las santa fort port mount
        january february march april may june july august september october november december
        januar februar märz juni juli oktober dezember monday tuesday wednesday thursday
        friday saturday sunday montag dienstag mittwoch donnerstag freitag samstag sonntag
        uns unser unsere unseren ihr ihre ihren ihrem über kontakt kontaktieren sie wir
        ansprechpartner ansprechpartnerin ansprechpartnerinnen mitarbeiter mitarbeiterin
        mitarbeitende startseite leistungen aktuelles presse stellenangebote datenschutz
        anfahrt standort standorte öffnungszeiten willkommen mehr erfahren jetzt hier
        und oder für mit zum zur im am vom bei nach
        faq help support download downloads resources resource events event webinar
        pricing price prices features feature overview introduction summary details
        project projects portfolio work references testimonials reviews awards
        quality safety security innovation sustainability history timeline culture
        benefits perks apply now today tomorrow yesterday week month year
        linkedin twitter facebook instagram xing youtube github tiktok pinterest whatsapp
        telegram envelope share tweet print close menu search toggle icon arrow link button
        skip navigation previous next slide play pause back top scroll down up
        """)
    | (TITLE_WORDS - SURNAME_LIKE_TITLE_WORDS)
    | DEPARTMENT_WORDS
)


# Pages of one site repeat their navigation, footer and team lines: the same text is asked about
# again and again.
@short_text_cache
def clean_person_name(text: str) -> str | None:
    """The name as published, without forms of address and degrees; None if not a name."""
    if not 4 <= len(text) <= 70:
        return None
    text = _NICKNAME.sub(" ", text)
    if any(ch.isdigit() or ch in '@:;|/\\()[]{}<>!?•©"“”„=+*#' for ch in text):
        return None
    tokens = text.replace(",", " , ").split()
    while tokens and tokens[0].lower() in _COURTESY:
        tokens.pop(0)
    # Degrees after the name: "Anna Schmidt, MBA", "Max Müller M.Sc.", "Ann Li, CPA, CFP®"
    while tokens and (
        tokens[-1].lower() in _POSTNOMINALS
        or tokens[-1] == ","
        or ("," in tokens and _is_credential(tokens[-1]))
    ):
        tokens.pop()
    if "," in tokens or any("®" in t or "™" in t for t in tokens):
        return None
    if _trailing_credential(tokens):
        tokens.pop()
    academic = []
    while tokens and tokens[0].lower() in _ACADEMIC:
        academic.append(tokens.pop(0))
    if not _plausible_tokens(tokens):
        return None
    if " ".join(tokens).lower() in PLACEHOLDER_NAMES:
        return None
    if all(t.isupper() for t in tokens if t not in PARTICLES):
        tokens = [t if t in PARTICLES else _capitalise(t) for t in tokens]
    return " ".join(academic + tokens)


def _trailing_credential(tokens: list[str]) -> bool:
    """ "Gareth Lloyd-Evans FCILEX": a last word in capitals after a family name is a
    credential. Family names are written in capitals too ("Claire MOREAU", "Anna Maria
    SCHMIDT"): it is one when what comes before it is a given name alone."""
    if len(tokens) < 3 or not _CREDENTIAL.match(tokens[-1]):
        return False
    if all(t.isupper() for t in tokens if t not in PARTICLES):
        return False
    before = tokens[-2]
    # A double-barrelled word is a family name ("Lloyd-Evans"), though its parts are given names.
    return "-" in before or not has_given_name(before)


def _is_credential(token: str) -> bool:
    # "CEO" and "HR" are what someone does, not what they hold: "Anna Li, CEO" is a title line.
    return _CREDENTIAL.match(token) is not None and not looks_like_job_title(
        token, department_alone=True
    )


def _plausible_tokens(tokens: list[str]) -> bool:
    if not 2 <= len(tokens) <= 5:
        return False
    # Particles are written in lower case ("Anna van der Berg"); capitalised, "Van", "Ben" or
    # "De" are given names or part of the family name.
    if tokens[0] in PARTICLES or tokens[-1] in PARTICLES:
        return False
    full_words = 0
    for position, token in enumerate(tokens):
        if token in PARTICLES or (position == len(tokens) - 1 and token.lower() in _GENERATIONAL):
            continue
        lowered = token.lower()
        bare = lowered.strip(".'’-")
        if bare in NON_NAME_WORDS or (is_title_word(bare) and bare not in SURNAME_LIKE_TITLE_WORDS):
            return False
        if _is_initial(token):
            continue
        if not _is_name_word(token):
            return False
        full_words += 1
    return full_words >= 2


def _is_initial(token: str) -> bool:
    return len(token) == 2 and token[0].isupper() and token[1] == "."


def _is_name_word(token: str) -> bool:
    if len(token) < 2 or not token[0].isupper():
        return False
    # "Müller-Lüdenscheidt", "O'Brien", "D’Angelo", "McKenzie"
    for part in token.replace("’", "'").replace("'", "-").split("-"):
        if not part or not part.isalpha():
            return False
    return not token.endswith(("-", "'"))


def _capitalise(token: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in token.split("-"))
