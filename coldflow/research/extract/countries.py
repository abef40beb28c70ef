"""Country names and domains → ISO 3166 alpha-2 codes."""

from __future__ import annotations

COUNTRY_CODES = {
    "deutschland": "DE",
    "germany": "DE",
    "österreich": "AT",
    "austria": "AT",
    "schweiz": "CH",
    "switzerland": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "liechtenstein": "LI",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "vereinigtes königreich": "GB",
    "großbritannien": "GB",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "netherlands": "NL",
    "the netherlands": "NL",
    "niederlande": "NL",
    "nederland": "NL",
    "france": "FR",
    "frankreich": "FR",
    "belgium": "BE",
    "belgien": "BE",
    "ireland": "IE",
    "irland": "IE",
    "italy": "IT",
    "italien": "IT",
    "italia": "IT",
    "spain": "ES",
    "spanien": "ES",
    "españa": "ES",
    "poland": "PL",
    "polen": "PL",
    "polska": "PL",
    "denmark": "DK",
    "dänemark": "DK",
    "danmark": "DK",
    "sweden": "SE",
    "schweden": "SE",
    "sverige": "SE",
    "norway": "NO",
    "norwegen": "NO",
    "norge": "NO",
    "finland": "FI",
    "finnland": "FI",
    "suomi": "FI",
    "luxembourg": "LU",
    "luxemburg": "LU",
    "czech republic": "CZ",
    "czechia": "CZ",
    "tschechien": "CZ",
    "portugal": "PT",
    "canada": "CA",
    "kanada": "CA",
    "australia": "AU",
    "australien": "AU",
}

# Country-code TLDs sold as generic names: they say nothing about where a company is.
GENERIC_CCTLDS = frozenset(
    (
        "io",
        "ai",
        "co",
        "me",
        "tv",
        "ly",
        "fm",
        "gg",
        "to",
        "cc",
        "ws",
        "sh",
        "ac",
        "so",
        "im",
        "is",
        "la",
        "gl",
        "eu",
    )
)


def country_code(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split()).strip(" .,")
    if len(text) == 2 and text.isalpha():
        return "GB" if text.upper() == "UK" else text.upper()
    return COUNTRY_CODES.get(text.lower())


def country_of_domain(domain: str) -> str | None:
    """The country a country-code TLD stands for ("acme.co.uk" → "GB"), None for generic ones."""
    suffix = domain.lower().rstrip(".").rsplit(".", 1)[-1]
    if len(suffix) != 2 or not suffix.isalpha() or suffix in GENERIC_CCTLDS:
        return None
    return country_code(suffix)
