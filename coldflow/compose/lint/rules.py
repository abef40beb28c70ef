"""The lint rules: plain functions over a draft's subject, plain text and HTML.

Each rule yields findings with a stable id. Errors stop a draft from being queued (a variable
that did not render, no plain-text part, no way to unsubscribe); warnings are advice a person
may overrule (a spam-trigger phrase, a long body, three links).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Literal
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

Severity = Literal["error", "warning"]
# Where a finding was seen: the subject, the plain-text part, the HTML part, or the message.
Part = Literal["subject", "text", "html", "message"]

SUBJECT_MAX_CHARS = 70
BODY_MAX_WORDS = 200
BODY_MIN_WORDS = 20
MAX_LINKS = 2
MAX_IMAGES = 1
# All-caps words this long or longer read as shouting; shorter ones are mostly acronyms.
CAPS_MIN_LETTERS = 5
CAPS_RUN_WORDS = 3
# Well-known acronyms of CAPS_MIN_LETTERS letters or more.
_ACRONYMS = frozenset(
    {"HTTPS", "NASDAQ", "UNESCO", "DSGVO", "NATO", "UNICEF", "SCUBA", "LASER", "RADAR", "COVID"}
)


@dataclass(frozen=True)
class LintFinding:
    rule: str
    severity: Severity
    # Plain words for a user, naming the offending text.
    message: str
    part: Part = "message"
    # The offending text itself, when there is one.
    text: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def has_errors(findings: Iterable[LintFinding]) -> bool:
    return any(f.severity == "error" for f in findings)


def lint_message(
    subject: str, body_text: str, body_html: str = "", *, has_unsubscribe: bool = True
) -> list[LintFinding]:
    """Every finding for one draft, errors first, each (rule, part, text) once.

    `has_unsubscribe` says whether the message will carry an unsubscribe mechanism (the
    sender adds a List-Unsubscribe header to every message, so it is True by default)."""
    html = _read_html(body_html) if body_html.strip() else None
    parts: list[tuple[Part, str]] = [("subject", subject), ("text", body_text)]
    if html is not None:
        parts.append(("html", html.text))
    findings: list[LintFinding] = []
    findings += _structure(subject, body_text, body_html, has_unsubscribe)
    for part, text in parts:
        findings += _unresolved_variables(part, text)
        findings += _empty_variables(part, text)
        findings += _spam_phrases(part, text)
        findings += _all_caps(part, text)
        findings += _punctuation_runs(part, text)
    if html is not None:
        # Variables left in attributes (href="https://{{ domain }}") are not visible text.
        findings += _unresolved_variables("html", " ".join(html.attributes))
    findings += _lengths(subject, body_text if body_text.strip() else (html.text if html else ""))
    findings += _links_and_images(body_text, html)
    return _unique_sorted(findings)


# ---------------------------------------------------------------------------------------------
# Structure


def _structure(
    subject: str, body_text: str, body_html: str, has_unsubscribe: bool
) -> Iterator[LintFinding]:
    if not subject.strip():
        yield LintFinding("empty_subject", "error", "The subject is empty.", "subject")
    if not body_text.strip():
        if body_html.strip():
            yield LintFinding(
                "missing_plain_text",
                "error",
                "There is no plain-text part: send the text as plain text too, not only as HTML.",
                "text",
            )
        else:
            yield LintFinding("empty_body", "error", "The message has no text.", "text")
    if not has_unsubscribe:
        yield LintFinding(
            "missing_unsubscribe",
            "error",
            "There is no way to unsubscribe: no List-Unsubscribe header and no unsubscribe "
            "line in the text.",
        )


_UNSUBSCRIBE_LINE = re.compile(
    r"(?i)\b(?:unsubscribe|opt[- ]?out|abmelden|abbestellen|austragen|abmeldung|"
    r"no longer (?:wish|want) to (?:hear|receive)|(?:nicht mehr|keine (?:weiteren )?)\s*"
    r"(?:e-?mails?|nachrichten) (?:erhalten|bekommen)|reply (?:with )?[\"'“]?stop\b)"
)


def mentions_unsubscribe(text: str) -> bool:
    """Whether a message's text tells the reader how to stop further emails."""
    return bool(_UNSUBSCRIBE_LINE.search(text))


# ---------------------------------------------------------------------------------------------
# Variables

