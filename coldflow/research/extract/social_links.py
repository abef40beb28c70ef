"""The company's own social profiles (not share buttons, not people's profiles)."""

from __future__ import annotations

import re
from collections import Counter

from coldflow.research.extract.facts import SocialLink
from coldflow.research.extract.page import Page
from coldflow.research.extract.structured_data import StructuredItem, text_values
from coldflow.research.extract.text_cache import short_text_cache

# network, pattern capturing the profile path, canonical URL template.
_PROFILES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "linkedin",
        re.compile(
            r"^https?://(?:[\w-]+\.)?linkedin\.com/(company|school|showcase)/([^/?#\s]+)", re.I
        ),
        "https://www.linkedin.com/{0}/{1}",
    ),
    (
        "xing",
        re.compile(r"^https?://(?:www\.)?xing\.com/(pages|companies)/([^/?#\s]+)", re.I),
        "https://www.xing.com/{0}/{1}",
    ),
    (
        "twitter",
        re.compile(
            r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?!(?:intent|share|home|search|hashtag|i|status)\b)"
            r"()([A-Za-z0-9_]{1,15})/?(?:[?#].*)?$",
            re.I,
        ),
        "https://x.com/{1}",
    ),
    (
        "facebook",
        re.compile(
            r"^https?://(?:www\.|m\.|[a-z]{2}-[a-z]{2}\.)?facebook\.com/"
            r"(?!(?:sharer|share|dialog|plugins|tr|login|events|watch|groups|hashtag)\b)()([\w.\-]+)/?(?:[?#].*)?$",
            re.I,
        ),
        "https://www.facebook.com/{1}",
    ),
    (
        "instagram",
        re.compile(
            r"^https?://(?:www\.)?instagram\.com/(?!(?:p|reel|explore|accounts|stories)\b)()([\w.]+)/?(?:[?#].*)?$",
            re.I,
        ),
        "https://www.instagram.com/{1}",
    ),
    (
        "youtube",
        re.compile(r"^https?://(?:www\.|m\.)?youtube\.com/(channel/|c/|user/|@)([^/?#\s]+)", re.I),
        "https://www.youtube.com/{0}{1}",
    ),
    (
        "github",
        re.compile(
            r"^https?://(?:www\.)?github\.com/(?!(?:sponsors|features|about|login|topics|marketplace|pricing)\b)"
            r"()([A-Za-z0-9-]{1,39})/?(?:[?#].*)?$",
            re.I,
        ),
        "https://github.com/{1}",
    ),
    (
        "tiktok",
        re.compile(r"^https?://(?:www\.)?tiktok\.com/@()([\w.]+)", re.I),
        "https://www.tiktok.com/@{1}",
    ),
)


def find_social_links(page: Page, items: list[StructuredItem]) -> list[SocialLink]:
    counts: Counter[tuple[str, str]] = Counter()
    methods: dict[tuple[str, str], str] = {}
    for item in items:
        for url in text_values(item.properties.get("sameAs")):
            profile = social_profile(url)
            if profile is not None:
                counts[profile] += 1
                methods.setdefault(profile, item.method)
    for link in page.links:
        profile = social_profile(link.url)
        if profile is not None:
            counts[profile] += 1
            methods.setdefault(profile, "link")
    # One profile per network: the most linked (sites link their own profile in header and
    # footer, and others' profiles once).
    chosen: dict[str, tuple[str, str]] = {}
    for profile, _ in counts.most_common():
        chosen.setdefault(profile[0], profile)
    return [
        SocialLink(
            network,
            url,
            methods[(network, url)],
            0.9 if methods[(network, url)] != "link" else 0.8,
            page.url,
        )
        for network, url in chosen.values()
    ]


# Every page of a site links the same profiles and pages in its header and footer.
@short_text_cache
def social_profile(url: str) -> tuple[str, str] | None:
    """(network, canonical profile URL) for a company profile link."""
    for network, pattern, template in _PROFILES:
        match = pattern.match(url.strip())
        if match:
            return network, template.format(match.group(1).lower(), match.group(2))
    return None
