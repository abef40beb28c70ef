"""People written on one line: "Anna Schmidt, Head of Sales", "Anna Schmidt – CEO",
"CEO: Anna Schmidt", "Geschäftsführer: Dr. Max Müller, Anna Berg", "Max Müller (Inhaber)",
"<b>Anna Schmidt</b> Head of Sales", and Impressum lines ("Vertreten durch: …")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from coldflow.research.extract.job_titles import clean_job_title, looks_like_job_title
from coldflow.research.extract.personal_names import clean_person_name
from coldflow.research.extract.text_cache import short_text_cache

MAX_LINE_CHARS = 240

_SEPARATORS = re.compile(r"\s+[–—-]\s+|\s*[|·•/]\s+|,\s+")
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
    r"inhaber(?:in)?|geschäftsführ\w+|vorstand|owner|director)$",
    re.I,
)
# "Anna Schmidt is our Head of Sales.", "Max Müller ist bei uns Vertriebsleiter.",
# "Lena Vogel arbeitet als Projektleiterin."
_SENTENCE = re.compile(
    r"^(?P<name>[^.,;:!?]{2,60}?(?:\.[^.,;:!?]{1,60}?){0,2})\s+"
    r"(?:is|ist|serves\s+as|works\s+as|acts\s+as|joined\s+(?:us\s+)?as|arbeitet(?:\s+bei\s+uns)?\s+als)\s+"
    r"(?:bei\s+uns\s+|als\s+)?(?:(?:our|the|unser(?:e|er)?|die|der)\s+)?"
    r"(?P<title>[^.;!?]{2,90}?)(?:\s+tätig)?\s*(?:[.;!?](?:\s|$)|$)",
    re.I,
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


def people_in_line(text: str, segments: tuple[str, ...]) -> list[LinePerson]:
    if len(text) > MAX_LINE_CHARS:
        return []
    return list(_people_in_line(text, segments))


# Pages of one site repeat most of their lines (navigation, footer, the team on several pages).
@short_text_cache
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
    name = clean_person_name(first)
    if name is not None and looks_like_job_title(second, department_alone=True):
        return name, clean_job_title(second)
    name = clean_person_name(second)
    if name is not None and looks_like_job_title(first):
        return name, clean_job_title(first)
    return None


def _labelled(text: str) -> list[LinePerson]:
    match = _LABELLED.match(text)
    if match is None:
        return []
    label = clean_job_title(match.group("label") or match.group("phrase"))
    rest = _LEADING_ARTICLE.sub("", (match.group("rest") or match.group("phrase_rest")).strip())
    representation = _REPRESENTATION_LABEL.match(label) is not None
    label_is_title = looks_like_job_title(label)
    if not (representation or label_is_title):
        return []
    method = "imprint" if representation else "paragraph"
    default_title = label if label_is_title else None
    # The names end with the sentence: "CEO: Anna Schmidt. You can reach her at …"
    for end in [m.start() for m in re.finditer(r"\.(?:\s|$)", rest)] + [len(rest)]:
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
    # "VP, Marketing" keeps its comma; "Head of Sales, since 2015" does not.
    for candidate in dict.fromkeys((title, title.split(",")[0])):
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
    # The whole remainder ("VP, Sales"), else up to the next separator, for sentences that go
    # on ("Anna Schmidt, Head of Sales, joined us in 2015").
    following = _SEPARATORS.search(rest)
    for second in (rest, rest[: following.start()] if following else None):
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
