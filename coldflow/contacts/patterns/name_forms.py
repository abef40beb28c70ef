"""The spellings of one person's name that a company might put into an address.

A style is one choice per spelling question (umlauts written out or stripped, which parts of a
double family name, particles kept or dropped, one initial or one per name part...). Most names
raise only some of the questions: "Anna Berg" raises none, "Jürgen Meyer-Schulz" two. Only the
questions a name raises are enumerated, so a plain name costs one rendering per template.

Names may also have been written in the other order than we parsed them ("Wang Wei" for Wei
Wang); `swapped` renders the given name as family name and the other way round.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from functools import cached_property

from coldflow.contacts.names import COMPOUND_EAST_ASIAN_FAMILIES, PersonName
from coldflow.contacts.patterns.templates import SEPARATOR_MARK, Template, present_pieces, render
from coldflow.contacts.patterns.transliteration import (
    CYRILLIC_STYLES,
    DIACRITIC_STYLES,
    KOREAN_STYLES,
    LONG_VOWEL_STYLES,
    has_cyrillic,
    has_hangul,
    has_non_ascii_latin,
    japanese_reading,
    japanese_words,
    korean_family,
    syllables,
    to_ascii,
)

STYLE_CHOICES: dict[str, tuple[str, ...]] = {
    "diacritics": DIACRITIC_STYLES,
    "cyrillic": CYRILLIC_STYLES,
    "korean": KOREAN_STYLES,
    # Hyphenated given names: "hanspeter", "hans", "hans-peter", "hans.peter".
    "given_compound": ("join", "first_part", "hyphen", "separator"),
    # Double family names: "meyerschulz", "meyer-schulz", "meyer", "meyer.schulz", "schulz".
    "family_compound": ("join", "hyphen", "first_part", "separator", "last_part"),
    "particles": ("keep", "drop"),
    # "hp" or "h" for Hans-Peter; "zd" or "z" for Zedong.
    "initials": ("first", "all"),
    # Robert "Bob" Smith: bob.smith or robert.smith.
    "nickname": ("unused", "used"),
    # Anna Maria Schmidt: a second given name that belongs to the first (annamaria.schmidt).
    "middle_name": ("separate", "joined"),
    # 林健太 read as Chinese (lin jiantai) or Japanese (hayashi kenta).
    "han_reading": ("chinese", "japanese"),
    "long_vowels": LONG_VOWEL_STYLES,
}
DEFAULT_STYLE = {question: choices[0] for question, choices in STYLE_CHOICES.items()}
# The spelling questions each token depends on.
_SCRIPT_QUESTIONS = ("diacritics", "cyrillic", "korean", "han_reading", "long_vowels")
_TOKEN_QUESTIONS = {
    "first": (*_SCRIPT_QUESTIONS, "given_compound", "nickname", "middle_name"),
    "f": (*_SCRIPT_QUESTIONS, "initials", "nickname", "middle_name"),
    "middle": ("diacritics", "cyrillic", "middle_name"),
    "m": ("diacritics", "cyrillic", "middle_name"),
    "last": (*_SCRIPT_QUESTIONS, "family_compound", "particles"),
    "l": (*_SCRIPT_QUESTIONS, "family_compound", "particles"),
}
_CONNECTORS = frozenset({"y", "e"})  # 'Ortega y Gasset'
_EAST_ASIAN = ("han", "kana", "hangul")
# Chinese names have two or three characters (four with a two-character family name like 欧阳):
# longer names in Chinese characters, and any with kana, are Japanese.
_LONGEST_CHINESE_NAME = 3

Assignment = tuple[tuple[str, str], ...]


class NameForms:
    """All spellings of one parsed name, rendered through templates."""

    def __init__(self, name: PersonName) -> None:
        self.name = name
        self._tokens_cache: dict[tuple[bool, Assignment], dict[str, str | None]] = {}
        self._values_cache: dict[bool, dict[str, dict[str, list[Assignment]]]] = {}

    @cached_property
    def can_swap(self) -> bool:
        return bool(self.name.given and self.name.family and not self.name.particles)

    @cached_property
    def questions(self) -> tuple[str, ...]:
        """The spelling questions whose answer can change this name's tokens."""
        name = self.name
        text = " ".join((name.given, *name.middle, name.particles, name.family))
        given, family = self._part_counts(name.given), self._part_counts(name.family)
        if self.can_swap:
            # Swapped, the given name is spelled as a family name and the other way round.
            given = family = (max(given[0], family[0]), given[1] or family[1])
        raised = {
            "diacritics": has_non_ascii_latin(text),
            "cyrillic": has_cyrillic(text),
            "korean": has_hangul(name.family)
            and korean_family(name.family, "customary") is not None,
            "given_compound": given[1] or bool(name.middle),
            "family_compound": family[1] or bool(name.particles),
            "particles": bool(name.particles),
            "initials": given[0] > 1 or bool(name.middle),
            "nickname": bool(name.nickname),
            "middle_name": bool(name.middle),
            "han_reading": self._reading_unclear,
            "long_vowels": self._may_be_japanese
            and any(
                japanese_reading(raw, "spelled") != japanese_reading(raw, "short")
                for raw in (name.given, name.family)
                if raw and not raw.isascii()
            ),
        }
        return tuple(question for question in STYLE_CHOICES if raised[question])

    @cached_property
    def _reading_unclear(self) -> bool:
        """Chinese characters only, and few enough to be a Chinese name."""
        name = self.name
        short = len(name.given + name.family) <= _LONGEST_CHINESE_NAME
        return name.script == "han" and (short or name.family in COMPOUND_EAST_ASIAN_FAMILIES)

    @cached_property
    def _may_be_japanese(self) -> bool:
        return self.name.script in ("han", "kana")

    @cached_property
    def _unspaced_words(self) -> tuple[str, ...]:
        """The words of a name written in Chinese characters without a space, if it has two."""
        name = self.name
        written = name.family + name.given
        if not self._may_be_japanese or not name.given or written not in name.original:
            return ()
        words = japanese_words(written)
        return words if len(words) >= 2 else ()

    def _japanese(self, style: Mapping[str, str]) -> bool:
        if not self._may_be_japanese:
            return False
        return not self._reading_unclear or style["han_reading"] == "japanese"

    def _part_counts(self, raw: str) -> tuple[int, bool]:
        """(number of parts, whether they are joined in more than one way) for a name part."""
        if not raw:
            return 0, False
        if self.name.script in _EAST_ASIAN and not raw.isascii():
            return len(syllables(raw)), False
        parts = len(_latin_parts(raw, DEFAULT_STYLE))
        return parts, parts > 1

    def renderings(self, template: Template, swapped: bool) -> Iterator[tuple[str, Assignment]]:
        """Each local part the template gives, with the answers that produce it."""
        questions = self._questions_for(template)
        for answers in itertools.product(*(STYLE_CHOICES[q] for q in questions)):
            assignment = tuple(zip(questions, answers, strict=True))
            local = render(template, self._tokens(assignment, swapped))
            if local and _is_plausible_local_part(local):
                yield local, assignment

    def matches(self, template: Template, swapped: bool, local: str) -> list[Assignment]:
        """The answers under which the template renders exactly this local part.

        Walks the template piece by piece against the local part instead of rendering every
        combination of answers, which would cost hundreds of renderings for a name like
        "Hans-Peter Müller-Lüdenscheidt".
        """
        table = self._value_table(swapped)
        pieces = present_pieces(template, bool(table["m"]))
        found: list[Assignment] = []

        def walk(index: int, position: int, answers: dict[str, str]) -> None:
            if index == len(pieces):
                if position == len(local):
                    found.append(tuple((q, answers[q]) for q in STYLE_CHOICES if q in answers))
                return
            kind, text = pieces[index]
            if kind == "literal":
                if local.startswith(text, position):
                    walk(index + 1, position + len(text), answers)
                return
            for value, partials in table[text].items():
                value = value.replace(SEPARATOR_MARK, template.separator)
                if not local.startswith(value, position):
                    continue
                for partial in partials:
                    if all(answers.get(q, a) == a for q, a in partial):
                        walk(index + 1, position + len(value), {**answers, **dict(partial)})

        walk(0, 0, {})
        return found

    def _value_table(self, swapped: bool) -> dict[str, dict[str, list[Assignment]]]:
        """For each token: every value it can take, with the answers that give it."""
        if swapped not in self._values_cache:
            table: dict[str, dict[str, list[Assignment]]] = {}
            for token, asked in _TOKEN_QUESTIONS.items():
                questions = [q for q in self.questions if q in asked]
                values: dict[str, list[Assignment]] = {}
                for answers in itertools.product(*(STYLE_CHOICES[q] for q in questions)):
                    partial = tuple(zip(questions, answers, strict=True))
                    value = self._tokens(partial, swapped)[token]
                    if value:
                        values.setdefault(value, []).append(partial)
                table[token] = values
            self._values_cache[swapped] = table
        return self._values_cache[swapped]

    def _questions_for(self, template: Template) -> tuple[str, ...]:
        """The questions this template's tokens depend on: asking others would only repeat."""
        asked = {q for token in template.tokens for q in _TOKEN_QUESTIONS[token]}
        return tuple(q for q in self.questions if q in asked)

    def tokens(self, answers: Mapping[str, str], swapped: bool) -> dict[str, str | None]:
        """Token values under these answers (unanswered questions take the default)."""
        return self._tokens(tuple((q, answers[q]) for q in STYLE_CHOICES if q in answers), swapped)

    def _tokens(self, assignment: Assignment, swapped: bool) -> dict[str, str | None]:
        key = (swapped, assignment)
        if key not in self._tokens_cache:
            self._tokens_cache[key] = self._compute_tokens(
                {**DEFAULT_STYLE, **dict(assignment)}, swapped
            )
        return self._tokens_cache[key]

    def _compute_tokens(self, style: Mapping[str, str], swapped: bool) -> dict[str, str | None]:
        name = self.name
        given_raw, family_raw = name.given, name.family
        if self._japanese(style) and self._unspaced_words:
            # Where a name written without a space splits depends on how it is read.
            family_raw, given_raw = self._unspaced_words[0], "".join(self._unspaced_words[1:])
        if style["nickname"] == "used" and name.nickname:
            given_raw = name.nickname
        if swapped:
            given_raw, family_raw = family_raw, given_raw
        given_parts, syllabic = self._given_parts(given_raw, style)
        family = self._family(family_raw, style)
        middles = [to_ascii(m, style["diacritics"], style["cyrillic"]) for m in name.middle]
        middles = [m for m in middles if m]
        if style["middle_name"] == "joined" and middles and given_parts and not syllabic:
            given_parts, middles = (*given_parts, middles[0]), middles[1:]
        tokens: dict[str, str | None] = dict.fromkeys(("first", "f", "middle", "m", "last", "l"))
        if given_parts:
            compound = "join" if syllabic else style["given_compound"]
            initial_only = len(given_parts) == 1 and len(given_parts[0]) == 1
            tokens["first"] = None if initial_only else _compound(given_parts, compound)
            tokens["f"] = (
                "".join(p[0] for p in given_parts)
                if style["initials"] == "all"
                else given_parts[0][0]
            )
        if middles:
            tokens["middle"], tokens["m"] = middles[0], middles[0][0]
        if family:
            tokens["last"], tokens["l"] = family, family[0]
        return tokens

    def _given_parts(self, raw: str, style: Mapping[str, str]) -> tuple[tuple[str, ...], bool]:
        if self.name.script in _EAST_ASIAN and not raw.isascii():
            if self._japanese(style):
                reading = japanese_reading(raw, style["long_vowels"])
                return ((reading,) if reading else ()), False
            return syllables(raw), True
        return _latin_parts(raw, style), False

    def _family(self, raw: str, style: Mapping[str, str]) -> str:
        if not raw:
            return ""
        if self.name.script in _EAST_ASIAN and not raw.isascii():
            if self._japanese(style):
                return japanese_reading(raw, style["long_vowels"])
            return korean_family(raw, style["korean"]) or "".join(syllables(raw))
        parts = _latin_parts(raw, style)
        if not parts:
            return ""
        core = _compound(parts, style["family_compound"])
        particles = [to_ascii(p, style["diacritics"]) for p in self.name.particles.split()]
        if style["particles"] == "drop" or not particles:
            return core
        joiner = {"separator": SEPARATOR_MARK, "hyphen": "-"}.get(style["family_compound"], "")
        return joiner.join([*particles, core])


def _latin_parts(raw: str, style: Mapping[str, str]) -> tuple[str, ...]:
    words = (w for w in re.split(r"[-\s]+", raw) if w and w.lower() not in _CONNECTORS)
    parts = (to_ascii(w, style["diacritics"], style["cyrillic"]) for w in words)
    return tuple(p for p in parts if p)


def _compound(parts: tuple[str, ...], how: str) -> str:
    if how == "first_part":
        return parts[0]
    if how == "last_part":
        return parts[-1]
    joiner = {"hyphen": "-", "separator": SEPARATOR_MARK}.get(how, "")
    return joiner.join(parts)


_DOUBLED_SEPARATORS = re.compile(r"[._-]{2}")


def _is_plausible_local_part(local: str) -> bool:
    return (
        len(local) <= 64
        and local[0] not in "._-"
        and local[-1] not in "._-"
        and not _DOUBLED_SEPARATORS.search(local)
    )
