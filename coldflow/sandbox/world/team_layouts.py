"""The team page's people, marked up as cards, a table, a definition list, plain sentences,
JSON-LD or microdata."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from html import escape

from coldflow.sandbox.world.model import Layout


@dataclass(frozen=True)
class TeamMember:
    full_name: str
    title: str
    # The address already rendered in its disguise; empty when it is not published here.
    email_html: str
    # The bare address for JSON-LD layouts, when published here.
    address: str | None
    linkedin: str | None
    photo: str


def json_ld(data: object) -> str:
    """A JSON-LD script element; "<" is escaped so scraped names cannot close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _linkedin(member: TeamMember) -> str:
    if not member.linkedin:
        return ""
    return f' <a class="social linkedin" href="{escape(member.linkedin)}">LinkedIn</a>'


def render_team(
    layout: Layout,
    members: list[TeamMember],
    language: str,
    rng: random.Random,
    organisation: tuple[str, str],
) -> tuple[str, str]:
    """(visible HTML, extra <head> markup) for `members` in `layout`."""
    if layout == "cards":
        return _cards(members, rng), ""
    if layout == "table":
        return _table(members, language), ""
    if layout == "definition_list":
        return _definition_list(members), ""
    if layout == "paragraphs":
        return _paragraphs(members, language, rng), ""
    if layout == "microdata":
        return _microdata(members), ""
    return _json_ld_people(members, organisation)


def _cards(members: list[TeamMember], rng: random.Random) -> str:
    card, name_tag = rng.choice((("team-card", "h3"), ("member", "h4"), ("person-tile", "strong")))
    cards = []
    for m in members:
        email = f'<p class="email">{m.email_html}</p>' if m.email_html else ""
        cards.append(
            f'<div class="{card}"><img src="{m.photo}" alt="{escape(m.full_name)}" loading="lazy">'
            f'<{name_tag} class="name">{escape(m.full_name)}</{name_tag}>'
            f'<p class="position">{escape(m.title)}</p>{email}{_linkedin(m)}</div>'
        )
    return '<div class="team-grid">\n' + "\n".join(cards) + "\n</div>"


def _table(members: list[TeamMember], language: str) -> str:
    heads = ("Name", "Position", "E-Mail") if language == "de" else ("Name", "Role", "Email")
    rows = "\n".join(
        f"<tr><td>{escape(m.full_name)}</td><td>{escape(m.title)}</td>"
        f"<td>{m.email_html}{_linkedin(m)}</td></tr>"
        for m in members
    )
    header = "".join(f"<th>{h}</th>" for h in heads)
    return f'<table class="staff">\n<thead><tr>{header}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>'


def _definition_list(members: list[TeamMember]) -> str:
    items = []
    for m in members:
        email = f"<dd>{m.email_html}</dd>" if m.email_html else ""
        items.append(f"<dt>{escape(m.full_name)}</dt><dd>{escape(m.title)}</dd>{email}")
    return '<dl class="contacts">\n' + "\n".join(items) + "\n</dl>"


def _paragraphs(members: list[TeamMember], language: str, rng: random.Random) -> str:
    paragraphs = []
    for m in members:
        name, title = escape(m.full_name), escape(m.title)
        if language == "de":
            text = rng.choice((f"{title}: {name}.", f"{name} ist bei uns {title}."))
            if m.email_html:
                text += f" Erreichbar unter {m.email_html}."
        else:
            text = rng.choice((f"{name} is our {title}.", f"{title}: {name}."))
            if m.email_html:
                text += f" You can reach them at {m.email_html}."
        paragraphs.append(f"<p>{text}{_linkedin(m)}</p>")
    return "\n".join(paragraphs)


def _microdata(members: list[TeamMember]) -> str:
    people = []
    for m in members:
        same_as = f'<link itemprop="sameAs" href="{escape(m.linkedin)}">' if m.linkedin else ""
        people.append(
            '<div itemscope itemtype="https://schema.org/Person" class="person">'
            f'<span itemprop="name">{escape(m.full_name)}</span>, '
            f'<span itemprop="jobTitle">{escape(m.title)}</span> {m.email_html}{same_as}</div>'
        )
    return "\n".join(people)


def _json_ld_people(members: list[TeamMember], organisation: tuple[str, str]) -> tuple[str, str]:
    name, url = organisation
    visible = "\n".join(f"<li>{escape(m.full_name)} – {escape(m.title)}</li>" for m in members)
    employees = []
    for m in members:
        person: dict[str, object] = {"@type": "Person", "name": m.full_name, "jobTitle": m.title}
        if m.address:
            person["email"] = m.address
        if m.linkedin:
            person["sameAs"] = [m.linkedin]
        employees.append(person)
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": name,
        "url": url,
        "employee": employees,
    }
    return f'<ul class="people">\n{visible}\n</ul>', json_ld(data)