_UNRESOLVED = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"  # Jinja expressions, statements, comments
    r"|\{\{|\}\}|\{%|%\}"  # their halves
    r"|\*\|[A-Za-z0-9_]+\|\*"  # Mailchimp-style merge tags
    r"|%[A-Za-z][A-Za-z0-9_]{1,30}%"  # %FIRSTNAME%
    r"|\$?\{[^{}\n]{0,120}\}"  # {a|b} spintax, {first_name}, ${name}
    r"|\[[^\[\]\n]{1,40}\]"  # [First Name] (checked further below)
)
# fmt: off
_PLACEHOLDER_WORDS = frozenset((
    "name", "firstname", "first", "last", "lastname", "surname", "fullname", "company",
    "companyname", "organisation", "organization", "org", "title", "jobtitle", "city",
    "country", "location", "website", "domain", "industry", "role", "position", "sender",
    "recipient", "prospect", "lead", "contact", "insert", "placeholder", "email", "phone",
    "vorname", "nachname", "firma", "unternehmen", "stadt", "anrede", "branche",
))
# fmt: on


def _is_placeholder(bracketed: str) -> bool:
    inner = bracketed[1:-1].strip()
    if not re.fullmatch(r"[^\W\d]+(?:[ _-][^\W\d]+){0,3}", inner):
        return False
    if re.fullmatch(r"[A-Z]+(?:_[A-Z]+)+", inner):
        return True
    words = re.split(r"[ _-]", inner.casefold())
    return any(word in _PLACEHOLDER_WORDS for word in words) or "".join(words) in (
        _PLACEHOLDER_WORDS
    )


def _unresolved_variables(part: Part, text: str) -> Iterator[LintFinding]:
    for match in _UNRESOLVED.finditer(text):
        found = match.group()
        if found.startswith("[") and not _is_placeholder(found):
            continue
        if found.startswith("{") and "|" in found and not found.startswith(("{{", "{%")):
            what = f"Leftover spintax {_quote(found)}"
        else:
            what = f"Unresolved variable {_quote(found)}"
        yield LintFinding(
            "unresolved_variable", "error", f"{what} in the {_PART_NAMES[part]}.", part, found
        )


# A variable that rendered as nothing leaves a gap: "Hi ," / "Hi  there" / "at 's blog" / "()".
_EMPTY_VARIABLE = re.compile(
    r"[^\W\d_][^\S\n]+[,;]"
    r"|[^\W\d_][^\S\n]{2,}[^\W\d_]"
    r"|(?<!\S)['’]s\b"
    r"|\([^\S\n]*\)"
    r"|^[^\S\n]*[,;]",
    re.MULTILINE,
)


def _empty_variables(part: Part, text: str) -> Iterator[LintFinding]:
    for match in _EMPTY_VARIABLE.finditer(text):
        context = _around(text, match.start(), match.end())
        yield LintFinding(
            "empty_variable",
            "error",
            f"A variable seems to have rendered empty near {_quote(context)} in the "
            f"{_PART_NAMES[part]}.",
            part,
            context,
        )


# ---------------------------------------------------------------------------------------------
# Words


