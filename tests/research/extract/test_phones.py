"""Phone numbers: tel: links, labelled numbers in text, structured data; never fax numbers."""

from __future__ import annotations

from coldflow.research.extract import extract_page
from coldflow.research.extract.phones import phone_region


def _phones(html: str, url: str = "https://www.acme.de/") -> list[tuple[str, str, str]]:
    return [(p.number, p.display, p.method) for p in extract_page(html, url).phones]


def test_tel_links_come_first_with_their_visible_text() -> None:
    assert _phones('<a href="tel:+49%2030%201234567">030 123 45 67</a>') == [
        ("+49301234567", "030 123 45 67", "tel_link")
    ]


def test_labelled_national_numbers_use_the_region_of_the_site() -> None:
    html = "<p>Telefon: 07131 / 89 34 0-0<br>Telefax: 07131 / 89 34 0-99<br>Mobil 0171 2345678</p>"
    assert _phones(html) == [
        ("+497131893400", "07131 / 89 34 0-0", "labelled_text"),
        ("+491712345678", "0171 2345678", "labelled_text"),
    ]
    assert _phones("<p>Tel: 0113 496 0718</p>", "https://acme.co.uk/") == [
        ("+441134960718", "0113 496 0718", "labelled_text")
    ]


def test_unlabelled_digits_are_not_phone_numbers_unless_international_and_valid() -> None:
    html = "<p>HRB 108234 · USt-IdNr. DE 812 345 678 · Stand 03.02.2024 · 12345678</p><p>+41 52 212 34 56</p>"
    assert _phones(html) == [("+41522123456", "+41 52 212 34 56", "international_text")]


def test_labels_with_words_between_and_in_other_languages() -> None:
    html = '<html lang="en-US"><p>Call us: (512) 458-2231</p><p>Ph: 206-632-4470</p></html>'
    assert [n for n, _, _ in _phones(html, "https://www.acme.com/")] == [
        "+15124582231",
        "+12066324470",
    ]
    assert [n for n, _, _ in _phones("<p>Tél. 01 42 68 53 00</p>", "https://a.fr/")] == [
        "+33142685300"
    ]


def test_line_labels_and_direct_dial_labels_count() -> None:
    html = '<html lang="en-US"><p>Need help reading? Call our tutor line: (614) 467-2290</p>'
    assert [n for n, _, _ in _phones(html, "https://www.acme.com/")] == ["+16144672290"]
    assert [n for n, _, _ in _phones("<p>Direkt: 026 321 45 61</p>", "https://a.ch/")] == [
        "+41263214561"
    ]
    html = "<p>Tel. +34 963 52 18 40 · WhatsApp 611 48 22 95</p>"
    assert [n for n, _, _ in _phones(html, "https://a.es/")] == ["+34963521840", "+34611482295"]
    # A word ending in "line" is no label.
    assert _phones("<p>Online seit 2019: 0171 2345678</p><p>Deadline: 0171 2345679</p>") == []


def test_a_number_alone_on_its_line_in_national_form_is_taken_if_valid() -> None:
    html = (
        "<p>claire [at] atelier [point] fr<br>06 12 48 77 03</p>"
        "<p>2019 – 2023</p><p>01.01.2024 – 31.12.2024</p><p>0000 000 000</p>"
    )
    assert _phones(html, "https://www.atelier.fr/") == [
        ("+33612487703", "06 12 48 77 03", "national_text")
    ]


def test_the_markup_can_say_a_bare_number_is_a_phone_number() -> None:
    html = (
        '<html lang="en-US"><div><span id="et-info-phone">(512) 458-2231</span></div>'
        '<p class="h-card"><span class="p-tel">(512) 458-2299</span></p>'
        "<table><tr><th>Name</th><th>Phone</th><th>Order no.</th></tr>"
        "<tr><td>Ann Li</td><td>512-458-2240</td><td>512-458-2250</td></tr></table>"
        "<p>512-458-2260</p></html>"
    )
    assert _phones(html, "https://www.acme.com/") == [
        ("+15124582231", "(512) 458-2231", "labelled_markup"),
        ("+15124582299", "(512) 458-2299", "labelled_markup"),
        ("+15124582240", "512-458-2240", "labelled_markup"),
    ]


def test_structured_data_telephone_is_read() -> None:
    html = '<script type="application/ld+json">{"@type": "Organization", "name": "Acme", "telephone": "+43 1 5267890"}</script>'
    assert _phones(html) == [("+4315267890", "+43 1 5267890", "jsonld")]


def test_the_region_comes_from_country_then_domain_then_language() -> None:
    assert phone_region("acme.com", "en", "GB") == "GB"
    assert phone_region("acme.co.uk", None, None) == "GB"
    assert phone_region("acme.at", "de", None) == "AT"
    assert phone_region("acme.io", "de-ch", None) == "CH"
    assert phone_region("acme.com", "de", None) == "DE"
    assert phone_region("acme.com", None, None) is None
