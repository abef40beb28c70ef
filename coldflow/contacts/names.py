"""Split a person's name as written on a web page into its parts.

nameparser handles the Western "Given Family" case well, but gets the rest wrong in ways that
matter for outreach and email patterns: it reads "MÜLLER Hans", "Nagy Péter" and
"Петров Иван Сергеевич" given-first, cannot split "毛泽东", puts Spanish double surnames in the
middle name and knows no Austrian or German degrees. So this is a small parser of its own, driven
by the word tables at the end of this module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from coldflow.contacts.patterns.transliteration import (
    japanese_reading,
    korean_family,
    syllables,
    to_ascii,
)

MAX_NAME_LENGTH = 200

_SPACES = re.compile(r"\s+")
_NICKNAME = re.compile(r"[\"“”„«»]([^\"“”„«»]{1,40})[\"“”„«»]|\(([^()]{0,40})\)")
_SCRIPT_RANGES = (
    ("han", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("kana", re.compile(r"[\u3040-\u30ff]")),
    ("hangul", re.compile(r"[\uac00-\ud7a3\u1100-\u11ff]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("greek", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
)
_NAME_PUNCTUATION = frozenset(" .,'’-()\"“”„«»・·")
_VOWELS = set("aeiouyäöüåæøéèêáàâíìîóòôúùûőűăâơưęąı")


@dataclass(frozen=True)
class PersonName:
    """A parsed personal name. Empty strings mean "not present"."""

    original: str
    given: str = ""
    middle: tuple[str, ...] = ()
    # The family name without particles: "Berg" for "Jan van der Berg".
    family: str = ""
    particles: str = ""
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    nickname: str = ""
    # latin, cyrillic, greek, han, kana (Japanese), hangul, arabic, hebrew
    script: str = "latin"
    # The name was written family name first ("MÜLLER, Hans", "毛泽东", "Nagy Péter").
    family_first: bool = False
    # False when family_first is a guess from name lists rather than from the writing itself.
    order_certain: bool = True
    # The name in Latin letters, in the order it was written (transliterated when needed).
    latin: str = ""

    @property
    def family_with_particles(self) -> str:
        return f"{self.particles} {self.family}".strip()

    @property
    def display(self) -> str:
        """Given names first, without titles: "Hans-Peter van der Berg"."""
        if self.script in ("han", "kana", "hangul"):
            return f"{self.family}{self.given}"
        return " ".join(p for p in (self.given, *self.middle, self.family_with_particles) if p)

    @property
    def is_empty(self) -> bool:
        return not (self.given or self.family)


def parse_name(text: str) -> PersonName:
    """Parse a name as written; never raises, whatever the input."""
    original = text if isinstance(text, str) else ""
    clean = _clean(original)
    clean, nickname = _take_nickname(clean)
    head, comma_given, comma_suffixes = _split_comma(clean)
    tokens = head.split()
    prefixes, tokens = _take_prefixes(tokens)
    tokens, suffixes = _take_suffixes(tokens)
    suffixes = suffixes + comma_suffixes
    given_tokens: list[str] = []
    if comma_given is not None:
        given_prefixes, given_tokens = _take_prefixes(comma_given.split())
        given_tokens, given_suffixes = _take_suffixes(given_tokens)
        prefixes += given_prefixes
        suffixes += given_suffixes
        name = _from_comma_form(tokens, given_tokens)
    else:
        name = _from_tokens(tokens)
    return _finish(name, tokens + given_tokens, original, prefixes, suffixes, nickname)


@dataclass
class _Parts:
    given: str = ""
    middle: list[str] = field(default_factory=list)
    particles: list[str] = field(default_factory=list)
    family: list[str] = field(default_factory=list)
    script: str = "latin"
    family_first: bool = False
    order_certain: bool = True


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text[: MAX_NAME_LENGTH * 2])
    # Only letters, marks and the punctuation names use survive: digits, markup and control
    # characters scraped along with a name are not part of it.
    text = "".join(
        ch if unicodedata.category(ch)[0] in "LM" or ch in _NAME_PUNCTUATION else " " for ch in text
    )
    # The katakana middle dot separates the parts of a transcribed name (ジョン・スミス).
    text = text.replace("・", " ").replace("·", " ")
    return _SPACES.sub(" ", text).strip()[:MAX_NAME_LENGTH]


def _take_nickname(text: str) -> tuple[str, str]:
    nickname = ""
    for match in _NICKNAME.finditer(text):
        inner = (match.group(1) or match.group(2) or "").strip()
        looks_like_name = inner[:1].isupper() and not inner.isupper()
        if not nickname and looks_like_name and len(inner.split()) == 1:
            nickname = inner
    return _SPACES.sub(" ", _NICKNAME.sub(" ", text)).strip(), nickname


def _split_comma(text: str) -> tuple[str, str | None, tuple[str, ...]]:
    """'Müller, Hans' is family-first; 'John Smith, PhD' only carries suffixes."""
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if len(pieces) < 2:
        return (pieces[0] if pieces else ""), None, ()
    head, rest = pieces[0], pieces[1:]
    if all(_is_suffix(t) or _is_degree(t) for p in rest for t in p.split()):
        return head, None, tuple(t for p in rest for t in p.split())
    suffixes = tuple(t for p in rest[1:] for t in p.split())
    return head, rest[0], suffixes


def _letters(token: str) -> str:
    return "".join(ch for ch in token.lower() if ch.isalpha())


def _is_degree(token: str) -> bool:
    """Dotted academic degrees: 'Dr.', 'Dipl.-Ing.', 'Dr.-Ing.', 'h.c.', 'Mag.'."""
    lowered = token.lower().strip(",;")
    if lowered in PREFIX_WORDS:
        return True
    if "." not in lowered:
        return False
    stems = [s for s in re.split(r"[.\-]", lowered) if s]
    return bool(stems) and all(s in DEGREE_STEMS for s in stems)


def _take_prefixes(tokens: list[str]) -> tuple[tuple[str, ...], list[str]]:
    prefixes: list[str] = []
    while len(tokens) > 1 and (
        _is_degree(tokens[0]) or (prefixes and _letters(tokens[0]) in TITLE_CONTINUATIONS)
    ):
        prefixes.append(tokens.pop(0))
    return tuple(prefixes), tokens


def _is_suffix(token: str) -> bool:
    bare = token.strip(",;")
    if bare in UPPER_SUFFIXES:
        return True
    return bare.lower() in SUFFIXES


def _take_suffixes(tokens: list[str]) -> tuple[list[str], tuple[str, ...]]:
    suffixes: list[str] = []
    while len(tokens) > 1 and (_is_suffix(tokens[-1]) or _is_degree(tokens[-1])):
        # 'Jack MA' is a family name; 'John Smith MA' a degree.
        if tokens[-1].strip(",;") in UPPER_SUFFIXES and len(tokens) < 3:
            break
        suffixes.insert(0, tokens.pop())
    return tokens, tuple(suffixes)


def _script(text: str) -> str:
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPT_RANGES}
    if counts["kana"]:
        return "kana"
    best = max(counts, key=lambda name: counts[name])
    if counts[best]:
        return best
    letters = [ch for ch in text if ch.isalpha()]
    if any(not unicodedata.name(ch, "").startswith("LATIN") for ch in letters):
        return "other"
    return "latin"


def _fold(token: str) -> str:
    return to_ascii(token)


def _from_comma_form(family_tokens: list[str], given_tokens: list[str]) -> _Parts:
    particles, family = _split_particles(family_tokens)
    parts = _Parts(
        given=given_tokens[0] if given_tokens else "",
        middle=given_tokens[1:],
        particles=particles,
        family=family,
        script=_script(" ".join(family_tokens + given_tokens)),
        family_first=True,
    )
    return parts


def _from_tokens(tokens: list[str]) -> _Parts:
    script = _script(" ".join(tokens))
    if not tokens:
        return _Parts(script=script)
    if script in ("han", "kana", "hangul"):
        return _east_asian_script(tokens, script)
    if len(tokens) == 1:
        return _Parts(given=tokens[0], script=script)
    for reader in (_capitalised_family, _patronymic, _vietnamese, _listed_family_first):
        parts = reader(tokens)
        if parts is not None:
            parts.script = script
            return parts
    return _given_first(tokens, script)


def _east_asian_script(tokens: list[str], script: str) -> _Parts:
    if len(tokens) >= 2:
        return _Parts(
            given="".join(tokens[1:]), family=[tokens[0]], script=script, family_first=True
        )
    text = tokens[0]
    if script == "kana" or len(text) < 2:
        # Unspaced kana gives no clue where the family name ends.
        return _Parts(given=text, script=script)
    split = 1
    if text[:2] in COMPOUND_EAST_ASIAN_FAMILIES and len(text) >= 3:
        split = 2
    elif script == "han" and len(text) >= 4:
        # Four or more characters is the usual shape of a Japanese name: two for the family.
        split = 2
    return _Parts(given=text[split:], family=[text[:split]], script=script, family_first=True)


def _is_capitalised_family(token: str) -> bool:
    letters = _letters(token)
    return (
        token.isupper()
        and len(letters) >= 2
        and any(ch in _VOWELS for ch in letters)
        and letters not in ROMAN_NUMERALS
    )


def _capitalised_family(tokens: list[str]) -> _Parts | None:
    """'MÜLLER Hans' or 'Hans MÜLLER': the capitalised words are the family name."""
    marks = [_is_capitalised_family(t) or (t.lower() in PARTICLES and t.isupper()) for t in tokens]
    if all(marks) or not any(marks):
        return None
    if marks[0]:
        end = marks.index(False)
        if any(marks[end:]):
            return None
        particles, family = _split_particles(tokens[:end])
        given = tokens[end:]
        return _Parts(
            given=given[0], middle=given[1:], particles=particles, family=family, family_first=True
        )
    start = marks.index(True)
    if not all(marks[start:]):
        return None
    particles, family = _split_particles(tokens[start:])
    return _Parts(given=tokens[0], middle=tokens[1:start], particles=particles, family=family)


def _is_patronymic(token: str) -> bool:
    lowered = token.lower()
    return len(lowered) > 4 and lowered.endswith(PATRONYMIC_ENDINGS)


def _patronymic(tokens: list[str]) -> _Parts | None:
    """Russian 'Family Given Patronymic' or 'Given Patronymic Family'."""
    if len(tokens) != 3:
        return None
    if _is_patronymic(tokens[2]):
        return _Parts(given=tokens[1], middle=[tokens[2]], family=[tokens[0]], family_first=True)
    if _is_patronymic(tokens[1]):
        return _Parts(given=tokens[0], middle=[tokens[1]], family=[tokens[2]])
    return None


def _vietnamese(tokens: list[str]) -> _Parts | None:
    if _fold(tokens[0]) not in VIETNAMESE_FAMILIES:
        return None
    marked = any(ch in VIETNAMESE_LETTERS for ch in "".join(tokens).lower())
    middle_word = len(tokens) >= 3 and _fold(tokens[1]) in VIETNAMESE_MIDDLE_NAMES
    if not (marked or middle_word):
        return None
    return _Parts(
        given=tokens[-1],
        middle=tokens[1:-1],
        family=[tokens[0]],
        family_first=True,
        order_certain=marked,
    )


def _listed_family_first(tokens: list[str]) -> _Parts | None:
    """'Nagy Péter', 'Tanaka Hiroshi', 'Wang Wei': order guessed from lists of common names."""
    if len(tokens) not in (2, 3):
        return None
    first, last = _fold(tokens[0]), _fold(tokens[-1])
    if first in HUNGARIAN_FAMILIES and last in HUNGARIAN_GIVEN:
        family_first = last not in HUNGARIAN_FAMILIES
    elif first in EAST_ASIAN_FAMILIES:
        family_first = last not in EAST_ASIAN_FAMILIES
    else:
        return None
    if family_first:
        return _Parts(
            given=tokens[-1],
            middle=tokens[1:-1],
            family=[tokens[0]],
            family_first=True,
            order_certain=False,
        )
    parts = _given_first(tokens, "latin")
    parts.order_certain = False
    return parts


def _given_first(tokens: list[str], script: str) -> _Parts:
    start = next(
        (i for i in range(1, len(tokens) - 1) if tokens[i].lower() in PARTICLES), len(tokens) - 1
    )
    if start == len(tokens) - 1 and len(tokens) >= 3 and _fold(tokens[-2]) in IBERIAN_FAMILIES:
        start = len(tokens) - 2
    elif start == len(tokens) - 1 and len(tokens) >= 4 and tokens[-2] in ("y", "e"):
        # 'José Ortega y Gasset': the conjunction joins two family names.
        start = len(tokens) - 3
    particles, family = _split_particles(tokens[start:])
    return _Parts(
        given=tokens[0], middle=tokens[1:start], particles=particles, family=family, script=script
    )


def _split_particles(tokens: list[str]) -> tuple[list[str], list[str]]:
    index = 0
    while index < len(tokens) - 1 and tokens[index].lower() in PARTICLES:
        index += 1
    return tokens[:index], tokens[index:]


def _display_case(token: str) -> str:
    """'MÜLLER' → 'Müller', 'O'CONNOR' → 'O'Connor'; other spellings are kept as written."""
    if not (token.isupper() and len(_letters(token)) > 1):
        return token
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), token.lower())


def _latin(written: list[str], script: str, given: str, family: str) -> str:
    """The name in Latin letters, word by word in the order it was written."""
    if script == "kana" or script == "han" and len(family + given) > 3:
        # Kana, or more characters than a Chinese name has: Japanese.
        return " ".join(japanese_reading(w).capitalize() for w in (family, given) if w)
    if script in ("han", "hangul"):
        family_latin = (
            korean_family(family, "customary") or "".join(syllables(family))
        ).capitalize()
        given_latin = "".join(syllables(given)).capitalize()
        return " ".join(w for w in (family_latin, given_latin) if w)
    words = [w.lower() if w.lower() in PARTICLES else _display_case(w) for w in written]
    if script == "latin":
        return " ".join(words)
    return " ".join("-".join(to_ascii(p).capitalize() for p in w.split("-")) for w in words)


def _finish(
    parts: _Parts,
    written: list[str],
    original: str,
    prefixes: tuple[str, ...],
    suffixes: tuple[str, ...],
    nickname: str,
) -> PersonName:
    all_upper = all(t.isupper() for t in [parts.given, *parts.middle, *parts.family] if _letters(t))
    given = _display_case(parts.given).rstrip(".")
    middle = tuple(_display_case(m).rstrip(".") for m in parts.middle)
    family = " ".join(_display_case(f) for f in parts.family)
    particles = " ".join(p.lower() if all_upper or p.isupper() else p for p in parts.particles)
    return PersonName(
        original=original,
        given=given,
        middle=middle,
        family=family,
        particles=particles,
        prefixes=prefixes,
        suffixes=suffixes,
        nickname=nickname,
        script=parts.script,
        family_first=parts.family_first,
        order_certain=parts.order_certain,
        latin=_latin(written, parts.script, given, family),
    )


@dataclass(frozen=True)
class PersonSighting:
    """One person as found on one page or in one import row."""

    name: str
    title: str = ""
    email: str = ""
    linkedin: str = ""
    source: str = ""


@dataclass(frozen=True)
class Person:
    """One person merged from all their sightings; nothing seen is dropped."""

    name: PersonName
    titles: tuple[str, ...]
    emails: tuple[str, ...]
    linkedin: tuple[str, ...]
    sources: tuple[str, ...]
    sightings: tuple[PersonSighting, ...]


def same_person(a: PersonName | str, b: PersonName | str) -> bool:
    """Do two written names denote the same person?

    Titles, diacritics (Müller = Mueller = MULLER), name order and missing or abbreviated middle
    names are ignored; a given name may be abbreviated to its initial.
    """
    a = parse_name(a) if isinstance(a, str) else a
    b = parse_name(b) if isinstance(b, str) else b
    return _same_names(a, _name_key(a), b, _name_key(b))


def _same_names(a: PersonName, key_a: _NameKey, b: PersonName, key_b: _NameKey) -> bool:
    if a.is_empty or b.is_empty:
        return False
    if _keys_match(key_a, key_b):
        return True
    if a.order_certain and b.order_certain:
        return False
    return _keys_match(key_a, _swapped(key_b)) or _keys_match(_swapped(key_a), key_b)


def dedupe_people(sightings: Iterable[PersonSighting]) -> list[Person]:
    """Merge sightings of the same person, in order of first appearance."""
    clusters: list[list[_Sighted]] = []
    for sighting in sightings:
        parsed = parse_name(sighting.name)
        sighted = _Sighted(sighting, parsed, _name_key(parsed), _linkedin_key(sighting.linkedin))
        cluster = next((c for c in clusters if _belongs(sighted, c)), None)
        if cluster is None:
            clusters.append([sighted])
        else:
            cluster.append(sighted)
    return [_merge(cluster) for cluster in clusters]


_NameKey = tuple[str, tuple[str, ...], str]


class _Sighted(NamedTuple):
    """A sighting with its name and profile keyed once, however many it is compared with."""

    sighting: PersonSighting
    name: PersonName
    key: _NameKey
    # The LinkedIn profile as compared ("" without one).
    profile: str


def _key_word(text: str) -> str:
    folded = to_ascii(text)
    for spelled, plain in (("ae", "a"), ("oe", "o"), ("ue", "u"), ("ss", "s")):
        folded = folded.replace(spelled, plain)
    return folded


def _name_key(name: PersonName) -> _NameKey:
    family = korean_family(name.family, "customary") if name.script == "hangul" else None
    return (
        _key_word(name.given),
        tuple(_key_word(m) for m in name.middle),
        _key_word(name.particles) + (family or _key_word(name.family)),
    )


def _swapped(key: _NameKey) -> _NameKey:
    given, middle, family = key
    return family, middle, given


def _keys_match(a: _NameKey, b: _NameKey) -> bool:
    (given_a, middle_a, family_a), (given_b, middle_b, family_b) = a, b
    if family_a != family_b or not given_a or not given_b:
        return False
    if given_a == given_b:
        return all(
            x == y or (min(len(x), len(y)) == 1 and x[:1] == y[:1])
            for x, y in zip(middle_a, middle_b, strict=False)
        )
    if min(len(given_a), len(given_b)) == 1:
        return given_a[0] == given_b[0]
    # 'Hans-Peter Müller' and 'Hans Peter Müller'.
    return given_a + "".join(middle_a) == given_b + "".join(middle_b)


def _linkedin_key(url: str) -> str:
    url = url.strip().lower().split("?")[0].split("#")[0].rstrip("/")
    return re.sub(r"^(https?://)?([a-z]{2,3}\.)?(www\.)?", "", url)


def _belongs(sighted: _Sighted, cluster: list[_Sighted]) -> bool:
    sighting, parsed, profile = sighted.sighting, sighted.name, sighted.profile
    profiles = {s.profile for s in cluster if s.profile}
    if profile and profile in profiles:
        return True
    if profile and profiles:
        return False
    if parsed.is_empty:
        email = sighting.email.strip().lower()
        return bool(email) and any(s.sighting.email.strip().lower() == email for s in cluster)
    return all(
        _same_names(parsed, sighted.key, other.name, other.key)
        for other in cluster
        if not other.name.is_empty
    )


def _richness(name: PersonName) -> tuple[int, int, int, int]:
    return (
        len(name.given) > 1,
        len(name.middle),
        any(ord(ch) > 127 for ch in name.display),
        -sum(ch.isupper() for ch in name.original),
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        if value and value.casefold() not in seen:
            seen[value.casefold()] = value
    return tuple(seen.values())


def _merge(cluster: list[_Sighted]) -> Person:
    sightings = tuple(s.sighting for s in cluster)
    return Person(
        name=max((s.name for s in cluster), key=_richness),
        titles=_unique(s.title.strip() for s in sightings),
        emails=_unique(s.email.strip().lower() for s in sightings),
        linkedin=_unique(s.linkedin.strip() for s in sightings),
        sources=_unique(s.source for s in sightings),
        sightings=sightings,
    )


# Word tables. Lists of names are compared in folded ASCII (Péter → peter).


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and salutations written before a name, compared in lower case.
PREFIX_WORDS = _words(
    """
    arch. avv. dame doktor dott. dott.ssa dr dr. fr. frau herr hr. ing. lady lord madame mag. miss
    mlle mlle. mme mme. monsieur mr mr. mrs mrs. ms ms. mx mx. pd priv.-doz. prof prof. professor
    ra ra. rechtsanwalt rechtsanwältin rev. señor señora sir sr. sra. srta. univ.-prof.
    """
)
# Pieces of dotted degrees ('Dipl.-Ing.', 'Dr. rer. nat.', 'Univ.-Prof.', 'Mag. (FH)').
DEGREE_STEMS = _words(
    """
    agr arch biol chem dent des dipl doz dr em emer eng fh habil hc inf ing iur jun jur kff kfm
    mag math med mult nat oec paed pharm phil phys pol priv prof psych päd rer sc sen soc techn
    theol univ vet
    """
)
# Words that continue a title once one has started: 'Prof. Dr. h. c. mult.'.
TITLE_CONTINUATIONS = _words(
    """
    c dent em emer h habil hc jur med mult nat phil rer vet
    """
)
SUFFIXES = _words(
    """
    b.a. b.eng. b.sc. beng bsc ceng cfa cpa dds dphil dvm esq esq. frcs jr jr. ll.b. ll.m. llb llm
    m.a. m.b.a. m.d. m.eng. m.sc. mba md mdb meng mphil msc ph.d ph.d. phd pmp sr sr.
    """
)
# Suffixes that are only suffixes in capitals ('Ma' and 'Ba' are family names).
UPPER_SUFFIXES = _words("BA BS II III IV MA MD MS PE")
ROMAN_NUMERALS = _words("ii iii iv vi vii viii")
# Words before a family name that belong to it: 'van der Berg', 'von und zu Liechtenstein'.
PARTICLES = _words(
    """
    't af al av baron baronin ben bin bint da das de degli dei del della delle den den' der di do
    dos du edle edler el freifrau freiherr freiin graf gräfin ibn la le lo prinz prinzessin ritter
    ten ter und van van't vom von zu zum zur
    """
)
PATRONYMIC_ENDINGS = (
    "ович",
    "евич",
    "ьич",
    "овна",
    "евна",
    "ична",
    "инична",
    "ovich",
    "evich",
    "ovna",
    "evna",
    "ichna",
)
COMPOUND_EAST_ASIAN_FAMILIES = _words(
    """
    上官 东方 令狐 公孙 司徒 司馬 司马 夏侯 宇文 尉迟 慕容 欧阳 歐陽 皇甫 端木 諸葛 诸葛 长孙 남궁 독고 선우 제갈 황보
    """
)
VIETNAMESE_FAMILIES = _words(
    """
    bui dang dao dinh do duong ho hoang huynh lam le luu ly mai ngo nguyen pham phan tran trinh
    truong vo vu
    """
)
VIETNAMESE_MIDDLE_NAMES = _words(
    """
    duc hoang huu kim minh ngoc quoc thanh thi van xuan
    """
)
# Letters only Vietnamese uses among Latin alphabets.
VIETNAMESE_LETTERS = frozenset("đơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
HUNGARIAN_FAMILIES = _words(
    """
    antal bakos balazs balog balogh barta biro bodnar boros csizmadia deak dudas farkas fazekas
    feher fekete fodor fulop gal gulyas halasz hegedus hegyi horvath jakab juhasz katona kelemen
    kiraly kis kiss kocsis kovacs kozma lakatos lukacs magyar meszaros molnar nagy nemes nemeth
    olah orban orosz papp pasztor racz simon sipos somogyi szabo szalai szekely szekeres szilagyi
    szucs takacs torok toth varga veres vincze virag
    """
)
HUNGARIAN_GIVEN = _words(
    """
    adam agnes akos andras andrea anita anna attila balazs barbara bela bence boglarka csaba
    daniel david dora edit emese erika erzsebet eszter eva ferenc gabor gabriella gergely gyorgy
    gyula ildiko ilona imre istvan janos jozsef judit julianna karoly katalin kinga klara
    krisztian krisztina lajos laszlo levente magdolna margit maria mark mate melinda mihaly miklos
    monika nikolett noemi norbert orsolya peter petra reka richard rita robert roland sandor
    szabolcs szilvia tamas tibor timea viktor viktoria zoltan zsofia zsolt zsuzsanna
    """
)
# Common family names of China, Korea, Japan and Vietnam as written in Latin letters.
EAST_ASIAN_FAMILIES = _words(
    """
    abe ahn aoki bai bui cai cao chen cheng cho choi cui dang deng ding dong du duan duong endo
    fan fang feng fu fujii fujita fukuda gao gong goto gu guo han hao hasegawa hashimoto hayashi
    he hoang hong hou hu huang huynh hwang ikeda inoue ishii ishikawa ito jang jeon jeong jia
    jiang jin jung kang kato kim kimura kobayashi kondo kwon lee lei li liang liao lim lin liu
    long lu luo ma mao matsuda matsumoto meng miura mori murakami nakagawa nakamura ngo nguyen
    nishimura ogawa oh okada okamoto ota pan park peng pham phan qian qin qiu ren ryu saito
    sakamoto sasaki sato seo shao shen shi shimizu shin song su sun suzuki takahashi tan tanaka
    tang tao tian tran wan wang watanabe wu xia xiao xie xiong xu xue yamada yamaguchi yamamoto
    yamazaki yan yang yao ye yin yoo yoon yoshida yu yuan zeng zhang zhao zheng zhong zhou zhu zou
    """
)
# Common Spanish and Portuguese family names: a second-to-last word from this list starts a
# double family name ('Gabriel García Márquez').
IBERIAN_FAMILIES = _words(
    """
    aguilar almeida alonso alvarez alves araujo barbosa blanco cano cardoso carvalho castillo
    castro chavez contreras correia cortes costa cruz delgado dias diaz dominguez fernandes
    fernandez ferreira figueroa flores garcia garrido gil gomes gomez gonzalez guerrero gutierrez
    guzman hernandez herrera iglesias jimenez leon lima lopez lozano marin martin martinez martins
    medina mendes mendez mendoza molina morales moreira moreno munoz nascimento navarro nunez
    oliveira ortega ortiz pena pereira perez prieto ramirez ramos reyes ribeiro rios rocha
    rodrigues rodriguez rojas romero rubio ruiz salazar sanchez santos sanz serrano silva soto
    sousa souza suarez teixeira torres vargas vazquez vega
    """
)
