"""How companies spell a name inside an email address.

Each function turns one written name part into lower-case ASCII under one spelling convention.
The conventions that really differ between companies are named choices (a "style"): German
umlauts written out (ü → ue) or stripped (ü → u), four ways to romanise Cyrillic, Korean family
names in their customary spelling (Kim, Lee, Park) or in Revised Romanisation (Gim, I, Bak).
Japanese names are read with pykakasi's dictionary (anyascii would read 山田太郎 as Chinese), with
long vowels written three ways (sato, satoh, satou). Everything else (é → e, ß → ss, ł → l, Greek,
Chinese pinyin) has one accepted spelling and goes through anyascii, with a few fixes where
anyascii's choice is not what people write.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from anyascii import anyascii

DIACRITIC_STYLES = ("expand", "strip", "keep")
CYRILLIC_STYLES = ("bgn", "simple", "icao", "german")
KOREAN_STYLES = ("customary", "revised")
# Japanese long vowels: Satō written sato, satou or satoh.
LONG_VOWEL_STYLES = ("short", "oh", "spelled")

# Letters whose written-out form differs from the stripped one (ü → ue vs u).
_EXPANSIONS = {"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa"}

# Cyrillic letters whose spelling differs from anyascii's (which follows BGN/PCGN).
_CYRILLIC = {
    "simple": {"й": "y", "ё": "yo", "ъ": "", "ь": ""},
    "icao": {"й": "i", "ю": "iu", "я": "ia", "ъ": "ie", "ё": "e", "ь": ""},
    "german": {
        "в": "w",
        "й": "j",
        "ё": "jo",
        "ю": "ju",
        "я": "ja",
        "х": "ch",
        "ц": "z",
        "ч": "tsch",
        "ш": "sch",
        "щ": "schtsch",
        "ж": "sch",
        "з": "s",
        "ъ": "",
        "ь": "",
    },
}
# Word endings that each convention shortens: Дмитрий → dmitriy (BGN), dmitry, dmitrii, dmitri.
_CYRILLIC_ENDINGS = {
    "simple": (("ий", "y"), ("ия", "ia")),
    "icao": (("ий", "ii"),),
    "german": (("ий", "i"), ("ия", "ija")),
}

# Greek digraphs anyascii spells letter by letter (ου → oy); people write ou, av, ev.
_GREEK_DIGRAPHS = (
    ("ου", "ou"),
    ("ού", "ou"),
    ("αυ", "av"),
    ("αύ", "av"),
    ("ευ", "ev"),
    ("εύ", "ev"),
)

# Customary spellings of common Korean family names; Revised Romanisation is what anyascii gives.
_KOREAN_FAMILY = {
    "김": "kim",
    "이": "lee",
    "박": "park",
    "최": "choi",
    "정": "jung",
    "강": "kang",
    "조": "cho",
    "윤": "yoon",
    "장": "jang",
    "임": "lim",
    "한": "han",
    "오": "oh",
    "서": "seo",
    "신": "shin",
    "권": "kwon",
    "황": "hwang",
    "안": "ahn",
    "송": "song",
    "류": "ryu",
    "유": "yoo",
    "전": "jeon",
    "홍": "hong",
    "고": "ko",
    "문": "moon",
    "양": "yang",
    "손": "son",
    "배": "bae",
    "백": "baek",
    "허": "heo",
    "노": "noh",
    "남": "nam",
    "심": "shim",
    "하": "ha",
    "곽": "kwak",
    "성": "sung",
    "차": "cha",
    "주": "joo",
    "우": "woo",
    "구": "koo",
    "민": "min",
    "나": "na",
    "진": "jin",
    "지": "ji",
    "엄": "um",
    "변": "byun",
    "채": "chae",
    "원": "won",
    "방": "bang",
    "천": "chun",
    "공": "kong",
    "현": "hyun",
    "함": "ham",
    "여": "yeo",
    "추": "choo",
    "도": "do",
    "석": "seok",
    "선": "sun",
    "설": "seol",
    "길": "gil",
    "표": "pyo",
    "명": "myung",
    "기": "ki",
    "금": "keum",
    "육": "yook",
    "제갈": "jegal",
    "남궁": "namgoong",
    "황보": "hwangbo",
    "선우": "sunwoo",
}

_NON_LETTERS = re.compile(r"[^a-z0-9]+")
# A long vowel, unless the next vowel starts a new syllable (井上 is i-no-ue, not inō-e).
_LONG_VOWEL = re.compile(r"(ou|oo|uu)(?![aeiou])")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_GREEK_LETTER = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")


def has_expandable_letters(text: str) -> bool:
    return any(ch in _EXPANSIONS for ch in text.lower())


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC_LETTER.search(text))


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def has_non_ascii_latin(text: str) -> bool:
    """True for letters like é or ü, which a "keep" style leaves in the address."""
    return any(ord(ch) > 127 and unicodedata.name(ch, "").startswith("LATIN") for ch in text)


@lru_cache(maxsize=65_536)
def to_ascii(text: str, diacritics: str = "strip", cyrillic: str = "bgn") -> str:
    """One name part in lower-case ASCII letters and digits, nothing else."""
    lowered = unicodedata.normalize("NFC", text).lower()
    if diacritics == "keep" and not has_cyrillic(lowered) and not _GREEK_LETTER.search(lowered):
        return "".join(ch for ch in lowered if ch.isalnum())
    if diacritics == "expand":
        lowered = "".join(_EXPANSIONS.get(ch, ch) for ch in lowered)
    if has_cyrillic(lowered) and cyrillic != "bgn":
        lowered = _romanise_cyrillic(lowered, cyrillic)
    if _GREEK_LETTER.search(lowered):
        for digraph, latin in _GREEK_DIGRAPHS:
            lowered = lowered.replace(digraph, latin)
    return _NON_LETTERS.sub("", anyascii(lowered).lower())


def korean_family(text: str, style: str) -> str | None:
    """The customary spelling of a Korean family name, or None to fall back to syllables."""
    if style == "customary":
        return _KOREAN_FAMILY.get(text)
    return None


@lru_cache(maxsize=16_384)
def syllables(text: str) -> tuple[str, ...]:
    """Chinese characters and Hangul blocks romanised one syllable each (泽东 → ze, dong)."""
    parts = (_NON_LETTERS.sub("", anyascii(ch).lower()) for ch in text)
    return tuple(part for part in parts if part)


@lru_cache(maxsize=16_384)
def japanese_reading(text: str, long_vowels: str = "short") -> str:
    """A Japanese name (kanji or kana) in Hepburn romanisation: 佐藤 → sato, satoh or satou."""
    reading = "".join(part["hepburn"] for part in _kakasi().convert(text))
    reading = _NON_LETTERS.sub("", reading.lower())
    if long_vowels == "spelled":
        return reading
    return _LONG_VOWEL.sub(
        lambda m: "oh" if long_vowels == "oh" and m.group(1) != "uu" else m.group(1)[0], reading
    )


@lru_cache(maxsize=16_384)
def japanese_words(text: str) -> tuple[str, ...]:
    """The dictionary words of a Japanese name written without a space: 伊藤健 → 伊藤, 健."""
    return tuple(part["orig"] for part in _kakasi().convert(text) if part["orig"].strip())


@cache
def _kakasi():  # -> pykakasi.kakasi
    # Importing pykakasi and loading its dictionary takes about a second: only once, and only
    # when a Japanese name comes along.
    import pykakasi

    return pykakasi.kakasi()


def _romanise_cyrillic(text: str, style: str) -> str:
    words = []
    for word in text.split():
        for ending, latin in _CYRILLIC_ENDINGS.get(style, ()):
            if word.endswith(ending):
                word = word[: -len(ending)] + latin
        words.append("".join(_CYRILLIC[style].get(ch, ch) for ch in word))
    return " ".join(words)
