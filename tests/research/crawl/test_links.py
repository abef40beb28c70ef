from coldflow.research.crawl.links import extract_links


def test_links_are_absolute_without_fragments_and_carry_their_visible_text() -> None:
    html = """<a href="team#top">  Our
      <b>team</b> </a><a href="//cdn.acme.com/x">CDN</a>
      <a href="https://acme.com/about"><img src="a.png" alt="About us"></a>
      <a href="/contact" aria-label="Contact"></a>"""
    links = extract_links(html, "https://acme.com/en/")
    assert [(link.url, link.text) for link in links] == [
        ("https://acme.com/en/team", "Our team"),
        ("https://cdn.acme.com/x", "CDN"),
        ("https://acme.com/about", "About us"),
        ("https://acme.com/contact", "Contact"),
    ]


def test_a_base_element_changes_where_relative_links_point() -> None:
    html = '<base href="https://www.acme.com/de/"><a href="team">Team</a>'
    assert extract_links(html, "https://acme.com/")[0].url == "https://www.acme.com/de/team"


def test_non_web_links_and_broken_hrefs_are_dropped() -> None:
    html = """<a href="mailto:a@acme.com">mail</a><a href="tel:+4930123">call</a>
      <a href="javascript:alert(1)">js</a><a href="data:text/html,hi">data</a>
      <a href="http://[::1">broken</a><a href="">empty</a><a href="http:///nohost">no host</a>
      <a href="https://acme.com/ok">ok</a>"""
    assert [link.url for link in extract_links(html, "https://acme.com/")] == [
        "https://acme.com/ok"
    ]


def test_broken_html_still_yields_its_links() -> None:
    html = '<div><a href="/a">A<p><a href=/b>B</div></td></table><a href="/c"'
    urls = {link.url for link in extract_links(html, "https://acme.com/")}
    assert {"https://acme.com/a", "https://acme.com/b"} <= urls


def test_the_number_of_links_is_bounded() -> None:
    html = "".join(f'<a href="/p{n}">p</a>' for n in range(5000))
    assert len(extract_links(html, "https://acme.com/", limit=100)) == 100
