"""Known given names: evidence that a capitalised pair of words is a person ("Anna Berg") and
not a heading ("Offene Stellen": German capitalises every noun).

The list is the name dictionary shipped with gender-guesser (about 45,000 given names from
some 50 countries, transliterated where needed).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

_NAME_DICTIONARY = ("gender_guesser", "data/nam_dict.txt")


def has_given_name(name: str) -> bool:
    """True when any word of the name (or a part of a hyphenated word) is a known given name."""
    known = _given_names()
    for word in name.replace("-", " ").split():
        word = word.strip(".,'’").lower()
        if len(word) > 1 and (word in known or _unaccented(word) in known):
            return True
    return False


def _unaccented(word: str) -> str:
    # The dictionary spells many names without their accents ("Elodie" for "Élodie").
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    package, path = _NAME_DICTIONARY
    names = set()
    with resources.files(package).joinpath(path).open(encoding="utf-8") as dictionary:
        for line in dictionary:
            # Lines: gender code, name ("+" joins compound names), then frequency columns;
            # "#" starts a comment, "=" an equivalence between spellings.
            if line[:1] in "#=\r\n":
                continue
            parts = line.split(maxsplit=2)
            if len(parts) >= 2:
                names.update(parts[1].lower().split("+"))
    return frozenset(names)
