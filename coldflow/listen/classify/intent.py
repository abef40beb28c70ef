"""What a person's reply means for the conversation, by rules (English, German, with the
common French and Spanish phrasings): interested, not now, not interested, referral to someone
else (named when the reply names them), or a question."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from coldflow.listen.classify.mime import ADDRESS
from coldflow.listen.classify.model import Intent, Referral


@dataclass(frozen=True)
class IntentReading:
    intent: Intent
    referral: Referral | None = None


# Something that reads intent from a reply's own words (an LLM client, when configured); it
# may decline by returning None, and the rules decide.
IntentReader = Callable[[str], IntentReading | None]

_I = re.IGNORECASE

_WRONG_PERSON = re.compile(
    r"(not the right (person|contact|one)|wrong (person|contact)|not responsible for"
    r"|not in charge of|no longer (with|at|works? (at|for))|left the company|not my (area|department)"
    r"|nicht (der|die) (richtige|zuständige)|nicht zuständig|falsche[rn]? ansprechpartner"
    r"|nicht mehr (bei|im unternehmen|in der firma)|hat das unternehmen verlassen"
    r"|pas la bonne personne|no soy la persona (adecuada|indicada))",
    _I,
)
# Phrases after which the referred person is named.
# ("... is responsible for this", "... looks after this area"): someone else is the contact;
# the name, when given, comes before.
_SOMEONE_ELSE = re.compile(
    r"\bis (responsible|in charge)\b|\bis the (right|best|correct) (person|contact)|\bis the person to"
    r"|\bwho (looks after|is responsible for|takes care of|handles) (this|that|these)"
    r"|\b(ist|sind) (bei uns )?(dafür |hierfür )?(zuständig|verantwortlich)",
    _I,
)
_REFER_TO = re.compile(
    r"(contact|reach out to|talk to|speak (to|with)|get in touch with|e-?mail|write to|ask"
    r"|forward(ed)? (this|your (e-?mail|message|note)) to|cc'?d|copied|looping in|loop in"
    r"|(the )?(right|best|correct) (person|contact)( for this)?( is| would be)"
    r"|(is|would be) (the )?(right|best|correct) (person|contact)"
    r"|responsible (for this )?is|handles (this|these|that)|in charge (of this )?is"
    r"|wenden sie sich (bitte |gerne )?an|kontaktieren sie (bitte |gerne )?|schreiben sie (bitte )?an"
    r"|ansprechpartner(in)? (hierfür |dafür )?ist|zuständig (hierfür |dafür )?ist"
    r"|leite (ihre|deine|die) (nachricht|e-?mail|anfrage) (an|weiter an)|weitergeleitet an"
    r"|contactez|adressez-vous à|póngase en contacto con|contacte (con|a))",
    _I,
)
_NOT_NOW = re.compile(
    r"(not (right )?now|not at (the|this) (moment|time)|not (a priority|the right time)|maybe later"
    r"|(reach out|follow up|check back|circle back|touch base|get back to me|try again|contact me)"
    r" (again )?(in|next|after|later)|(in a few|in \d+) (weeks|months?|quarters?|years?)"
    r"|next (quarter|year)|later (this|in the) year|after the (summer|holidays)|no budget"
    r"|budget .{0,40}(already )?(allocated|spent|used up|committed|frozen)|in the new year"
    r"|(talk|speak|reach out|get in touch) again|come back to (me|us) (in|next|later)"
    r"|timing (is|isn'?t) (not )?right|too busy|bad timing|revisit"
    r"|derzeit nicht|momentan nicht|aktuell (nicht|kein)|im moment (nicht|kein)|zurzeit (nicht|kein)"
    r"|später|nächste[snm]? (jahr|quartal)|in (ein paar|einigen|\d+) (wochen|monaten)"
    r"|zu einem späteren zeitpunkt|nach (dem sommer|den ferien)|kein budget"
    r"|budget .{0,40}(verplant|ausgeschöpft|aufgebraucht|vergeben)|im neuen jahr|noch einmal an"
    r"|pas pour le moment|plus tard|más adelante|por ahora no|no por ahora|ahora mismo no)",
    _I,
)
_NOT_INTERESTED = re.compile(
    r"(not interested|no interest|no,? thank(s| you)|we('re| are) (all set|good|covered|happy with)"
    r"|not a (good )?fit|(don'?t|do not|won'?t) need|(already|currently) (have|use|work with)"
    r"|not looking for|no need|pass on this|we'?ll pass|decline"
    r"|(isn'?t|is not|not) (something|anything) (we|i) (need|want|are looking for)|not for us"
    r"|kein(e)? interesse|nicht interessiert|brauchen (wir|ich) nicht|kein bedarf|haben (wir )?bereits"
    r"|nutzen bereits|sind (gut )?versorgt|passt nicht|nein,? danke"
    r"|pas intéressée?|ne sommes pas intéressés|no (estamos|estoy) interesad[oa]s?|no me interesa"
    r"|no nos interesa)",
    _I,
)
_INTERESTED = re.compile(
    r"(interested|interesting|sounds (good|great|interesting|promising)|let'?s (talk|chat|meet"
    r"|schedule|set up|connect|do it|find a time)|happy to (chat|talk|meet|learn|hop on)"
    r"|(book|schedule|set up|arrange) a (call|meeting|demo|time|chat)|send (me |us |over )?(some |more )?"
    r"(info|information|details|a proposal|pricing)|tell me more|love to (learn|hear|see|chat|talk)"
    r"|when are you (free|available)|what times?( slots?)? (work|suit)|my calendar|calendly|call me"
    r"|a demo|keen|count me in|yes,? please|(time )?slots|(for|have|book|schedule) a (quick |short )?"
    r"(call|chat|meeting)|happy to (speak|connect)|(can|could) we (talk|meet|chat|speak)"
    r"|interessiert|interessant|klingt (gut|spannend|interessant)|gerne (mehr|einen termin|telefonieren)"
    r"|lassen sie uns|termin\w* (vereinbaren|ausmachen)|terminvorschläge|gerne können wir|passt (ihnen|dir)"
    r"|können wir (gerne )?(sprechen|telefonieren)|schicken sie (mir |uns )?(gerne )?(mehr |weitere )?"
    r"(infos|informationen|unterlagen)|mehr erfahren|rufen sie (mich )?an"
    r"|intéressée?|ça m'intéresse|me interesa|nos interesa|suena bien)",
    _I,
)
_QUESTION_WORDS = re.compile(
    r"^\s*(how|what|why|who|which|where|when|can|could|do|does|is|are|will|would|wie|was|warum"
    r"|wer|welche|wo|wann|können|kann|gibt es|ist|sind|comment|combien|pourquoi|cómo|cuánto|qué)\b",
    _I,
)
# Capitalised words that are not a name (roles, pronouns, greetings, days and months).
_NOT_NAME_WORDS = (
    "i we our my the a an he she they his her their this that your you mr mrs ms dr herr herrn "
    "frau mister miss sir madam team ceo cto cfo coo cmo vp head director manager marketing "
    "sales it hr kollegen kollegin kollege colleague please bitte thanks thank danke hi hello "
    "hallo dear liebe lieber gerne unser unsere unseren unserem mein meine monday tuesday "
    "wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag freitag "
    "samstag sonntag january february march april may june july august september october "
    "november december januar februar märz mai juni juli oktober dezember"
)
_NOT_NAME = frozenset(_NOT_NAME_WORDS.split())
# A word of a name: letters in any script, with inner apostrophes or hyphens (O'Connor,
# Müller-Lüdenscheidt, El-Sayed); a name word starts with a capital (MacLeod, Łukasz, Søren).
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Lower-case words inside a name: "Ursula von der Leyen", "Thomas de la Cruz".
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "de",
        "der",
        "den",
        "del",
        "della",
        "da",
        "di",
        "du",
        "le",
        "la",
        "ten",
        "ter",
        "zu",
        "bin",
        "al",
        "dos",
        "das",
    ]
)
_NAME_WORDS_MAX = 3


def read_intent(own_words: str, sender: str, own_addresses: set[str]) -> IntentReading | None:
    """Intent by rules, or None when no rule recognises the reply (an honest "don't know"
    for a person to read). `own_addresses` are ours, never the person referred to."""
    text = " ".join(own_words.split())
    referral = _referral(own_words, {sender, *own_addresses})
    if referral is not None or _WRONG_PERSON.search(text) or _SOMEONE_ELSE.search(text):
        return IntentReading("referral", referral)
    if _NOT_NOW.search(text):
        return IntentReading("not_now")
    if _NOT_INTERESTED.search(text):
        return IntentReading("not_interested")
    if _INTERESTED.search(text):
        return IntentReading("interested")
    sentences = re.split(r"[.!\n]", own_words)
    if "?" in text or any(_QUESTION_WORDS.match(sentence) for sentence in sentences):
        return IntentReading("question")
    return None


def _referral(own_words: str, excluded: set[str]) -> Referral | None:
    for match in _REFER_TO.finditer(own_words):
        after = own_words[match.end() : match.end() + 160]
        if re.match(r"\s*(me|us|you|mich|uns|dich|ihnen|moi|nous|vous)\b", after, _I):
            continue  # "email me at ...", "talk to you soon": nobody else
        sentence = re.split(r"(?<=[.!?])\s|\n\n", after, maxsplit=1)[0]
        email = next(
            (found.lower() for found in ADDRESS.findall(sentence) if found.lower() not in excluded),
            None,
        )
        name = _first_name_in(sentence)
        if name or email:
            return Referral(name=name, email=email)
    for match in _SOMEONE_ELSE.finditer(own_words):
        before = re.split(r"[.!?\n]\s", own_words[: match.start()])[-1]
        email = next(
            (found.lower() for found in ADDRESS.findall(before) if found.lower() not in excluded),
            None,
        )
        name = _first_name_in(before)
        if name or email:
            return Referral(name=name, email=email)
    addresses = [
        found.lower() for found in ADDRESS.findall(own_words) if found.lower() not in excluded
    ]
    if addresses and _WRONG_PERSON.search(own_words):
        return Referral(name=None, email=addresses[0])
    return None


def _first_name_in(text: str) -> str | None:
    """The first run of capitalised words (with particles between them) that is not a role,
    pronoun, title or greeting: "our CTO, Mark Smith" gives "Mark Smith"."""
    emails = [match.span() for match in ADDRESS.finditer(text)]
    run: list[re.Match] = []
    for word in _WORD.finditer(text):
        if any(start <= word.start() < end for start, end in emails):
            continue
        value = word.group()
        adjacent = bool(run) and not text[run[-1].end() : word.start()].strip()
        if _is_name_word(value):
            names = sum(_is_name_word(w.group()) for w in run)
            if run and (not adjacent or names >= _NAME_WORDS_MAX):
                break
            run.append(word)
        elif run and adjacent and value in _PARTICLES:
            run.append(word)
        elif run:
            break
    while run and not _is_name_word(run[-1].group()):
        run.pop()  # "Anna von" is Anna
    if not run:
        return None
    return " ".join(text[run[0].start() : run[-1].end()].split())


def _is_name_word(word: str) -> bool:
    return (
        word[0].isupper()
        and any(letter.islower() for letter in word)
        and word.lower() not in _NOT_NAME
    )
