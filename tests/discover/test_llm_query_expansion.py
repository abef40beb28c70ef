from coldflow.discover.icp import load_icp
from coldflow.discover.queries import QuerySyntax, generate_queries, llm_queries

ICP = load_icp(
    """
    description = "Cold-chain logistics companies in Hamburg"
    industries = ["logistics"]
    locations = ["Hamburg"]
    excluded_terms = ["franchise"]
    """
)
PLAIN = QuerySyntax(site_exclusion=False)


class RecordingLlm:
    """Stands in for the LLM client: answers with a fixed text and keeps the prompts."""

    def __init__(self, answer: str):
        self.answer = answer
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.answer


def test_it_asks_for_queries_about_the_profile_and_keeps_the_good_lines() -> None:
    llm = RecordingLlm("Kühllogistik Hamburg\n- temperature-controlled transport Hamburg\n")

    expansion = llm_queries(ICP, llm, PLAIN, limit=5)

    (prompt,) = llm.prompts
    assert "Write 5 different search queries" in prompt
    assert "Cold-chain logistics companies in Hamburg" in prompt and "Hamburg (DE)" in prompt
    assert [q.text for q in expansion.queries] == [
        "Kühllogistik Hamburg -franchise",
        "temperature-controlled transport Hamburg -franchise",
    ]
    assert {q.origin for q in expansion.queries} == {"llm"}
    assert expansion.rejected == [] and expansion.error is None


def test_lines_that_are_not_plain_queries_are_rejected_with_the_reason() -> None:
    answer = "\n".join(
        [
            "Here are some queries:",
            "1. site:linkedin.com logistics Hamburg",
            "2. https://www.example.com/logistics",
            "3. logistics Hamburg",
            "4. " + "word " * 20,
            "5. Kühllogistik\x07 Hamburg",
            "6. 12345 !!!",
            '7. "Kühlkette Hamburg"',
        ]
    )
    existing = [q.text for q in generate_queries(ICP, PLAIN)]

    expansion = llm_queries(ICP, RecordingLlm(answer), PLAIN, existing=existing)

    reasons = [reason for _, reason in expansion.rejected]
    assert reasons == [
        "is not a query",
        "uses a search operator",
        "contains a web address",
        "repeats another query",
        "more than 16 words",
        "contains control characters",
        "has no words",
    ]
    assert [q.text for q in expansion.queries] == ["Kühlkette Hamburg -franchise"]


def test_it_never_keeps_more_than_asked_for() -> None:
    answer = "\n".join(f"cold storage variant {i} Hamburg" for i in range(50))

    expansion = llm_queries(ICP, RecordingLlm(answer), PLAIN, limit=3)

    assert len(expansion.queries) == 3
    assert len(expansion.rejected) == 47
    assert expansion.rejected[0][1] == "more than the 3 queries asked for"


def test_a_failing_llm_is_reported_not_raised() -> None:
    def broken(prompt: str) -> str:
        raise TimeoutError("the model took too long")

    expansion = llm_queries(ICP, broken, PLAIN)

    assert expansion.queries == []
    assert expansion.error == "the LLM request failed: the model took too long"


def test_a_runaway_answer_is_cut_before_it_is_read() -> None:
    expansion = llm_queries(ICP, RecordingLlm("x" * 5_000_000), PLAIN)

    assert expansion.queries == []
    assert expansion.rejected[0][1] == "longer than 150 characters"