@cache
def spam_phrases() -> tuple[str, ...]:
    """The bundled spam-trigger phrases (English and German)."""
    source = resources.files("coldflow.compose.lint").joinpath("spam_phrases.txt")
    lines = source.read_text(encoding="utf-8").splitlines()
    return tuple(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


@cache
def _spam_pattern() -> re.Pattern[str]:
    # Longest first, so "100% free" wins over a shorter phrase inside it.
    phrases = sorted(spam_phrases(), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _spam_phrases(part: Part, text: str) -> Iterator[LintFinding]:
    for match in _spam_pattern().finditer(_normalise_apostrophes(text)):
        found = " ".join(text[match.start() : match.end()].split())
        yield LintFinding(
            "spam_phrase",
            "warning",
            f"Spam-trigger phrase {_quote(found)} in the {_PART_NAMES[part]}.",
            part,
            found,
        )


def _normalise_apostrophes(text: str) -> str:
    # Same length, so match positions still point into the original.
    return text.replace("’", "'")


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _all_caps(part: Part, text: str) -> Iterator[LintFinding]:
    words = list(_WORD.finditer(text))
    run: list[re.Match[str]] = []
    for match in [*words, None]:
        word = match.group() if match else ""
        if match and len(word) >= 2 and word.isupper():
            run.append(match)
            continue
        shouting = [
            m for m in run if len(m.group()) >= CAPS_MIN_LETTERS and m.group() not in _ACRONYMS
        ]
        if len(run) >= CAPS_RUN_WORDS or shouting:
            found = text[run[0].start() : run[-1].end()]
            yield LintFinding(
                "all_caps",
                "warning",
                f"All-caps text {_quote(found)} in the {_PART_NAMES[part]} reads as shouting.",
                part,
                found,
            )
        run = []


_PUNCTUATION_RUN = re.compile(r"!{2,}|\?{2,}|[!?]{3,}|[$€£]{2,}")


def _punctuation_runs(part: Part, text: str) -> Iterator[LintFinding]:
    for match in _PUNCTUATION_RUN.finditer(text):
        yield LintFinding(
            "punctuation_run",
            "warning",
            f"Punctuation run {_quote(match.group())} in the {_PART_NAMES[part]}.",
            part,
            match.group(),
        )


# ---------------------------------------------------------------------------------------------
# Size, links and images


def _lengths(subject: str, body: str) -> Iterator[LintFinding]:
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_MAX_CHARS:
        yield LintFinding(
            "too_long",
            "warning",
            f"The subject {_quote(_shorten(subject))} has {len(subject)} characters; keep it "
            f"under {SUBJECT_MAX_CHARS}.",
            "subject",
            subject,
        )
    words = len(_WORD.findall(body))
    if words > BODY_MAX_WORDS:
        yield LintFinding(
            "too_long",
            "warning",
            f"The body has {words} words; cold emails that get answers stay under "
            f"{BODY_MAX_WORDS}.",
            "text",
        )
    elif 0 < words < BODY_MIN_WORDS:
        yield LintFinding(
            "too_short",
            "warning",
            f"The body has only {words} words; say who you are and why you write "
            f"(at least {BODY_MIN_WORDS} words).",
            "text",
        )


_TEXT_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'\])]+")
_UNSUBSCRIBE_URL = re.compile(r"(?i)unsubscribe|abmelden|opt-?out|/u/")


def _links_and_images(body_text: str, html: _Html | None) -> Iterator[LintFinding]:
    links: dict[str, str] = {}
    for match in _TEXT_URL.finditer(body_text):
        url = match.group().rstrip(".,;:!?")
        links.setdefault(_link_key(url), url)
    if html is not None:
        for url, label in html.links:
            if _UNSUBSCRIBE_URL.search(label):
                continue
            links.setdefault(_link_key(url), url)
    counted = [url for url in links.values() if not _UNSUBSCRIBE_URL.search(url)]
    if len(counted) > MAX_LINKS:
        listed = ", ".join(counted[:5]) + (", …" if len(counted) > 5 else "")
        yield LintFinding(
            "too_many_links",
            "warning",
            f"{len(counted)} links ({listed}); at most {MAX_LINKS} keep a cold email "
            "out of the spam folder.",
            "message",
            listed,
        )
    if html is not None and len(html.images) > MAX_IMAGES:
        yield LintFinding(
            "too_many_images",
            "warning",
            f"{len(html.images)} images in the HTML part; at most {MAX_IMAGES} "
            "(cold emails read best as plain text).",
            "html",
            ", ".join(html.images[:5]),
        )


def _link_key(url: str) -> str:
    if url.lower().startswith("www."):
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}"


# ---------------------------------------------------------------------------------------------
# HTML


@dataclass(frozen=True)
class _Html:
    text: str
    # (href, link text) of every http(s) link
    links: list[tuple[str, str]]
    # src of every image
    images: list[str]
    # every attribute value, for variables left in them
    attributes: list[str]


def _read_html(markup: str) -> _Html:
    tree = LexborHTMLParser(markup)
    for node in tree.css("style, script, head"):
        node.decompose()
    links = [
        (href.strip(), a.text(separator=" ", strip=True))
        for a in tree.css("a[href]")
        if (href := a.attributes.get("href") or "").strip().lower().startswith(("http", "www."))
    ]
    images = [img.attributes.get("src") or "" for img in tree.css("img")]
    attributes = [
        value for node in tree.css("*") for value in node.attributes.values() if value is not None
    ]
    root = tree.body or tree.root
    text = root.text(separator="\n") if root is not None else ""
    text = "\n".join(" ".join(line.split()) for line in text.splitlines())
    return _Html(text, links, images, attributes)


# ---------------------------------------------------------------------------------------------

_PART_NAMES: dict[Part, str] = {
    "subject": "subject",
    "text": "plain text",
    "html": "HTML part",
    "message": "message",
}


def _quote(text: str) -> str:
    return f"“{_shorten(text)}”"


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()) if "\n" in text else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _around(text: str, start: int, end: int, reach: int = 20) -> str:
    """The gap with a few words either side of it, on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    left = text[max(line_start, start - reach) : start]
    right = text[end : min(line_end, end + reach)]
    if start - reach > line_start and " " in left:
        left = left[left.index(" ") + 1 :]
    if end + reach < line_end and " " in right:
        right = right[: right.rindex(" ")]
    return (left + text[start:end] + right).strip()


_SEVERITY_ORDER = {"error": 0, "warning": 1}


def _unique_sorted(findings: list[LintFinding]) -> list[LintFinding]:
    # The HTML part usually repeats the plain text: a phrase found in both is one finding.
    seen: dict[tuple[str, str, str], LintFinding] = {}
    for finding in findings:
        where = "body" if finding.part in ("text", "html") else finding.part
        seen.setdefault((finding.rule, where, finding.text), finding)
    return sorted(seen.values(), key=lambda f: _SEVERITY_ORDER[f.severity])
