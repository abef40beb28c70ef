"""Vetting addresses: normalisation, syntax, and the false positives pages are full of."""

from __future__ import annotations

import pytest

from coldflow.research.extract.email_address import (
    acceptable_address,
    address_from_mailto,
    addresses_in,
)


def test_it_normalises_case_and_a_mailto_prefix() -> None:
    assert (
        acceptable_address("MAILTO:Anna.Schmidt@Acme-Robotics.CO.UK")
        == "anna.schmidt@acme-robotics.co.uk"
    )


@pytest.mark.parametrize(
    "candidate",
    ["logo@2x.png", "hero@3x.webp", "sprite@1.5x.svg", "icon@2x.jpg", "bundle@1.2.3.js"],
)
def test_it_rejects_image_and_asset_file_names(candidate: str) -> None:
    assert acceptable_address(candidate) is None


@pytest.mark.parametrize(
    "candidate",
    [
        "john.doe@example.com",
        "info@example.org",
        "anna@beispiel.de",
        "you@yourcompany.com",
        "hello@yourdomain.co.uk",
        "email@email.com",
        "hello@company.com",
        "max.mustermann@musterfirma.de",
        "name@acme.de",
        "firstname.lastname@acme.de",
    ],
)
def test_it_rejects_example_and_placeholder_addresses(candidate: str) -> None:
    assert acceptable_address(candidate) is None


@pytest.mark.parametrize(
    "candidate",
    [
        "4f2a9c1e7b3d4e5f8a9b0c1d2e3f4a5b@o123456.ingest.sentry.io",
        "605a7baede844d278b89dc95ae0a9123@sentry-next.wixpress.com",
        "bounces+4815162342@em1234.sendgrid.net",
        "noreply@acme.de",
        "no-reply@vendor-mailer.com",
        "do-not-reply@acme.de",
        "mailer-daemon@acme.de",
        "git@github.com",
    ],
)
def test_it_rejects_tracking_and_infrastructure_addresses(candidate: str) -> None:
    assert acceptable_address(candidate) is None


@pytest.mark.parametrize(
    "candidate",
    [
        "sales@acme.c0m",
        "info@acme.comm",
        "a@localhost",
        "x@acme.local",
        "x@acme.test",
        "a..b@acme.de",
        "-a@-acme.de",
    ],
)
def test_it_rejects_malformed_domains_and_local_parts(candidate: str) -> None:
    assert acceptable_address(candidate) is None


def test_it_accepts_internationalised_domains_and_long_public_suffixes() -> None:
    assert acceptable_address("info@müller-bau.de") == "info@müller-bau.de"
    assert acceptable_address("kontakt@stadtwerke.bayern") == "kontakt@stadtwerke.bayern"


def test_it_finds_addresses_in_text_without_swallowing_surrounding_words() -> None:
    text = "Mail: anna.schmidt@acme.de. Next line@home and \\u003emax@acme.de, (info@acme.co.uk)"
    assert addresses_in(text) == ["anna.schmidt@acme.de", "max@acme.de", "info@acme.co.uk"]


def test_it_reads_every_address_of_a_mailto_link_and_ignores_the_query() -> None:
    href = "mailto:anna%40acme.de,%20max@acme.de?subject=Hello%20there&cc=boss@acme.de"
    assert address_from_mailto(href) == ["anna@acme.de", "max@acme.de"]
