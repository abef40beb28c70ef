"""The truth agrees with the pages: every published, extractable address can be read off its page,
images of addresses hide them, patterns produce the addresses, and the facts appear on the site.

The decoders here are written from the disguises' descriptions, independently of the generator.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

import pytest
from anyascii import anyascii

from coldflow.sandbox.world import World
from coldflow.sandbox.world.model import Company, Page

AT = r"\s*(?:@|&#64;|[\[\(]\s*(?:at|ät)\s*[\]\)]|\bat\b)\s*"
DOT = r"\s*(?:\.|[\[\(]\s*(?:dot|punkt)\s*[\]\)]|\b(?:dot|punkt)\b)\s*"
PATTERNS = {
    "first.last": "{f}.{l}",
    "flast": "{fi}{l}",
    "first": "{f}",
    "firstlast": "{f}{l}",
    "f.last": "{fi}.{l}",
    "first_last": "{f}_{l}",
    "last.first": "{l}.{f}",
    "lastf": "{l}{fi}",
    "first.l": "{f}.{li}",
    "last": "{l}",
    "first-last": "{f}-{l}",
}


def page_of(world: World, url: str) -> Page:
    parts = urlsplit(url)
    return world.sites[parts.hostname].pages[parts.path]


def page_text(world: World, company: Company, url: str) -> str:
    """The page's markup as characters, entities decoded."""
    return html.unescape(page_of(world, url).body.decode(company.encoding))


def readable_addresses(text: str) -> str:
    """Everything a scraper could decode: the text itself, Cloudflare's data-cfemail, reversed
    strings assembled by scripts, and JSON-LD."""
    found = [text]
    for encoded in re.findall(r'data-cfemail="([0-9a-f]+)"', text):
        key = int(encoded[:2], 16)
        found.append(
            "".join(chr(int(encoded[i : i + 2], 16) ^ key) for i in range(2, len(encoded), 2))
        )
    for reversed_text in re.findall(r'data-r="([^"]+)"', text):
        found.append(reversed_text[::-1])
    for local, domain in re.findall(r'var u="([^"]+)", d="([^"]+)"', text):
        found.append(f"{local}@{domain}")
    return "\n".join(found)


def address_regex(address: str) -> re.Pattern[str]:
    local, domain = address.split("@")
    pieces = DOT.join(re.escape(p) for p in local.split("."))
    return re.compile(pieces + AT + DOT.join(re.escape(p) for p in domain.split(".")), re.I)


