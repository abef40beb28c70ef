import os
import subprocess
import sys

import pytest

from coldflow.discover.domains import display_domain, registrable_domain


@pytest.mark.parametrize(
    ("given", "domain"),
    [
        ("https://www.Acme.co.uk/about?x=1", "acme.co.uk"),
        ("acme.de", "acme.de"),
        ("www.acme.de/impressum", "acme.de"),
        ("shop.eu.acme.com", "acme.com"),
        ("http://acme.de:8080/", "acme.de"),
        ("https://user:secret@acme.io/", "acme.io"),
        ("//cdn.acme.io/app.js", "acme.io"),
        ("https://acme.de./", "acme.de"),
        ("anna.schmidt@Acme.DE", "acme.de"),
        ("mailto:anna@acme.de", "acme.de"),
        ("  https://acme.com.au/  ", "acme.com.au"),
        ("https://foo.github.io/", "foo.github.io"),
    ],
)
def test_it_reduces_addresses_to_the_registrable_domain(given: str, domain: str) -> None:
    assert registrable_domain(given) == domain


def test_international_names_come_back_in_their_ascii_form() -> None:
    assert registrable_domain("https://www.Müller-Söhne.de/") == "xn--mller-shne-kcb9d.de"
    assert registrable_domain("xn--mller-shne-kcb9d.de") == "xn--mller-shne-kcb9d.de"
    assert display_domain("xn--mller-shne-kcb9d.de") == "müller-söhne.de"


@pytest.mark.parametrize(
    "given",
    [
        "http://127.0.0.1/",
        "10.0.0.5",
        "http://0x7f.1/",
        "https://[::1]/",
        "localhost",
        "http://printer.localhost/",
        "intranet",
        "acme.test",
        "acme.internal",
        "co.uk",
        "-acme-.de",
        "acme_corp.de",
        "acme .de",
        "",
        "https://",
        "a" * 64 + ".de",
        "x." * 130 + "de",
        "https://" + "a" * 3000 + ".de",
    ],
)
def test_it_rejects_what_cannot_be_a_company_site(given: str) -> None:
    assert registrable_domain(given) is None


def test_the_public_suffix_list_is_neither_fetched_nor_cached(tmp_path) -> None:
    """In a fresh interpreter whose sockets fail and whose home and cache are empty folders."""
    script = (
        "import socket\n"
        "attempts = []\n"
        "def refuse(*a, **k): attempts.append(a); raise OSError('no network in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from coldflow.discover.domains import registrable_domain\n"
        "print(registrable_domain('https://shop.brand-new-name.co.uk/'))\n"
        "print(len(attempts))\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("TLDEXTRACT_CACHE", None)

    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )

    assert done.stdout.split() == ["brand-new-name.co.uk", "0"], done.stderr
    assert list(tmp_path.iterdir()) == []
