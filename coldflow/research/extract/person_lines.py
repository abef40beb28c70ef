"""People written on one line: "Anna Schmidt, Head of Sales", "Anna Schmidt – CEO",
"CEO: Anna Schmidt", "Geschäftsführer: Dr. Max Müller, Anna Berg", "Max Müller (Inhaber)",
"<b>Anna Schmidt</b> Head of Sales", and Impressum lines ("Vertreten durch: …"); and in the
sentences of a paragraph: "Founded by Sarah Chen (CEO) and Mark Olsen, our CTO, …",
"Our Head of Finance, Daniel Okafor, keeps …"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from coldflow.research.extract.given_names import has_given_name
from coldflow.research.extract.job_titles import (
    DEPARTMENT_WORDS,
    clean_job_title,
    is_title_word,
    looks_like_job_title,
)
from coldflow.research.extract.personal_names import clean_person_name
from coldflow.research.extract.text_cache import short_text_cache
from coldflow.research.extract.vocabulary import words

MAX_LINE_CHARS = 240

_SEPARATORS = re.compile(r"\s+[–—-]\s+|\s*[|·•/]\s+|,\s+")
_DASH = re.compile(r"\s+[–—-]\s+|\s*[|·•]\s+")
_PARENTHESISED = re.compile(r"^(?P<a>[^()]{3,80}?)\s*\((?P<b>[^()]{2,80})\)\s*[.,;]?$")
_LABELLED = re.compile(
    r"^(?P<label>[^:]{2,80}?)\s*:\s*(?P<rest>.{3,})$"
    r"|^(?P<phrase>(?:gesetzlich\s+)?vertreten\s+durch|represented\s+by)\s+(?P<phrase_rest>.{3,})$",
    re.I,
)
_NAME_LIST_SPLIT = re.compile(r"\s*(?:,|;|\bund\b|\band\b|&|\bsowie\b)\s*")
# Impressum wording for who represents the company.
_REPRESENTATION_LABEL = re.compile(
    r"^(?:vertreten\s+durch|vertretungsberechtigt\w*(?:\s+\w+)?|gesetzlich\s+vertreten\s+durch|"
    r"represented\s+by|legal\s+representatives?|managing\s+directors?|verantwortlich\w*(?:\s.*)?|"
    r"inhaber(?:in)?|geschäftsführ\w+|vorstand|prokura|owner|director)$",
    re.I,
)
_CONTACT_LABEL = re.compile(
    r"^(?:(?:ihr|ihre|your|votre|su|il\s+vostro|uw)\s+)?(?:ansprechpartner(?:in)?|"
    r"kontakt(?:person)?|contact(?:\s+person)?|persona\s+de\s+contacto|contacto|"
    r"interlocut(?:eur|rice)|referente|contactpersoon)$",
    re.I,
)
_REPRESENTED_BY = re.compile(
    r"^(?:gesetzlich\s+)?(?:vertreten\s+durch|represented\s+by)\s+(?:den|die|der|the|its|our)?\s*"
    r"(?P<title>.{3,60})$",
    re.I,
)
# "Anna Schmidt is our Head of Sales.", "Max Müller ist bei uns Vertriebsleiter.",
# "Lena Vogel arbeitet als Projektleiterin."
_SENTENCE = re.compile(
    r"^(?P<name>[^.,;:!?]{2,60}?(?:\.[^.,;:!?]{1,60}?){0,2})\s+"
    r"(?:is|ist|serves\s+as|works\s+as|acts\s+as|joined\s+(?:us\s+)?as|arbeitet(?:\s+bei\s+uns)?\s+als)\s+"
    r"(?:bei\s+uns\s+|als\s+)?(?:(?:our|the|unser(?:e|er)?|die|der)\s+)?"
    r"(?P<title>[^.;!?]{2,160}?)(?:\s+tätig)?\s*(?:[.;!?](?:\s|$)|$)",
    re.I,
)
_CLAUSE_AFTER_TITLE = re.compile(
    r",|\s+(?:in|at|after|since|from|for|with|when|where|and|seit|im|nach|bei|und)\s", re.I
)
_LEADING_ARTICLE = re.compile(r"^(?:den|die|der|das|the|unsere[mn]?|our)\s+", re.I)


@dataclass(frozen=True, slots=True)
class LinePerson:
    name: str
    title: str | None
    # "paragraph" (running text), "card" (parts separated by inline markup) or "imprint"
    # (a representation line).
    method: str
    # Introduced by a title or representation label ("CEO: …"): the line says it names people.
    labelled: bool = False


# A sentence ends at ".", "!" or "?" before a capital, unless the dot ends an abbreviation.
_SENTENCE_END = re.compile(r"(?P<word>\S*)[.!?]\s+(?=[\"“„]?[A-ZÄÖÜ])")
# "Dr.", "Co.", "Inc.", "J.", "Dipl.-Ing.", "Prof.": short capitalised, or dotted inside.
_ABBREVIATION = re.compile(
    r"^(?:[A-ZÄÖÜ][a-zäöü]?|Prof|Dipl|Mag|Ing|Inc|Ltd|Corp|Mrs|Str|Nr|St|ca|bzw|vs|etc)$|[.](?!$)"
)
_MAX_SENTENCES = 12
# In running text a name is 2-4 capitalised words (particles allowed) right before its title.
# In running text a name is 2-5 capitalised words (particles, and dotted ones like "Dr.", allowed).
_CAPITALISED_RUN = (
    r"(?:[A-ZÄÖÜ][\w'’.-]*\s+(?:(?:van|von|de|der|den|da|di|du|le|la)\s+)*){1,4}[A-ZÄÖÜ][\w'’-]+"
)
_PROSE_NAME = rf"(?P<name>{_CAPITALISED_RUN})"
_PROSE_PARENTHESISED = re.compile(_PROSE_NAME + r"\s*\((?P<title>[^()]{2,60})\)")
# "our", "the", "unser", "notre", "nuestra", "il nostro", "onze" before a title.
_POSSESSIVE = (
    r"(?:our|the|unser(?:e|er)?|notre|nos|nuestr[oa]s?|(?:il\s+|la\s+)?nostr[oa]|onze|ons)"
)
_POSSESSIVE_WORD = re.compile(rf"\b{_POSSESSIVE}\s", re.I)
# "Mark Olsen, our CTO," — the possessive or article says the title belongs to the company.
_PROSE_APPOSITIVE = re.compile(
    _PROSE_NAME + rf",\s+{_POSSESSIVE}\s+(?P<title>[^,.;()]{{2,60}}?)\s*[,.;]", re.U
)
# "… da Roberto Bertolino, titolare e viticoltore, insieme …", "started by Shane McAllister,
# owner and licensed plumber, …": a title in lower case right after the name.
_PROSE_BARE_APPOSITIVE = re.compile(
    _PROSE_NAME + r",\s+(?P<title>[a-zà-ÿ][^,.;()]{1,60}?)\s*[,.;:]", re.U
)
_PROSE_TITLE_FIRST = re.compile(
    r"\b(?:Our|The|Unser(?:e|er)?)\s+(?P<title>[^,.;()]{2,60}?),\s+" + _PROSE_NAME + r"\s*[,.;]"
)
_NAME_RUN = re.compile(rf"(?<![\w'’-]){_CAPITALISED_RUN}")
# Words of a clause, never of a title.
_CLAUSE_WORDS = words(
    "by owned operated managed founded led run is are was were has have who which says said "
    "durch wurde hat ist"
)
_OTHER_EMPLOYER_AFTER = re.compile(r",?\s+(?:of|at|from|with|bei|von)\s+[A-ZÄÖÜ]")
_MAX_TITLE_WORDS = 5
# Words that end a title read backwards from a name: clause words, articles, "contact".
_PROSE_STOPWORDS = _CLAUSE_WORDS | words(
    "and or our the a an with from to as at for in on your contact call ask email write meet "
    "und oder von mit unser unsere unserer sind bei als der die das den"
)
# "Jennifer Liu, Partner at Madrona, joined our board": someone else's title, in prose.
_OTHER_EMPLOYER = re.compile(r"\s(?:at|bei|chez|with)\s+[A-ZÄÖÜ]")


def people_in_line(text: str, segments: tuple[str, ...]) -> list[LinePerson]:
    return list(_people_in_text_line(text, segments))


# Pages of one site repeat most of their lines (navigation, footer, the team on several pages).
@short_text_cache
def _people_in_text_line(text: str, segments: tuple[str, ...]) -> tuple[LinePerson, ...]:
    if len(text) <= MAX_LINE_CHARS:
        people = _people_in_line(text, segments)
        if people:
            return people
    # A paragraph: its sentences one by one (a line of one sentence was read whole above).
    found: list[LinePerson] = []
    for sentence in _sentences(text):
        if len(sentence) <= MAX_LINE_CHARS:
            found.extend(_people_in_sentence(sentence, read_whole=sentence == text))
    return tuple(found)


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(match.group("word")):
            continue
        sentences.append(text[start : match.start("word") + len(match.group("word")) + 1])
        start = match.end()
        if len(sentences) == _MAX_SENTENCES - 1:
            break
    sentences.append(text[start:])
    return sentences


@short_text_cache
def _people_in_sentence(sentence: str, *, read_whole: bool) -> tuple[LinePerson, ...]:
    people = (not read_whole and _people_in_line(sentence, (sentence,))) or _in_prose(sentence)
    return tuple(p for p in people if p.title is None or not _OTHER_EMPLOYER.search(p.title))


@short_text_cache
def _in_prose(text: str) -> tuple[LinePerson, ...]:
    """Names with their titles in the middle of a sentence."""
    found: dict[str, LinePerson] = {}
    patterns = [_PROSE_PARENTHESISED] if "(" in text else []
    if _POSSESSIVE_WORD.search(text):
        patterns += (_PROSE_APPOSITIVE, _PROSE_TITLE_FIRST)
    if ", " in text:
        patterns.append(_PROSE_BARE_APPOSITIVE)
    for pattern in patterns:
        for match in pattern.finditer(text):
            title = match.group("title").strip()
            name = _trailing_name(match.group("name"))
            if name is None or name in found or not looks_like_job_title(title):
                continue
            # Without a possessive, only a known given name says this is a person.
            if pattern is _PROSE_BARE_APPOSITIVE and not has_given_name(name):
                continue
            found[name] = LinePerson(name, clean_job_title(title), "paragraph")
    for person in _titled_in_passing(text):
        found.setdefault(person.name, person)
    return tuple(found.values())


def _titled_in_passing(text: str) -> list[LinePerson]:
    """ "Production lead Carmen Ruiz keeps …", "owned by master electrician Craig Mitchell",
    "contact our Commercial Manager, Josh Pearce, on …": a title right before a name. Only
    names with a known given name, and not someone else's staff ("… Jane Roe of Acme")."""
    people = []
    for match in _NAME_RUN.finditer(text):
        words_in_run = match.group().split()
        found = _name_at_end(words_in_run)
        if found is None or not has_given_name(found[1]):
            continue
        if _OTHER_EMPLOYER_AFTER.match(text, match.end()):
            continue
        # A capitalised title is part of the run: "Sales Director Anna Roth".
        before = " ".join([text[: match.start()], *words_in_run[: found[0]]])
        title = _title_before(before)
        if title is not None:
            people.append(LinePerson(found[1], title, "paragraph"))
    return people


