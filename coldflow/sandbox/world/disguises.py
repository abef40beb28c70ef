"""Email addresses written the many ways sites hide them from scrapers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape

from coldflow.sandbox.world.model import Disguise, Page
from coldflow.sandbox.world.text_image import render_png

# Disguises a site uses across its text (JSON-LD and microdata are team-page layouts).
TEXT_DISGUISES: tuple[Disguise, ...] = (
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
)


@dataclass
class Assets:
    """Files the pages of one site refer to (images of addresses), collected while rendering."""

    pages: dict[str, Page] = field(default_factory=dict)
    _paths: dict[str, str] = field(default_factory=dict)

    def image_of(self, text: str) -> str:
        if text not in self._paths:
            path = f"/assets/img/contact-{len(self.pages) + 1}.png"
            self.pages[path] = Page(status=200, body=render_png(text), content_type="image/png")
            self._paths[text] = path
        return self._paths[text]


def _split(address: str) -> tuple[str, str]:
    local, _, domain = address.partition("@")
    return local, domain


def _entities(text: str, rng: random.Random) -> str:
    return "".join(f"&#{ord(c)};" if rng.random() < 0.5 else f"&#x{ord(c):x};" for c in text)


def cloudflare_encode(address: str, key: int) -> str:
    """The hex string Cloudflare's email obfuscation puts into data-cfemail."""
    return f"{key:02x}" + "".join(f"{ord(c) ^ key:02x}" for c in address)


def render_address(
    address: str, disguise: Disguise, language: str, rng: random.Random, assets: Assets
) -> str:
    """HTML showing `address` in `disguise`."""
    local, domain = _split(address)
    dot_word = "punkt" if language == "de" else "dot"
    if disguise == "mailto":
        label = address if rng.random() < 0.6 else ("E-Mail" if language == "de" else "Email")
        return f'<a href="mailto:{escape(address)}">{escape(label)}</a>'
    if disguise == "plain":
        return escape(address)
    if disguise == "at_brackets":
        return f"{local} [at] {domain.replace('.', ' [dot] ')}"
    if disguise == "at_parens":
        gap = " " if rng.random() < 0.5 else ""
        return f"{local}{gap}(at){gap}{domain.replace('.', f'{gap}({dot_word}){gap}')}"
    if disguise == "at_words":
        return f"{local.replace('.', f' {dot_word} ')} at {domain.replace('.', f' {dot_word} ')}"
    if disguise == "at_umlaut":
        return f"{local} (ät) {domain}" if rng.random() < 0.5 else f"{local}(ät){domain}"
    if disguise == "spaced":
        return f"{local} @ {domain.replace('.', ' . ')}"
    if disguise == "entities":
        encoded = _entities(address, rng)
        return f'<a href="{_entities("mailto:", rng)}{encoded}">{_entities(address, rng)}</a>'
    if disguise == "cfemail":
        encoded = cloudflare_encode(address, rng.randint(1, 255))
        return (
            f'<a href="/cdn-cgi/l/email-protection#{encoded}"><span class="__cf_email__" '
            f'data-cfemail="{encoded}">[email&#160;protected]</span></a>'
        )
    if disguise == "javascript":
        if rng.random() < 0.5:
            return (
                f'<script>(function(){{var u="{local}", d="{domain}";document.write(\'<a href='
                f"\"mailto:'+u+'@'+d+'\">'+u+'&#64;'+d+'</a>');}})();</script>"
                "<noscript>JavaScript</noscript>"
            )
        return (
            f'<span class="eml" data-r="{address[::-1]}"></span><script>document.querySelectorAll'
            "('.eml').forEach(function(e){var a=e.getAttribute('data-r').split('').reverse()"
            ".join('');e.innerHTML='<a href=\"mailto:'+a+'\">'+a+'</a>';});</script>"
        )
    if disguise == "image":
        alt = "E-Mail-Adresse" if language == "de" else "email address"
        return f'<img src="{assets.image_of(address)}" alt="{alt}" class="email-image">'
    if disguise == "microdata":
        return f'<a itemprop="email" href="mailto:{escape(address)}">{escape(address)}</a>'
    # JSON-LD addresses live in the page's structured data, not in its visible text.
    return ""