def json_ld_emails(text: str) -> set[str]:
    emails: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("email"), str):
                emails.add(node["email"].removeprefix("mailto:"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
        walk(json.loads(block))
    return emails


def published(world: World):
    for company in world.companies:
        for person in company.people:
            if person.published_on:
                yield company, person.address, person.published_on, person.disguise
        for generic in company.generic_addresses:
            yield company, generic.address, generic.published_on, generic.disguise


def test_every_extractable_address_can_be_read_off_its_page(world: World) -> None:
    checked = 0
    for company, address, url, disguise in published(world):
        if disguise == "image":
            continue
        text = page_text(world, company, url)
        if disguise == "jsonld":
            assert address in json_ld_emails(text), (address, url)
        else:
            assert address_regex(address).search(readable_addresses(text)), (address, url)
        checked += 1
    assert checked > 100


def test_addresses_shown_as_images_are_not_in_the_page_text(world: World) -> None:
    images = 0
    for company, address, url, disguise in published(world):
        if disguise != "image":
            continue
        text = page_text(world, company, url)
        assert not address_regex(address).search(readable_addresses(text))
        assert address not in json_ld_emails(text)
        for src in re.findall(r'<img src="(/assets/img/[^"]+)"', text):
            image = world.sites[company.host].pages[src]
            assert image.content_type == "image/png"
            assert image.body.startswith(b"\x89PNG\r\n\x1a\n")
            images += 1
    assert images > 0


def test_unextractable_addresses_are_exactly_the_images(world: World) -> None:
    for company in world.companies:
        for person in company.people:
            expected = person.published_on is not None and person.disguise != "image"
            assert person.extractable is expected


def name_part(name: str, umlauts: str) -> str:
    lowered = name.lower()
    if umlauts == "expand":
        for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            lowered = lowered.replace(umlaut, spelled)
    return re.sub(r"[^a-z0-9-]", "", anyascii(lowered).lower())


def test_every_address_follows_its_company_pattern(world: World) -> None:
    for company in world.companies:
        template = PATTERNS[company.email_pattern]
        for person in company.people:
            first = name_part(person.name.given, company.umlauts)
            last = name_part(person.name.family, company.umlauts)
            local = template.format(f=first, l=last, fi=first[0], li=last[0])
            assert person.address == f"{local}@{company.domain}"


def test_german_companies_mostly_spell_out_umlauts(world: World) -> None:
    german = [c for c in world.companies if c.language == "de"]
    assert sum(c.umlauts == "expand" for c in german) > len(german) / 2
    assert any(c.umlauts == "strip" for c in german)


def test_every_person_is_listed_with_their_title(world: World) -> None:
    for company in world.companies:
        for person in company.people:
            text = page_text(world, company, person.listed_on)
            assert person.name.full in text and person.title in text, person.name.full


def test_deliverable_addresses_are_the_mail_servers_mailboxes(world: World) -> None:
    for company in world.companies:
        policy = world.mail.domains[company.domain]
        assert policy.has_mx is company.has_mx
        assert policy.catch_all is company.catch_all
        for person in company.people:
            local = person.address.split("@")[0]
            assert (local in policy.mailboxes) is person.deliverable
            assert (local in policy.bounce_after_accept) is person.bounces_after_accept


def test_only_deliverable_people_answer_and_referrals_name_colleagues(world: World) -> None:
    for company in world.companies:
        colleagues = {p.address: p for p in company.people if p.deliverable}
        for person in company.people:
            behaviour = world.mail.prospects.get(person.address)
            assert (behaviour is not None) is person.deliverable
            if behaviour is None:
                continue
            assert behaviour.kind == person.reply
            if behaviour.kind == "referral":
                assert behaviour.referral_email in colleagues
                assert behaviour.referral_email != person.address
            if behaviour.kind == "out_of_office":
                assert behaviour.return_date > world.reference_date


# What a fingerprinting tool looks for, per technology.
FINGERPRINTS = {
    "WordPress": "wp-content",
    "TYPO3": "TYPO3",
    "Wix": "Wix.com",
    "Squarespace": "squarespace",
    "Webflow": "Webflow",
    "Google Analytics": "googletagmanager.com/gtag/js",
    "Google Tag Manager": "GTM-",
    "Matomo": "matomo.js",
    "Plausible": "plausible.io",
    "Hotjar": "static.hotjar.com",
    "Facebook Pixel": "fbevents.js",
    "LinkedIn Insight Tag": "snap.licdn.com",
    "HubSpot": "js.hs-scripts.com",
    "Salesforce Pardot": "pardot.com",
    "Pipedrive": "pipedrive.com",
    "Intercom": "widget.intercom.io",
    "Drift": "js.driftt.com",
    "Zendesk": "zdassets.com",
    "Tawk.to": "embed.tawk.to",
    "Crisp": "client.crisp.chat",
    "Shopify": "cdn.shopify.com",
    "WooCommerce": "plugins/woocommerce",
    "Magento": "Magento",
    "Stripe": "js.stripe.com",
    "PayPal": "paypal.com/sdk",
    "Cookiebot": "consent.cookiebot.com",
    "Usercentrics": "usercentrics.eu",
    "Mailchimp": "chimpstatic.com",
    "Calendly": "assets.calendly.com",
    "Cloudflare": "/cdn-cgi/",
}


def test_posts_roles_and_technologies_appear_on_the_site(world: World) -> None:
    used = set()
    for company in world.companies:
        for post in company.posts:
            text = page_text(world, company, post.url)
            assert post.title in text and post.published.isoformat() in text
        if company.open_roles:
            careers = page_text(world, company, company.url(company.paths.careers))
            assert all(role in careers for role in company.open_roles)
        home_path = "/start" if "redirect_chain" in company.hostile else "/"
        home = page_text(world, company, company.url(home_path))
        for name in company.technologies:
            assert FINGERPRINTS[name] in home, (name, company.domain)
            used.add(name)
    assert len(used) >= 20


@pytest.mark.parametrize(
    "case",
    [
        "redirect_chain",
        "redirect_loop",
        "server_error",
        "huge_page",
        "broken_html",
        "latin1_header",
        "cp1252_meta",
        "undeclared_encoding",
        "private_links",
        "prompt_injection",
        "script_name",
    ],
)
def test_each_hostile_case_is_really_on_its_site(world: World, case: str) -> None:
    company = next(c for c in world.companies if case in c.hostile)
    pages = world.sites[company.host].pages
    home = pages.get("/")
    if case == "redirect_chain":
        hops, path = 0, "/"
        while pages[path].status in (301, 302):
            path = urlsplit(dict(pages[path].headers)["Location"]).path
            hops += 1
        assert hops == 3 and pages[path].status == 200
    elif case == "redirect_loop":
        first = pages[company.paths.careers]
        second = pages[urlsplit(dict(first.headers)["Location"]).path]
        assert urlsplit(dict(second.headers)["Location"]).path == company.paths.careers
    elif case == "server_error":
        assert pages[company.paths.blog].status == 500
    elif case == "huge_page":
        assert len(pages["/products"].body) >= 5 * 1024 * 1024
    elif case == "latin1_header":
        assert home.content_type == "text/html; charset=iso-8859-1"
        assert b"charset" not in home.body[:400].lower()
        assert "ä".encode("latin-1") in home.body or "ü".encode("latin-1") in home.body
    elif case == "cp1252_meta":
        assert home.content_type == "text/html"
        assert b"windows-1252" in home.body
        assert "„".encode("cp1252") in home.body
    elif case == "undeclared_encoding":
        assert home.content_type == "text/html"
        assert b"charset" not in home.body.lower()
        assert "„".encode("cp1252") in home.body
    elif case == "private_links":
        assert b"http://169.254.169.254/latest/meta-data/" in home.body
        assert b"http://10.0.0.1/admin" in home.body
        assert f"intranet.{company.domain}".encode() in pages["/sitemap.xml"].body or any(
            f"intranet.{company.domain}".encode() in p.body
            for path, p in pages.items()
            if path.endswith("sitemap.xml")
        )
    elif case == "broken_html":
        team = pages[company.paths.team].body.lower()
        assert b"stray cell" in team and b"</body>" not in team and b"</html>" not in team
    elif case == "prompt_injection":
        assert "Ignore previous instructions" in page_text(
            world, company, company.url(company.paths.about)
        )
    elif case == "script_name":
        assert "<script>alert(1)</script>" in company.name
        # The site itself escapes its name; a scraper that decodes it gets the raw text back.
        assert b"<script>alert(1)</script>" not in home.body
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in home.body
