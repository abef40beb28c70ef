"""Recognise job titles as published, in English and German ("Head of Sales", "VP, Sales",
"Vertriebsleiterin", "Geschäftsführender Gesellschafter"), and by their common words in
French, Spanish, Italian and Dutch ("Directrice commerciale", "Gerente", "Titolare",
"Projectleider")."""

from __future__ import annotations

import re

from coldflow.research.extract.text_cache import short_text_cache
from coldflow.research.extract.vocabulary import words

# Whole words that make a phrase a job title (lower case).
TITLE_WORDS = words("""
    ceo cto cfo coo cmo cio cpo cro cso chro cdo ciso cco vp svp evp avp md gm
    founder co-founder cofounder owner partner president chair chairman chairwoman chairperson
    director head chief officer manager lead leader principal executive vice
    engineer developer designer architect consultant specialist analyst coordinator assistant
    associate administrator accountant controller recruiter advisor adviser scientist
    researcher representative strategist technician supervisor agent broker attorney lawyer
    counsel paralegal secretary treasurer editor writer copywriter intern trainee apprentice
    officer planner buyer clerk receptionist programmer producer photographer marketer
    salesperson foreman superintendent physician dentist therapist nurse pharmacist
    hygienist optician surveyor auditor economist actuary underwriter dispatcher
    bookkeeper estimator draughtsman draftsman machinist electrician plumber mechanic
    welder carpenter chef instructor trainer coach teacher professor lecturer tutor
    barista roaster baker butcher florist gardener driver courier stylist hairdresser
    geselle gesellin lehrling innkeeper hotelier concierge sommelier housekeeper bartender
    realtor solicitor barrister veterinarian vet groomer technologist orthodontist notary
    geschäftsführer geschäftsführerin geschäftsführung gesellschafter gesellschafterin inhaber
    inhaberin gründer gründerin mitgründer mitgründerin vorstand vorständin vorsitzender
    vorsitzende prokurist prokuristin leiter leiterin leitung assistent assistentin
    sachbearbeiter sachbearbeiterin referent referentin berater beraterin entwickler
    entwicklerin ingenieur ingenieurin techniker technikerin kaufmann kauffrau
    mitarbeiter mitarbeiterin teamleiter teamleiterin meister meisterin steuerberater
    steuerberaterin rechtsanwalt rechtsanwältin anwalt anwältin notar notarin architektin
    projektmanager projektmanagerin buchhalter buchhalterin einkäufer einkäuferin
    disponent disponentin auszubildende auszubildender azubi werkstudent werkstudentin
    praktikant praktikantin volontär volontärin redakteur redakteurin
    verkäufer verkäuferin betreuer betreuerin koordinator koordinatorin spezialist
    spezialistin
    pdg dg drh directeur directrice gérant gérante fondateur fondatrice cofondateur
    cofondatrice co-fondateur co-fondatrice associé associée responsable chargé chargée
    technicien technicienne comptable ingénieur ingénieure conseiller conseillère président
    présidente secrétaire assistante stagiaire développeur développeuse gestionnaire
    consultante juriste avocat avocate notaire commerciale architecte dessinateur dessinatrice
    projeteur projeteuse cheffe expert experte fiduciaire réviseur réviseuse infirmier
    infirmière vétérinaire dentiste
    directora gerente fundador fundadora cofundador cofundadora jefe jefa presidenta
    ingeniero ingeniera abogado abogada contable contador contadora asesor asesora
    coordinador coordinadora técnico técnica diseñador diseñadora desarrollador
    desarrolladora secretaria recepcionista becario becaria especialista redactor redactora
    consultor consultora arquitecto arquitecta veterinario veterinaria enfermero enfermera
    direttore direttrice titolare fondatore responsabile amministratore amministratrice
    ingegnere avvocato commercialista consulente tecnico impiegato impiegata segretaria
    progettista enologo enologa agronomo agronoma cantiniere viticoltore viticoltrice
    architetto geometra
    eigenaar oprichter medeoprichter bedrijfsleider adviseur medewerker medewerkster
    projectleider teamleider accountmanager ontwikkelaar vennoot boekhouder stagiair
    verkoper monteur hoofd beheerder ontwerper programmeur
    """)
# German compounds are written as one word: "Vertriebsleiter", "Marketingmanagerin".
TITLE_SUFFIXES = tuple(
    sorted(
        words("""
        leiter leiterin führer führerin manager managerin referent referentin berater beraterin
        entwickler entwicklerin ingenieur ingenieurin techniker technikerin assistent assistentin
        kaufmann kauffrau beauftragter beauftragte spezialist spezialistin koordinator
        koordinatorin betreuer betreuerin planer planerin designer designerin officer engineer
        developer consultant verantwortlicher verantwortliche vorstand direktor direktorin
        meister meisterin mitarbeiter mitarbeiterin vorsitzender vorsitzende
        leider medewerker adviseur monteur beheerder geselle gesellin
        """)
    )
)
# Department words: titles when combined with a title word ("Head of Sales"), and accepted on
# their own where the markup says "this is the role" (a table's Position column).
DEPARTMENT_WORDS = words("""
    sales marketing engineering operations finance hr people talent product design support
    customer success business development it legal compliance procurement logistics
    accounting controlling communications pr growth revenue partnerships research
    vertrieb einkauf buchhaltung personal kundenservice kundendienst technik entwicklung
    verwaltung produktion logistik qualität qualitätsmanagement büro sekretariat empfang
    office administration backoffice secrétariat comptabilité administración finanzas
    contabilidad amministrazione administratie boekhouding
    """)
_TITLE_NOISE = re.compile(
    r"(?:\s+(?:linkedin|xing|twitter|e-?mail|mail|vcard|profil|profile))+$", re.I
)
# Words that never appear in a title but do appear in headings and sentences.
_NON_TITLE_WORDS = words("""
    our we us you your contact meet about join apply read more view is
    are was were has have will who what why how unser unsere uns wir sie ihr ihre kontakt
    über treffen bewerben mehr lesen alle ist sind hat haben wird wer was warum wie
    jobs careers karriere stellenangebote openings positions vacancies
    """)
# "(m/w/d)", "(w/m/d)", "(all genders)", "(f/m/x)": German job ads always carry one, people's
# titles never do.
GENDER_MARKER = re.compile(
    r"\(\s*(?:[mwfdx]|div)\s*/\s*(?:[mwfdx]|div)(?:\s*/\s*(?:[mwfdx]|div))?\s*\)|\(all genders\)|\(gn\)",
    re.I,
)
# Between departments: "Sales & Marketing", "Administración y finanzas".
_CONNECTORS = words("& and und of y et e en")
_REMARK = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"[\w&'’.-]+", re.U)
_ACRONYM_TITLE = re.compile(r"^(?:C[A-Z]{1,3}O|[SE]?VP|MD|GM)$")


@short_text_cache
def looks_like_job_title(text: str, *, department_alone: bool = False) -> bool:
    """True for "Head of Sales", "VP, Sales", "Geschäftsführerin"; False for "Our Team",
    sentences, addresses and phone numbers."""
    if not 2 <= len(text) <= 90 or any(ch in text for ch in "@:?!|•©\\"):
        return False
    # A job ad's title ("Projektleiter (m/w/d)") is an opening, not someone's job.
    if GENDER_MARKER.search(text):
        return False
    # A remark in brackets may hold digits ("Auszubildende (3. Lehrjahr)").
    if any(ch.isdigit() for ch in _REMARK.sub("", text)):
        return False
    if text.count(",") > 2 or text.endswith(("!", "?")):
        return False
    tokens = [w.strip(".,&'’-").lower() for w in _WORD.findall(text)]
    # Compounds count by their parts too: "Kundenservice-Mitarbeiterin", "Co-Founder".
    tokens = [w for w in tokens if w] + [p for w in tokens if "-" in w for p in w.split("-") if p]
    if not tokens or len(tokens) > 10:
        return False
    if any(w in _NON_TITLE_WORDS for w in tokens):
        return False
    if any(is_title_word(w) for w in tokens):
        return True
    if any(_ACRONYM_TITLE.match(w.upper()) for w in tokens):
        return True
    return department_alone and all(w in DEPARTMENT_WORDS or w in _CONNECTORS for w in tokens)


def clean_job_title(text: str) -> str:
    # Icon links inside the title's element: "Leiterin Kundenservice LinkedIn".
    return _TITLE_NOISE.sub("", " ".join(text.split())).strip(" ,;:-–—|·")


def is_title_word(word: str) -> bool:
    """A lower-case word that makes a phrase a title ("ceo", "managerin", "vertriebsleiter")."""
    return word in TITLE_WORDS or _has_title_suffix(word)


def _has_title_suffix(word: str) -> bool:
    if len(word) > 7 and word.endswith(TITLE_SUFFIXES):
        return True
    # German feminine forms of any title word: "Recruiterin", "Controllerin", "Partnerin".
    return len(word) > 4 and word.endswith("in") and word[:-2] in TITLE_WORDS