def _title_before(text: str) -> str | None:
    """The longest run of last words that is a title, up to a function word or punctuation."""
    words = text.rstrip().split()
    if words and words[-1].endswith(","):
        # "our Commercial Manager, Josh Pearce"
        words[-1] = words[-1][:-1]
    taken: list[str] = []
    for word in reversed(words[-_MAX_TITLE_WORDS:]):
        if word.lower() in _PROSE_STOPWORDS or word[-1] in '.,;:!?)("“”':
            break
        # In lower case only title and department words belong to it ("office manager"), not
        # the verb before ("1978 gründete Installateurmeister Josef Gruber").
        if word.islower() and not (is_title_word(word) or word in DEPARTMENT_WORDS):
            break
        taken.insert(0, word)
    for start in range(len(taken)):
        candidate = " ".join(taken[start:])
        if looks_like_job_title(candidate):
            return clean_job_title(candidate)
    return None


def _trailing_name(words_before: str) -> str | None:
    """The longest run of last words that is a name: "By Dr. Sarah Chen" → "Dr. Sarah Chen"."""
    found = _name_at_end(words_before.split())
    return found[1] if found else None


def _name_at_end(words: list[str]) -> tuple[int, str] | None:
    """(index of the first word of the name, the name) for the longest run of last words
    that is a name."""
    for start in range(max(0, len(words) - 7), len(words) - 1):
        name = clean_person_name(" ".join(words[start:]))
        if name is not None:
            return start, name
    return None


