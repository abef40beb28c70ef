"""The plain data the world generator produces and the sandbox servers serve."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from coldflow.sandbox.mail_world import MailWorld, ReplyKind, SenderMailbox

Seniority = Literal["owner", "c_level", "vp", "head", "manager", "staff"]
Department = Literal[
    "sales", "marketing", "engineering", "operations", "finance", "hr", "customer_success", "other"
]
Disguise = Literal[
    "mailto",
    "plain",
    "at_brackets",
    "at_parens",
    "at_words",
    "at_umlaut",
    "spaced",
    "entities",
    "cfemail",
    "javascript",
    "image",
    "jsonld",
    "microdata",
]
Layout = Literal["cards", "table", "definition_list", "paragraphs", "jsonld", "microdata"]
Theme = Literal["modern", "bootstrap", "legacy"]
Encoding = Literal["utf-8", "iso-8859-1", "windows-1252"]
# Where a page states its character set: HTTP header, <meta>, both, or nowhere.
CharsetDeclaration = Literal["header", "meta", "both", "none"]
Caching = Literal["etag", "last_modified", "both", "none"]
NoiseKind = Literal["directory", "social", "news", "job_board", "marketplace"]

# The sandbox serves plain HTTP only (there are no certificates on loopback), so every link,
# redirect and search result says http:// and a fetcher that maps port 80 reaches it without TLS.
SITE_SCHEME = "http"

# Disguises a text extractor cannot undo: the address is only in an image.
UNEXTRACTABLE_DISGUISES: frozenset[str] = frozenset({"image"})


def site_url(host: str, path: str = "/") -> str:
    return f"{SITE_SCHEME}://{host}{path}"


@dataclass(frozen=True)
class PersonName:
    given: str
    family: str
    # As published, possibly with an academic title or suffix ("Dr. Anna Weber").
    full: str
    gender: Literal["f", "m"]


@dataclass(frozen=True)
class Person:
    name: PersonName
    title: str
    title_normalised: str
    seniority: Seniority
    department: Department
    address: str
    # URL of the page whose markup names the person with their title.
    listed_on: str
    # URL of the page publishing the address, None when it is published nowhere.
    published_on: str | None
    disguise: Disguise | None
    deliverable: bool
    bounces_after_accept: bool
    linkedin: str | None
    reply: ReplyKind

    @property
    def extractable(self) -> bool:
        return self.published_on is not None and self.disguise not in UNEXTRACTABLE_DISGUISES


@dataclass(frozen=True)
class GenericAddress:
    """A role address such as info@ or jobs@, published on the site."""

    address: str
    published_on: str
    disguise: Disguise

    @property
    def extractable(self) -> bool:
        return self.disguise not in UNEXTRACTABLE_DISGUISES


@dataclass(frozen=True)
class Post:
    title: str
    published: date
    url: str


@dataclass(frozen=True)
class SitePaths:
    about: str
    team: str
    contact: str
    imprint: str | None
    careers: str
    blog: str


@dataclass(frozen=True)
class Company:
    index: int
    name: str
    domain: str
    # The canonical host: the domain itself or www.<domain>; the other one redirects to it.
    host: str
    industry: str
    country: str
    city: str
    language: Literal["en", "de"]
    size: str
    employees: int
    founded: int
    description: str
    street_address: str
    phone: str
    technologies: tuple[str, ...]
    open_roles: tuple[str, ...]
    posts: tuple[Post, ...]
    people: tuple[Person, ...]
    generic_addresses: tuple[GenericAddress, ...]
    email_pattern: str
    # How the company turns umlauts into address characters: "expand" (ü → ue) or "strip" (ü → u).
    umlauts: Literal["expand", "strip"]
    catch_all: bool
    greylist: bool
    has_mx: bool
    null_mx: bool
    paths: SitePaths
    layout: Layout
    theme: Theme
    encoding: Encoding
    charset_declared: CharsetDeclaration
    caching: Caching
    robots_disallow: tuple[str, ...]
    # Hostile cases this company carries (see world/hostile.py).
    hostile: tuple[str, ...]
    keywords: tuple[str, ...]

    def url(self, path: str = "/") -> str:
        return site_url(self.host, path)


@dataclass(frozen=True)
class Page:
    status: int
    body: bytes
    # The Content-Type header; "text/html" without a charset is how an undeclared page looks.
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    # Seconds before the response headers are sent.
    delay_seconds: float = 0.0
    # Seconds over which the body is sent in pieces (a slow body after a fast start).
    drip_seconds: float = 0.0


@dataclass(frozen=True)
class Site:
    host: str
    pages: dict[str, Page]
    not_found: Page | None = None
    # An alias host answers every path with a 301 to the same path on this host.
    redirect_to: str | None = None
    caching: Caching = "none"
    last_modified: datetime | None = None


@dataclass(frozen=True)
class NoisePage:
    url: str
    kind: NoiseKind
    title: str
    # The company the page is about or lists first, if any.
    about_domain: str | None


@dataclass(frozen=True)
class SearchDocument:
    url: str
    title: str
    content: str
    # Everything the ranking looks at.
    text: str
    language: Literal["en", "de"]
    kind: Literal["company", "directory", "social", "news", "job_board", "marketplace"]
    published: date | None = None


@dataclass(frozen=True)
class DnsRecord:
    name: str
    rtype: Literal["A", "MX", "TXT", "NS"]
    value: str
    # Only for MX.
    preference: int = 0


@dataclass(frozen=True)
class DnsZoneData:
    zones: tuple[str, ...]
    records: tuple[DnsRecord, ...]


@dataclass(frozen=True)
class SendingDomain:
    domain: str
    dkim_selector: str
    dkim_private_key_pem: str
    # The TXT value published at <selector>._domainkey.<domain>.
    dkim_public_txt: str
    senders: tuple[SenderMailbox, ...]


@dataclass(frozen=True)
class World:
    seed: int
    reference_date: date
    companies: tuple[Company, ...]
    noise: tuple[NoisePage, ...]
    sites: dict[str, Site]
    search_documents: tuple[SearchDocument, ...]
    dns: DnsZoneData
    sending: SendingDomain
    mail: MailWorld = field(default_factory=MailWorld)
