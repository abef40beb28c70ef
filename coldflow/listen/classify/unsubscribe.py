"""A person asking to be removed from the mailing, in English, German, French, Spanish,
Italian or Dutch. Matched on the person's own words only (never on a quoted footer)."""

from __future__ import annotations

import re

_REQUEST = re.compile(
    r"\b(unsubscribe( me)?|remove me|take me off|opt( me)? out|stop (e-?mailing|contacting|sending)"
    r"|(please )?(do not|don'?t) (e-?mail|contact|write to) me( again| anymore)?"
    r"|no (more|further) e-?mails|remove (my (e-?mail )?address|us) from|delete my (data|address|e-?mail)"
    r"|take (my (e-?mail )?address|us) off|not (to )?(e-?mail|contact) me again"
    r"|(bitte )?(austragen|abmelden|aus (ihrem|dem|ihrer) (verteiler|liste|newsletter) (nehmen|entfernen|löschen))"
    r"|tragen sie mich aus|keine weiteren (e-?mails|mails|nachrichten|zusendungen)"
    r"|keine (e-?mails|mails|nachrichten|zusendungen) mehr"
    r"|nicht mehr (anschreiben|kontaktieren|schreiben)|(meine )?daten löschen|löschen sie meine"
    r"|entfernen sie mich|von (ihrer|der) liste"
    r"|désinscri\w*|désabonne\w*|retirez[- ]moi|ne plus (me )?(contacter|écrire|recevoir)"
    r"|darme de baja|dar de baja|no (me )?(contacten|escriban|envíen) m[aá]s|elimin(ar|en) mi"
    r"|cancellami|rimuovermi|non contattatemi|uitschrijven|verwijder mij|afmelden)\b",
    re.IGNORECASE,
)
# Links and footers that mention unsubscribing without anyone asking for it.
_FOOTER = re.compile(
    r"(click|klicken|cliquez|haga clic)[^.\n]{0,40}unsubscribe|to unsubscribe|unsubscribe (here|link)"
    r"|if you (no longer )?wish to (unsubscribe|stop)|you (can|may) unsubscribe|list-unsubscribe",
    re.IGNORECASE,
)
# Negated or hypothetical mentions ("I don't want to unsubscribe").
_NEGATED = re.compile(
    r"\b(don'?t|do not|never|not) (want|wish|need) to (unsubscribe|be removed|opt out)",
    re.IGNORECASE,
)


def requested(subject: str, own_words: str) -> bool:
    text = f"{subject}\n{own_words}"
    if _NEGATED.search(text):
        return False
    return any(_REQUEST.search(line) and not _FOOTER.search(line) for line in text.split("\n"))