def _people_in_line(text: str, segments: tuple[str, ...]) -> tuple[LinePerson, ...]:
    return tuple(
        _labelled(text)
        or _parenthesised(text)
        or _sentence(text)
        or _separated(text)
        or _by_segments(segments)
    )


def name_and_title(first: str, second: str) -> tuple[str, str] | None:
    """(name, title) when one part is a name and the other a title, in either order."""
    # "Lisa Hoffmann, our lead data scientist", "Our Head of Finance, Daniel Okafor"
    first, second = _LEADING_ARTICLE.sub("", first), _LEADING_ARTICLE.sub("", second)
    name = clean_person_name(first)
    if name is not None and looks_like_job_title(second, department_alone=True):
        return name, clean_job_title(second)
    name = clean_person_name(second)
    if name is not None and looks_like_job_title(first):
        return name, clean_job_title(first)
    return None


@dataclass(frozen=True, slots=True)
class Label:
    """What a label before names says: "CEO:", "Vertreten durch die Geschäftsführer:"."""

    # "imprint" for who represents the company, else "paragraph".
    method: str
    title: str | None


def label_before_names(text: str) -> Label | None:
    """The label of "Geschäftsführer:" or "Vertreten durch die Geschäftsführer:" on a line of
    its own, with the names on the lines below; None for any other line."""
    if not text.endswith(":") or len(text) > 80:
        return None
    return _label(text[:-1])


