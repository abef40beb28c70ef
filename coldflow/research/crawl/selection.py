"""Page selection: score each link by its text and URL, then pick the best page of each kind."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from coldflow.research.crawl.links import Link
from coldflow.research.crawl.page_kinds import (
    KEYWORDS,
    NEGATIVE_WORDS,
    WANTED_KINDS,
    PageKind,
    fold_words,
)
from coldflow.research.crawl.site_scope import same_site

_PAGE_EXTENSIONS = (".html", ".htm", ".php", ".asp", ".aspx", ".jsp", ".shtml")
_LANGUAGE_SEGMENT = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$")
# Below this a link only shares a word with a kind by accident (a blog post under /blog/…).
_MIN_SCORE = 20.0
# Keywords are phrases of up to this many words; a text matches one when it holds its words in a
# row, so comparing the text's word runs of that length with the keyword sets finds them all.
_LONGEST_KEYWORD = max(len(k.split()) for words in KEYWORDS.values() for k in words)


@dataclass(frozen=True, slots=True)
class Candidate:
    url: str
    kind: PageKind
    score: float


# Sites repeat their navigation on every page, so the same links come back on each.
@lru_cache(maxsize=8192)
def classify_link(url: str, text: str) -> Candidate | None:
    """The kind of page a link most likely leads to, with a score, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segments = _path_segments(parts.path)
    if segments is None:
        return None
    words = fold_words(text)
    if _mentions_negative(words) or any(_mentions_negative(s) for s in segments):
        return None
    # Under /blog/ or /news/, a page is a post, whatever it mentions ("New in the team: …").
    in_blog = any(s in KEYWORDS[PageKind.BLOG] for s in segments[:-1])
    text_runs = _word_runs(words)
    last_runs = _word_runs(segments[-1]) if segments else frozenset()
    best: Candidate | None = None
    for kind in WANTED_KINDS:
        if in_blog and kind != PageKind.BLOG:
            continue
        keywords = KEYWORDS[kind]
        score = _text_score(words, text_runs, keywords) + _url_score(segments, last_runs, keywords)
        if score <= 0:
            continue
        score -= 4 * max(0, len(segments) - 1) + (10 if parts.query else 0)
        if score >= _MIN_SCORE and (best is None or score > best.score):
            best = Candidate(url, kind, score)
    return best


def rank_candidates(
    links: Iterable[Link], *, site: str, exclude: Iterable[str] = ()
) -> list[Candidate]:
    """Candidates on the same site, best first, one per URL (trailing slashes ignored)."""
    seen = {url_key(url) for url in exclude}
    best_by_url: dict[str, Candidate] = {}
    for link in links:
        key = url_key(link.url)
        if key in seen or not same_site(link.url, site):
            continue
        candidate = classify_link(link.url, link.text)
        if candidate is None:
            continue
        current = best_by_url.get(key)
        if current is None or candidate.score > current.score:
            best_by_url[key] = candidate
    return sorted(best_by_url.values(), key=lambda c: -c.score)


def choose_pages(
    candidates: Iterable[Candidate],
    *,
    slots: int,
    kinds: Iterable[PageKind] = WANTED_KINDS,
    attempted: Iterable[str] = (),
) -> list[Candidate]:
    """The best candidate of each wanted kind, in WANTED_KINDS order, at most `slots`."""
    skip = {url_key(url) for url in attempted}
    best: dict[PageKind, Candidate] = {}
    for candidate in candidates:
        if url_key(candidate.url) in skip:
            continue
        current = best.get(candidate.kind)
        if current is None or candidate.score > current.score:
            best[candidate.kind] = candidate
    wanted = set(kinds)
    chosen = [best[kind] for kind in WANTED_KINDS if kind in wanted and kind in best]
    return chosen[: max(0, slots)]


def url_key(url: str) -> str:
    """Two URLs with the same key are the same page for the crawl's bookkeeping."""
    return url.rstrip("/").lower()


def _path_segments(path: str) -> list[str] | None:
    """Folded path segments without language prefixes; None for a file that is not a page."""
    raw = [unquote(s) for s in path.split("/") if s]
    if raw:
        last = raw[-1].lower()
        for extension in _PAGE_EXTENSIONS:
            if last.endswith(extension):
                raw[-1] = raw[-1][: -len(extension)]
                break
        else:
            if re.search(r"\.[a-z0-9]{2,5}$", last):
                return None
    return [fold_words(s) for s in raw if not _LANGUAGE_SEGMENT.match(s.lower())]


def _word_runs(words: str) -> frozenset[str]:
    """Every run of up to _LONGEST_KEYWORD consecutive words."""
    split = words.split()
    return frozenset(
        " ".join(split[start : start + length])
        for length in range(1, _LONGEST_KEYWORD + 1)
        for start in range(len(split) - length + 1)
    )


def _text_score(words: str, runs: frozenset[str], keywords: frozenset[str]) -> float:
    if not words:
        return 0.0
    if words in keywords:
        return 100.0
    matches = keywords & runs
    if not matches:
        return 0.0
    longest = max(len(k.split()) for k in matches)
    # Every word beyond the keyword makes the text more a sentence that merely mentions it.
    return 60.0 - 8 * (len(words.split()) - longest)


def _url_score(segments: list[str], last_runs: frozenset[str], keywords: frozenset[str]) -> float:
    if not segments:
        return 0.0
    if segments[-1] in keywords:
        return 40.0
    if not keywords.isdisjoint(last_runs):
        return 25.0
    if any(s in keywords for s in segments[:-1]):
        return 15.0
    return 0.0


def _mentions_negative(words: str) -> bool:
    return any(word in NEGATIVE_WORDS for word in words.split())
