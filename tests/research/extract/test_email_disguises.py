"""Writing disguised addresses back plainly: [at]/(at)/{at}/(ät), [dot]/(punkt), spelled-out
words, spaces around @, Cloudflare's XOR encoding, Joomla's base64 cloak."""

from __future__ import annotations

import pytest

from coldflow.research.extract import extract_page
from coldflow.research.extract.cloudflare_email import decode_cfemail, decode_protection_href
from coldflow.research.extract.email_address import addresses_in
from coldflow.research.extract.email_disguises import undisguise


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("anna [at] acme [dot] de", "anna@acme.de"),
        ("anna(at)acme(dot)co(dot)uk", "anna@acme.co.uk"),
        ("anna {at} acme {dot} de", "anna@acme.de"),
        ("anna <at> acme <dot> de", "anna@acme.de"),
        ("anna (ät) acme (punkt) de", "anna@acme.de"),
        ("anna[ät]acme[punkt]de", "anna@acme.de"),
        ("anna [AT] acme [DOT] de", "anna@acme.de"),
        ("anna[@]acme[.]de", "anna@acme.de"),
        ("recrutement [at] atelier-lumiere [point] fr", "recrutement@atelier-lumiere.fr"),
        ("ana (arroba) empresa (punto) es", "ana@empresa.es"),
        ("info [chiocciola] studio [punto] it", "info@studio.it"),
        ("jan [at] bakkerij [punt] nl", "jan@bakkerij.nl"),
        ("claire [arobase] atelier [point] fr", "claire@atelier.fr"),
        ("anna [at] acme.de", "anna@acme.de"),
        ("Anna at acme dot com", "anna@acme.com"),
        ("anna AT acme DOT co DOT uk.", "anna@acme.co.uk"),
        ("max.mueller at nordwind-logistik punkt de", "max.mueller@nordwind-logistik.de"),
        ("anna @ acme.de", "anna@acme.de"),
        ("anna@ acme.de", "anna@acme.de"),
        ("anna (at) acme . de", "anna@acme.de"),
        ("callum dot harris at alvex dot com", "callum.harris@alvex.com"),
        ("dclarke-evans @ hughes-labs . io", "dclarke-evans@hughes-labs.io"),
        ("kowalczyk(at)graz-grundbesitz(punkt)at.stray cell", "kowalczyk@graz-grundbesitz.at"),
    ],
)
def test_it_writes_disguised_addresses_plainly(text: str, address: str) -> None:
    assert addresses_in(undisguise(text)) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Meet us at acme.com today",
        "We are at the fair in hall 4",
        "Follow @acme on X",
        "Price: 10 (at) most",
    ],
)
def test_it_leaves_ordinary_prose_without_addresses(text: str) -> None:
    assert addresses_in(undisguise(text)) == []


def test_text_glued_to_an_address_by_broken_markup_is_cut_off() -> None:
    assert addresses_in("anna@acme.de.Weiter zum Team") == ["anna@acme.de"]
    assert addresses_in("anna@acme.co.uk") == ["anna@acme.co.uk"]


def test_it_decodes_cloudflare_data_cfemail() -> None:
    # Key 0x5a; each byte of "anna@acme.de" XOR 0x5a.
    encoded = "5a" + "".join(f"{b ^ 0x5A:02x}" for b in b"anna@acme.de")
    assert decode_cfemail(encoded) == "anna@acme.de"


def test_it_decodes_cloudflare_protection_links() -> None:
    encoded = "a1" + "".join(f"{b ^ 0xA1:02x}" for b in b"max@acme.at")
    assert decode_protection_href(f"/cdn-cgi/l/email-protection#{encoded}") == "max@acme.at"
    assert decode_protection_href("/cdn-cgi/l/email-protection") is None


@pytest.mark.parametrize("encoded", ["", "zz12", "5a", "5a3", "5a" + "ff" * 3])
def test_it_returns_nothing_for_broken_cloudflare_values(encoded: str) -> None:
    assert decode_cfemail(encoded) is None


def test_it_reads_joomlas_cloaked_addresses_and_ignores_broken_ones() -> None:
    html = (
        '<p>Email: <joomla-hidden-mail is-link="1" is-email="1" first="aW5mbw==" '
        'last="cml2ZXJiZW5kLm9yZw==" text="aW5mb0ByaXZlcmJlbmQub3Jn" base="">This email '
        "address is being protected from spambots.</joomla-hidden-mail></p>"
        '<p><joomla-hidden-mail first="!!" last="cml2ZXJiZW5kLm9yZw==">x</joomla-hidden-mail></p>'
    )
    emails = extract_page(html, "https://www.riverbend.org/contact").emails
    assert [(e.address, e.method) for e in emails] == [("info@riverbend.org", "joomla_cloak")]