def _label(text: str) -> Label | None:
    label = clean_job_title(text)
    title = label if looks_like_job_title(label) else None
    if _REPRESENTATION_LABEL.match(label) is not None:
        return Label("imprint", title)
    # "Vertreten durch die Geschäftsführer", "represented by the managing director"
    named = _REPRESENTED_BY.match(label)
    if named is not None and looks_like_job_title(named.group("title")):
        return Label("imprint", clean_job_title(named.group("title")))
    if title is not None:
        return Label("paragraph", title)
    # "Ihr Ansprechpartner:", "Contact person:": staff, with no title said.
    return Label("paragraph", None) if _CONTACT_LABEL.match(label) else None


def _labelled(text: str) -> list[LinePerson]:
    match = _LABELLED.match(text)
    if match is None:
        return []
    label = _label(match.group("label") or match.group("phrase"))
    if label is None:
        return []
    rest = _LEADING_ARTICLE.sub("", (match.group("rest") or match.group("phrase_rest")).strip())
    method, default_title = label.method, label.title
    # The names end with the sentence: "CEO: Anna Schmidt. You can reach her at …"
    ends = [
        m.end("word")
        for m in re.finditer(r"(?P<word>\S*)\.(?:\s|$)", rest)
        if not _ABBREVIATION.search(m.group("word"))
    ]
    for end in [*ends, len(rest)]:
        people = _named_in(rest[:end], default_title, method)
        if people:
            return people
    return []


def _named_in(text: str, default_title: str | None, method: str) -> list[LinePerson]:
    single = _parenthesised(text) or _separated(text)
    if single:
        return [LinePerson(p.name, p.title or default_title, method, labelled=True) for p in single]
    people = []
    for part in _NAME_LIST_SPLIT.split(text)[:6]:
        part = _LEADING_ARTICLE.sub("", part.strip())
        name = clean_person_name(part)
        if name is not None:
            people.append(LinePerson(name, default_title, method, labelled=True))
            continue
        inner = _parenthesised(part) or _title_then_name(part)
        people.extend(
            LinePerson(p.name, p.title or default_title, method, labelled=True) for p in inner
        )
    return people


