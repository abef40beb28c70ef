"""Whatever arrives, the pure parts answer with data: no exception, bounded output."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from coldflow.discover.domains import classify_noise, registrable_domain
from coldflow.discover.icp import icp_from_text
from coldflow.discover.imports import read_csv, read_domain_list
from coldflow.discover.providers.outcome import make_result

FAST = settings(max_examples=150, deadline=None)


@FAST
@given(st.text(max_size=300))
def test_any_text_is_a_domain_or_none(text: str) -> None:
    domain = registrable_domain(text)

    assert domain is None or (domain.isascii() and "." in domain and len(domain) <= 253)


@FAST
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_address_and_title_can_be_judged(url: str, title: str) -> None:
    verdict = classify_noise(url, title)

    assert verdict is None or len(verdict.reason) <= 200


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_import_or_say_why_not(data: bytes) -> None:
    result = read_csv(io.BytesIO(data))

    if result.fatal is not None:
        assert result.fatal.endswith(".")
    else:
        kept = len(result.people) if result.kind == "people" else len(result.companies)
        assert kept + len(result.skipped) <= result.rows


@FAST
@given(
    st.lists(
        st.lists(
            st.text(
                st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30
            ),
            max_size=6,
        ),
        max_size=20,
    )
)
def test_any_table_of_text_imports_or_reports_per_row(table: list[list[str]]) -> None:
    text = "email,website,first name,# employees\n" + "\n".join(
        ",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in table
    )

    result = read_csv(io.BytesIO(text.encode("utf-8")))

    assert result.fatal is None
    assert all(problem.row >= 2 for problem in result.errors)


@FAST
@given(st.lists(st.text(max_size=80), max_size=30))
def test_any_lines_make_a_domain_list(lines: list[str]) -> None:
    result = read_domain_list(lines)

    assert all(registrable_domain(d) == d for d in result.domains)


@FAST
@given(st.text(max_size=2000))
def test_any_free_text_reads_as_an_icp(text: str) -> None:
    assert icp_from_text(text).description == " ".join(text[:5000].split())


@FAST
@given(st.from_type(object), st.from_type(object), st.from_type(object))
def test_any_json_values_make_a_result_or_none(url: object, title: object, snippet: object) -> None:
    result = make_result(url, title, snippet, 1, None)

    assert result is None or result.url.startswith(("http://", "https://"))
