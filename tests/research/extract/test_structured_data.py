"""JSON-LD and microdata in one shape, parsed leniently."""

from __future__ import annotations

from coldflow.research.extract.page import parse_page
from coldflow.research.extract.structured_data import of_type, structured_items, text_value


def _items(html: str) -> list:
    return structured_items(parse_page(html, "https://acme.de/"))


def test_it_reads_graphs_lists_and_nested_items() -> None:
    html = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebPage", "name": "Team"},
      {"@type": ["Organization", "LocalBusiness"], "name": "Acme", "founder": {"@type": "Person", "name": "Anna Schmidt"}}]}</script>
      <script type="application/ld+json">[{"@type": "JobPosting", "title": "Engineer"}]</script>"""
    items = _items(html)
    assert [sorted(item.types) for item in items] == [
        ["WebPage"],
        ["LocalBusiness", "Organization"],
        ["Person"],
        ["JobPosting"],
    ]
    assert {item.method for item in items} == {"jsonld"}


def test_it_tolerates_comments_cdata_trailing_commas_and_control_characters() -> None:
    html = """<script type="application/ld+json"><!--
      {"@type": "Organization", "name": "Acme\tGmbH", "sameAs": ["https://x.com/acme",],}
    --></script>
    <script type="application/ld+json">//<![CDATA[
      {"@type": "Person", "name": "Max Müller"}
    //]]></script>
    <script type="application/ld+json">{not json at all</script>"""
    items = _items(html)
    assert [text_value(item.properties.get("name")) for item in items] == [
        "Acme GmbH",
        "Max Müller",
    ]


def test_microdata_items_take_the_json_ld_shape() -> None:
    html = """<div itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Acme</span>
      <div itemprop="address" itemscope itemtype="http://schema.org/PostalAddress"><span itemprop="addressLocality">Berlin</span></div></div>"""
    items = _items(html)
    (organisation,) = of_type(items, "Organization")
    (address,) = of_type(items, "PostalAddress")
    assert organisation.method == "microdata"
    assert text_value(organisation.properties["name"]) == "Acme"
    assert text_value(address.properties["addressLocality"]) == "Berlin"


def test_text_values_come_from_strings_lists_and_nested_values() -> None:
    assert text_value(["", {"@value": " 2009 "}]) == "2009"
    assert text_value({"@type": "DefinedTerm", "name": "CEO"}) == "CEO"
    assert text_value(42) == "42"
    assert text_value(True) is None
