"""Page skeletons in three styles of markup: semantic HTML5, a Bootstrap-like div layout, and an
old table layout with upper-case tags, as real company sites come in all of them."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from coldflow.sandbox.world.model import Theme


@dataclass(frozen=True)
class Document:
    language: str
    title: str
    description: str
    canonical: str
    # Where the page declares its charset in markup; None for no declaration.
    charset: str | None
    nav: tuple[tuple[str, str], ...]
    brand: str
    main: str
    footer: str
    head_extra: str = ""
    body_extra: str = ""


def render(theme: Theme, doc: Document) -> str:
    if theme == "bootstrap":
        return _bootstrap(doc)
    if theme == "legacy":
        return _legacy(doc)
    return _modern(doc)


def _modern(doc: Document) -> str:
    charset = f'<meta charset="{doc.charset}">\n' if doc.charset else ""
    nav = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in doc.nav)
    return (
        f'<!DOCTYPE html>\n<html lang="{doc.language}">\n<head>\n{charset}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title)}</title>\n"
        f'<meta name="description" content="{escape(doc.description)}">\n'
        f'<link rel="canonical" href="{escape(doc.canonical)}">\n'
        f'<meta property="og:title" content="{escape(doc.title)}">\n'
        f"{doc.head_extra}\n</head>\n<body>\n"
        f'<header class="site-header"><a class="brand" href="/">{escape(doc.brand)}</a>\n'
        f'<nav aria-label="Main"><ul>{nav}</ul></nav></header>\n'
        f"<main>\n{doc.main}\n</main>\n"
        f'<footer class="site-footer">\n{doc.footer}\n</footer>\n{doc.body_extra}\n'
        "</body>\n</html>\n"
    )


def _bootstrap(doc: Document) -> str:
    charset = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={doc.charset}">\n'
        if doc.charset
        else ""
    )
    nav = "".join(
        f'<li class="nav-item"><a class="nav-link" href="{escape(h)}">{escape(t)}</a></li>'
        for h, t in doc.nav
    )
    return (
        f'<!doctype html>\n<html lang="{doc.language}" class="no-js">\n<head>\n{charset}'
        f"<title>{escape(doc.title)}</title>\n"
        f'<meta name="description" content="{escape(doc.description)}">\n'
        '<link rel="stylesheet" href="/static/css/bootstrap.min.css">\n'
        f'{doc.head_extra}\n</head>\n<body class="page">\n'
        '<div class="navbar navbar-expand-lg"><div class="container">'
        f'<a class="navbar-brand" href="/">{escape(doc.brand)}</a>'
        f'<ul class="navbar-nav">{nav}</ul></div></div>\n'
        f'<div class="container"><div class="row"><div class="col-12">\n{doc.main}\n'
        "</div></div></div>\n"
        f'<div class="footer bg-dark"><div class="container">\n{doc.footer}\n</div></div>\n'
        f"{doc.body_extra}\n</body>\n</html>\n"
    )


def _legacy(doc: Document) -> str:
    charset = (
        f'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset={doc.charset}">\n'
        if doc.charset
        else ""
    )
    nav = " | ".join(f'<A HREF="{escape(h)}">{escape(t)}</A>' for h, t in doc.nav)
    return (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n'
        f"<HTML>\n<HEAD>\n{charset}<TITLE>{escape(doc.title)}</TITLE>\n"
        f'<META NAME="description" CONTENT="{escape(doc.description)}">\n'
        f"{doc.head_extra}\n</HEAD>\n"
        '<BODY BGCOLOR="#ffffff">\n<CENTER>\n<TABLE WIDTH="760" BORDER="0" CELLPADDING="4">\n'
        f'<TR><TD><FONT SIZE="5"><B>{escape(doc.brand)}</B></FONT><BR>\n'
        f'<FONT SIZE="2">{nav}</FONT></TD></TR>\n'
        f"<TR><TD>\n{doc.main}\n</TD></TR>\n"
        f'<TR><TD><FONT SIZE="1">\n{doc.footer}\n</FONT></TD></TR>\n'
        f"</TABLE>\n</CENTER>\n{doc.body_extra}\n</BODY>\n</HTML>\n"
    )
