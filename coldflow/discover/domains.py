"""Registrable domains and the sites that are not prospects.

A company is known by its registrable domain: the part of a host name a company can register,
one label under the public suffix (`shop.acme.co.uk` → `acme.co.uk`). The public suffix list
is tldextract's snapshot shipped inside the package: nothing is fetched and nothing is cached
on disk. Domains come back in their ASCII form (`müller.de` → `xn--mller-kva.de`), so the two
spellings of one name deduplicate.

Noise is a search hit that names a directory, marketplace, social network, news site, job
board or encyclopedia rather than a company: known sites come from a bundled list, unknown
ones are recognised by the shape of the URL and the title ("Top 10 … companies in …").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

import idna
import tldextract

_EXTRACT = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)
_MAX_INPUT = 2048
_SPACE = re.compile(r"\s")
# scheme://authority, or //authority
_AUTHORITY = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)")
_PATH_START = re.compile(r"[/?#]")
# IPv4 in any of its spellings (127.1, 0x7f.1) and other all-numeric names.
_NUMERIC_HOST = re.compile(r"[0-9.]+|0x[0-9a-f.x]+")
_HOST = re.compile(r"(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)*(?!-)[a-z0-9-]{1,63}(?<!-)")


@lru_cache(maxsize=65536)
def registrable_domain(url_or_host: str) -> str | None:
    """`https://www.Acme.co.uk/about` → `acme.co.uk`; also takes a bare host or an email address.

    None for what cannot be a company's site: IP addresses, localhost, names without a known
    public suffix, a public suffix alone, and anything malformed."""
    host = _host_of(url_or_host)
    return _registrable_host(host) if host else None


def _host_of(text: str) -> str | None:
    """The host name in a URL, a bare host (with path or port) or an email address."""
    text = text.strip()
    if not text or len(text) > _MAX_INPUT or _SPACE.search(text):
        return None
    match = _AUTHORITY.match(text)
    if match:
        authority = match[1]
    else:
        if "@" in text and "/" not in text:
            text = text.rpartition("@")[2]
        authority = _PATH_START.split(text, maxsplit=1)[0]
    authority = authority.rpartition("@")[2]
    if authority.startswith("["):
        # An IPv6 literal.
        return None
    return authority.partition(":")[0].rstrip(".").lower() or None


@lru_cache(maxsize=65536)
def _registrable_host(host: str) -> str | None:
    if _NUMERIC_HOST.fullmatch(host):
        return None
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            return None
    if len(host) > 253 or not _HOST.fullmatch(host):
        return None
    parts = _EXTRACT(host)
    if not parts.suffix or not parts.domain:
        return None
    return parts.top_domain_under_public_suffix


def display_domain(domain: str) -> str:
    """`xn--mller-kva.de` → `müller.de`, for messages; unchanged when it cannot be decoded."""
    try:
        return idna.decode(domain)
    except (idna.IDNAError, UnicodeError):
        return domain


def split_domain(domain: str) -> tuple[str, str]:
    """`acme.co.uk` → (`acme`, `co.uk`): the registered label and its public suffix."""
    parts = _EXTRACT(domain)
    return parts.domain, parts.suffix


@dataclass(frozen=True, slots=True)
class NoiseVerdict:
    # directory, marketplace, social_network, news, job_board or reference
    category: str
    # Shown to the user as the filter reason: "job board: indeed.com is a known job board".
    reason: str


@dataclass(frozen=True)
class _NoiseList:
    by_domain: dict[str, str]
    by_brand: dict[str, str]
    labels: dict[str, str]


@cache
def _noise_list() -> _NoiseList:
    raw = tomllib.loads(_data_text("noise_domains.toml"))
    by_domain: dict[str, str] = {}
    by_brand: dict[str, str] = {}
    labels: dict[str, str] = {}
    for category, entry in raw.items():
        labels[category] = entry["label"]
        for name in entry["domains"]:
            if name.endswith(".*"):
                by_brand.setdefault(name.removesuffix(".*"), category)
                continue
            domain = registrable_domain(name)
            if domain is None:
                raise ValueError(f"noise_domains.toml: {name!r} is not a registrable domain")
            by_domain.setdefault(domain, category)
    return _NoiseList(by_domain, by_brand, labels)


def _data_text(name: str) -> str:
    return resources.files("coldflow.discover").joinpath("data", name).read_text("utf-8")


def known_noise_category(domain: str) -> str | None:
    """The category of a registrable domain on the bundled list, or None."""
    noise = _noise_list()
    category = noise.by_domain.get(domain)
    if category is None:
        category = noise.by_brand.get(split_domain(domain)[0])
    return category


def noise_label(category: str) -> str:
    """`job_board` → `job board`."""
    return _noise_list().labels.get(category, category.replace("_", " "))


def common_noise_domains(language: str | None) -> tuple[str, ...]:
    """The handful of noise sites worth excluding in the query itself (`-site:linkedin.com`),
    for searches in this language. Everything else is filtered after the search."""
    shared = ("linkedin.com", "facebook.com", "wikipedia.org", "indeed.com")
    if language == "de":
        return (*shared, "xing.com", "gelbeseiten.de", "stepstone.de", "kununu.com")
    return (*shared, "yelp.com", "glassdoor.com", "crunchbase.com", "yellowpages.com")


# Title shapes of listings: rankings, "best of" pages and directory entries.
_LISTING_TITLES = re.compile(
    r"(?ix)"
    r"\b(top|best)[\s-]+\d{1,3}\b"  # "Top 10", "best 25"
    r"|\b\d{1,3}\s+(best|top|leading|biggest|largest)\b"  # "10 best", "25 leading"
    r"|^\s*(the\s+)?best\s+\S.*\b(in|near)\b"  # "THE BEST Logistics in Hamburg"
    r"|\bdie\s+(\d{1,3}\s+)?(besten|größten|top)\b"  # "Die 10 besten …"
    r"|\btop[\s-]?\d{0,3}\s*[-–]?\s*(liste|ranking)\b"
    r"|\b(list|directory|ranking)\s+of\b"
    r"|\b(branchenbuch|firmenverzeichnis|branchenverzeichnis|firmenliste|anbieterliste)\b"
    r"|\badressen\s+und\s+telefonnummern\b|\badressen\s*&\s*telefonnummern\b"
    r"|\bnear\s+me\b|\bin\s+der\s+nähe\b"
    r"|\b(companies|firms|agencies|businesses|suppliers|manufacturers|providers|vendors)"
    r"\s+(in|near|around)\b"
    # German singular and plural often look alike ("Anbieter"); only true plurals count.
    r"|\b(firmen|betriebe|agenturen|kanzleien|praxen)\s+(in|im|aus|bei)\b"
)
# Registered names of listing and comparison sites. Narrow on purpose: a word like "ranking"
# or "career" also names real companies (an SEO agency, a recruiter).
_LISTING_HOST_WORDS = re.compile(r"top\d+|bestof|besten|verzeichnis|branchen|directory|vergleich")
_JOB_HOST_WORDS = re.compile(
    r"(^|[-.])jobs?([-.]|$)|jobboerse|jobbörse|stellenmarkt|stellenangebote|stellenanzeigen"
)
_JOB_PATHS = re.compile(
    r"/(cmp|company|companies|employer|employers|firma|unternehmen|arbeitgeber)/[^/]+/"
    r"(jobs?|stellen|stellenangebote|karriere)(/|$)"
    r"|/(jobs?/view|viewjob|job-listing|stellenangebot)/",
    re.IGNORECASE,
)
_DATED_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])/")
_NEWS_HOST_WORDS = re.compile(
    r"news|zeitung|daily|times|wire|presse|press|journal|magazin|tribune|herald|gazette"
    r"|kurier|anzeiger|rundschau|tageblatt|nachrichten|wirtschaft|report|post(?=[.-])"
)


def classify_noise(url: str, title: str = "") -> NoiseVerdict | None:
    """Why a search hit is not a prospect, or None when it may be one."""
    domain = registrable_domain(url)
    if domain is None:
        return None
    category = known_noise_category(domain)
    if category is not None:
        label = noise_label(category)
        return NoiseVerdict(category, f"{label}: {display_domain(domain)} is a known {label}")
    return _by_shape(url, domain, title[:500])


def _by_shape(url: str, domain: str, title: str) -> NoiseVerdict | None:
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path[:500]
    registered = display_domain(split_domain(domain)[0])
    shown = display_domain(domain)
    if _LISTING_HOST_WORDS.search(registered):
        return NoiseVerdict(
            "directory", f"business directory: {shown} is named like a listing site"
        )
    if _JOB_HOST_WORDS.search(registered):
        return NoiseVerdict("job_board", f"job board: {shown} is named like a job board")
    if _JOB_PATHS.search(path):
        return NoiseVerdict(
            "job_board", f"job board: {_shorten(host + path, 100)} is a job listing"
        )
    if _DATED_PATH.search(path) and _NEWS_HOST_WORDS.search(registered):
        return NoiseVerdict("news", f"news site: a dated article on {shown}")
    if _LISTING_TITLES.search(title):
        shown_title = _shorten(" ".join(title.split()), 80)
        return NoiseVerdict(
            "directory", f"business directory: the title reads like a list ({shown_title!r})"
        )
    return None


def _shorten(text: str, limit: int) -> str:
    """Reasons are stored in a column of 200 characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cache
def free_mail_domains() -> frozenset[str]:
    """Mailbox providers for private persons (gmail.com, web.de …)."""
    lines = _data_text("free_mail_domains.txt").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )
