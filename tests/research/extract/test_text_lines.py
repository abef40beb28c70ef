"""Rendering a DOM into the lines a reader sees."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from coldflow.research.extract.text_lines import render_lines


def _lines(html: str) -> list:
    return render_lines(LexborHTMLParser(html).body)


def test_it_ends_lines_at_blocks_and_line_breaks() -> None:
    lines = _lines("<div><h3>Anna Schmidt</h3><p>Head of Sales<br>Berlin</p>tail</div>")
    assert [line.text for line in lines] == ["Anna Schmidt", "Head of Sales", "Berlin", "tail"]
    assert [line.tag for line in lines] == ["h3", "p", "p", "div"]


def test_it_glues_inline_pieces_but_keeps_them_as_segments() -> None:
    (line,) = _lines("<p>anna<b>@</b>acme<span>.</span>de <i>x</i></p>")
    assert line.text == "anna@acme.de x"
    assert line.segments == ("anna", "@", "acme", ".", "de", "x")


def test_it_keeps_words_of_adjacent_inline_elements_apart() -> None:
    (line,) = _lines(
        '<div><span class="name">Anna Schmidt</span><span class="role">CEO</span></div>'
    )
    assert line.text == "Anna Schmidt CEO"
    assert line.segments == ("Anna Schmidt", "CEO")


def test_it_skips_scripts_styles_and_comments() -> None:
    lines = _lines("<p>a<!-- hidden@acme.de -->b<script>var x = 1</script><style>p{}</style></p>")
    assert [line.text for line in lines] == ["ab"]


def test_it_records_links_dates_and_site_chrome() -> None:
    lines = _lines(
        '<nav><a href="/team">Team</a></nav>'
        '<article><header><a href="/post">Title</a></header><time datetime="2025-03-12">12 March</time></article>'
        "<footer>© Acme</footer>"
    )
    assert [(line.text, line.href, line.datetime, line.in_chrome) for line in lines] == [
        ("Team", "/team", None, True),
        ("Title", "/post", None, False),
        ("12 March", None, "2025-03-12", False),
        ("© Acme", None, None, True),
    ]


def test_it_stops_at_the_line_and_node_budgets() -> None:
    body = LexborHTMLParser("<p>x</p>" * 1000).body
    assert len(render_lines(body, max_lines=10)) == 10
    assert len(render_lines(body, max_nodes=100)) < 100