def _sentence(text: str) -> list[LinePerson]:
    match = _SENTENCE.match(text)
    if match is None:
        return []
    name = clean_person_name(match.group("name"))
    title = match.group("title").strip()
    # "VP, Marketing" keeps its comma; "Head of Sales, since 2015" does not, nor does
    # "VP of Customer Success in 2019 after eight years at Tableau".
    clause = _CLAUSE_AFTER_TITLE.split(title, maxsplit=1)[0]
    for candidate in dict.fromkeys((title, title.split(",")[0], clause)):
        # "… is owned and operated by master electrician Craig Mitchell": not a title.
        if not _CLAUSE_WORDS.isdisjoint(candidate.lower().split()):
            continue
        if name is not None and looks_like_job_title(candidate):
            return [LinePerson(name, clean_job_title(candidate), "paragraph")]
    return []


def _parenthesised(text: str) -> list[LinePerson]:
    match = _PARENTHESISED.match(text)
    if match is None:
        return []
    pair = name_and_title(match.group("a"), match.group("b"))
    return [LinePerson(pair[0], pair[1], "paragraph")] if pair else []


def _separated(text: str) -> list[LinePerson]:
    cuts = list(islice(_SEPARATORS.finditer(text), 6))
    if not cuts:
        return []
    # Credentials after a name are written like a title after it: the name runs to the last
    # cut before which it is still a name ("Jane Mercer, CPA, CFP – Partner").
    match = cuts[0]
    for later in cuts[1:]:
        if clean_person_name(text[: later.start()]) is None:
            break
        match = later
    first, rest = text[: match.start()], text[match.end() :]
    # The whole remainder ("VP, Sales"), else up to a dash ("VP, Engineering – anna@…"), else
    # up to the next separator, for sentences that go on ("Anna Schmidt, Head of Sales, joined
    # us in 2015").
    following = _SEPARATORS.search(rest)
    dash = _DASH.search(rest)
    seconds = [rest, rest[: dash.start()] if dash else None]
    short = rest[: following.start()] if following else None
    # "Lisa Hoffmann, lead data scientist, holds a PhD": the sentence goes on in lower case
    # after the title, where a title's own second part ("VP, Sales") is capitalised.
    if following and rest[following.end() : following.end() + 1].islower():
        seconds.insert(0, short)
    else:
        seconds.append(short)
    for second in seconds:
        pair = name_and_title(first, second) if second else None
        if pair is not None:
            return [LinePerson(pair[0], pair[1], "paragraph")]
    return []


def _title_then_name(text: str) -> list[LinePerson]:
    """ "Geschäftsführer Dr. Max Müller": a title followed by a name."""
    words = text.split()
    for cut in range(1, len(words) - 1):
        title, name = " ".join(words[:cut]), " ".join(words[cut:])
        cleaned = clean_person_name(name)
        if cleaned is not None and looks_like_job_title(title):
            return [LinePerson(cleaned, clean_job_title(title), "paragraph")]
    return []


def _by_segments(segments: tuple[str, ...]) -> list[LinePerson]:
    """ "<strong>Anna Schmidt</strong> Head of Sales", or a card whose parts are all inline
    ("<b>Name</b><span>Title</span><span>Phone</span>"): the markup separates the parts."""
    if len(segments) < 2 or len(segments) > 12:
        return []
    for cut in range(1, min(len(segments), 5)):
        first = " ".join(segments[:cut]).strip(" ,–—-|·")
        rest = " ".join(segments[cut:]).strip(" ,–—-|·")
        for second in dict.fromkeys((rest, segments[cut].strip(" ,–—-|·"))):
            pair = name_and_title(first, second)
            if pair is not None:
                return [LinePerson(pair[0], pair[1], "card")]
    return []
