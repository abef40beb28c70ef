from hypothesis import given, settings
from hypothesis import strategies as st

from coldflow.research.fetch.address_policy import refusal_reason
from coldflow.research.fetch.decoding import decode_body
from coldflow.research.fetch.result import FetchResult
from coldflow.research.fetch.robots import rules_from_fetch
from coldflow.research.fetch.sitemaps import parse_sitemap

content_types = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.sampled_from(
        ["text/html; charset=", "text/html; charset=utf-16", "text/xml; charset='"]
    ).map(lambda prefix: prefix + "x"),
)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), content_types)
def test_decoding_any_bytes_with_any_content_type_never_raises(body: bytes, content_type) -> None:
    decoded = decode_body(body, content_type)
    assert isinstance(decoded.text, str)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_parsing_any_sitemap_text_never_raises(text: str) -> None:
    for url in parse_sitemap(text).urls:
        assert url.startswith(("http://", "https://"))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_reading_any_robots_txt_never_raises(text: str) -> None:
    rules = rules_from_fetch(
        FetchResult(url="http://a.example/robots.txt", final_url="", status=200, text=text)
    )
    rules.allows("http://a.example/team", "coldflow")
    rules.crawl_delay("coldflow")
    rules.sitemaps()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_judging_any_address_text_never_raises(text: str) -> None:
    reason = refusal_reason(text, allow_loopback=False)
    assert reason is None or isinstance(reason, str)
