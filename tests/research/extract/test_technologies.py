"""Technology fingerprints from script sources, generator tags, inline scripts and markup."""

from __future__ import annotations

import re

import pytest

from coldflow.research.extract import extract_page
from coldflow.research.extract.technologies import _required_literals
from coldflow.research.extract.technology_signatures import SIGNATURES, Signature


def _technologies(html: str) -> dict[str, str]:
    return {t.name: t.category for t in extract_page(html, "https://acme.de/").technologies}


@pytest.mark.parametrize(
    ("html", "name"),
    [
        (
            '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>',
            "Google Analytics",
        ),
        (
            "<script>(function(w,d,s,l,i){})(window,document,'script','dataLayer','GTM-K7D2M4Q');</script>",
            "Google Tag Manager",
        ),
        ("<script>var _paq = window._paq || []; _paq.push(['trackPageView']);</script>", "Matomo"),
        (
            '<script defer data-domain="acme.de" src="https://plausible.io/js/script.js"></script>',
            "Plausible",
        ),
        ('<script src="//js-eu1.hs-scripts.com/123.js"></script>', "HubSpot"),
        ("<script>piAId = '1001'; piCId = '2002';</script>", "Salesforce Pardot"),
        ("<script>Munchkin.init('123-ABC-456');</script>", "Marketo"),
        ('<script>window.intercomSettings = {app_id: "x"};</script>', "Intercom"),
        ('<script src="https://js.driftt.com/include/123/abc.js"></script>', "Drift"),
        (
            '<script id="ze-snippet" src="https://static.zdassets.com/ekr/snippet.js?key=x"></script>',
            "Zendesk",
        ),
        ('<script>window.CRISP_WEBSITE_ID="x";</script>', "Crisp"),
        ("<script>var Tawk_API=Tawk_API||{};</script>", "Tawk.to"),
        (
            '<link rel="preconnect" href="https://cdn.shopify.com"><div class="shopify-section">x</div>',
            "Shopify",
        ),
        ('<body class="woocommerce-page">x</body>', "WooCommerce"),
        (
            '<script type="text/x-magento-init">{}</script><div data-mage-init="{}">x</div>',
            "Magento",
        ),
        ('<meta name="generator" content="WordPress 6.4.2">', "WordPress"),
        ('<meta name="generator" content="Wix.com Website Builder">', "Wix"),
        (
            '<link href="https://static1.squarespace.com/static/x/site.css" rel="stylesheet">',
            "Squarespace",
        ),
        ('<html data-wf-page="64f1" data-wf-site="64e0"><p>x</p></html>', "Webflow"),
        ('<script src="https://js.stripe.com/v3/"></script>', "Stripe"),
        ('<script src="https://www.paypal.com/sdk/js?client-id=x"></script>', "PayPal"),
        ("<script>(function(h,o,t,j,a,r){h._hjSettings={hjid:1};})(window);</script>", "Hotjar"),
        ('<script>analytics.load("AbC123");</script>', "Segment"),
        (
            '<script defer src="https://static.cloudflareinsights.com/beacon.min.js"></script>',
            "Cloudflare",
        ),
        ('<div id="root" data-reactroot="">x</div>', "React"),
        (
            '<script id="__NEXT_DATA__" type="application/json">{}</script><script src="/_next/static/chunks/main.js"></script>',
            "Next.js",
        ),
        ('<div data-v-7ba5bd90 class="x">x</div>', "Vue.js"),
        ("<script>window.__NUXT__={}</script>", "Nuxt"),
    ],
)
def test_it_recognises_each_listed_technology(html: str, name: str) -> None:
    assert name in _technologies(html)


def test_it_reports_evidence_and_where_it_was_found() -> None:
    (technology,) = extract_page(
        '<script src="https://js.stripe.com/v3/"></script>', "https://acme.de/"
    ).technologies
    assert (technology.name, technology.category, technology.evidence, technology.method) == (
        "Stripe",
        "payment",
        "js.stripe.com",
        "script_src",
    )


def test_a_plain_page_shows_no_technologies() -> None:
    assert (
        _technologies(
            "<html><body><p>We use WordPress? No. We sell shops, not Shopify.</p></body></html>"
        )
        == {}
    )


def test_every_signature_pattern_compiles_and_names_a_known_place() -> None:
    places = {"script_src", "link_href", "generator", "inline", "html"}
    for signature in SIGNATURES:
        assert signature.where in places, signature
        # Patterns are lower-cased before matching lower-cased pages.
        assert not re.search(r"\\[SWDBAZ]", signature.pattern), signature
        re.compile(signature.pattern)


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"static\.hotjar\.com", ("static.hotjar.com",)),
        (r"gtag\(\s*['\"]config|\bga\(\s*['\"]create", ("gtag(", "ga(")),
        (r"jquery(?:[.-]\d[\w.]*)?(?:\.min)?\.js", ("jquery",)),
        (r"data-v-[0-9a-f]{8}\b|vue(?:\.min)?\.js", ("data-v-", "vue")),
        (r"cdn\.segment\.(?:com|io)/x|a(?:b|c)", ()),
        (r"jimdos?\.com", ("jimdo",)),
        (r"^WordPress", ()),
        (r"Wix\.com", ("wix.com",)),
    ],
)
def test_the_literal_prefilter_takes_only_what_every_match_starts_with(
    pattern: str, literals: tuple[str, ...]
) -> None:
    signature = Signature("X", "analytics", "html", pattern)
    assert _required_literals(signature) == literals
