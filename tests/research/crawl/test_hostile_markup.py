from hypothesis import given, settings
from hypothesis import strategies as st

from coldflow.research.crawl.javascript_pages import looks_javascript_only
from coldflow.research.crawl.links import extract_links
from coldflow.research.crawl.selection import classify_link

markup = st.lists(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            ["<a href=", "<a href='", '"', ">", "</a>", "<base href=", "<script>", "</script>",
             "<body>", "<title>", "javascript:", "//", "http://[", "%", "#", "\x00", "&#x0;"]
        ),
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(markup, st.sampled_from(["https://acme.example/", "http://[::1]/a/", "not a url"]))
def test_extracting_links_from_any_markup_never_raises(html: str, base: str) -> None:
    for link in extract_links(html, base):
        assert link.url.startswith(("http://", "https://"))
        assert len(link.text) <= 200


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_classifying_any_link_never_raises(path: str, text: str) -> None:
    classify_link("https://acme.example/" + path, text)
    classify_link(path, text)


@settings(max_examples=100, deadline=None)
@given(markup)
def test_judging_any_markup_for_javascript_never_raises(html: str) -> None:
    assert looks_javascript_only(html) in (True, False)
