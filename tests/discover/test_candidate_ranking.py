from coldflow.discover.icp import load_icp
from coldflow.discover.providers import SearchResult
from coldflow.discover.ranking import QueryHit, rank_candidates

ICP = load_icp(
    """
    industries = ["logistics"]
    locations = ["Hamburg"]
    required_terms = ["Kühllogistik"]
    excluded_terms = ["franchise"]
    excluded_domains = ["dhl.com"]
    """
)


def hit(url: str, title: str, snippet: str = "", position: int = 1, query: str = "q1") -> QueryHit:
    return QueryHit(query, SearchResult(url, title, snippet, position, "test"))


def by_domain(candidates):
    return {c.domain: c for c in candidates}


def test_a_matching_company_earns_every_factor_with_the_text_that_matched() -> None:
    (candidate,) = rank_candidates(
        ICP,
        [
            hit(
                "https://www.nordvex.de/",
                "Nordvex – Spedition in Hamburg",
                "Kühllogistik und Lager",
            )
        ],
    )

    assert candidate.status == "accepted"
    assert candidate.fit_score == 1.0
    assert [r.as_dict() for r in candidate.fit_reasons] == [
        {"factor": "industry", "weight": 0.4, "matched": "Spedition", "source": "title"},
        {"factor": "location", "weight": 0.3, "matched": "Hamburg", "source": "title"},
        {"factor": "required_terms", "weight": 0.2, "matched": "Kühllogistik", "source": "text"},
        {"factor": "excluded_terms", "weight": 0.1, "matched": "none mentioned", "source": "text"},
    ]


def test_a_country_code_domain_is_half_the_evidence_for_a_city() -> None:
    (candidate,) = rank_candidates(ICP, [hit("https://brivex.de/", "Brivex Transport GmbH")])

    location = next(r for r in candidate.fit_reasons if r.factor == "location")
    assert (location.matched, location.source, location.weight) == (".de", "domain", 0.15)
    assert candidate.fit_score == round((0.4 + 0.15 + 0.1) / 1.0, 3)


def test_evidence_in_the_address_counts() -> None:
    (candidate,) = rank_candidates(ICP, [hit("https://hamburg-logistik.com/", "Home")])

    assert {(r.factor, r.matched, r.source) for r in candidate.fit_reasons} >= {
        ("industry", "logistik", "url"),
        ("location", "hamburg", "url"),
    }


def test_hits_of_one_domain_become_one_candidate_with_the_best_hit_and_every_query() -> None:
    candidates = rank_candidates(
        ICP,
        [
            hit("https://nordvex.de/team", "Team", position=2, query="Spedition Hamburg"),
            hit("https://www.nordvex.de/", "Nordvex Logistik Hamburg", position=7, query="logistics Hamburg"),
            hit("https://nordvex.de/", "Nordvex Logistik Hamburg", position=1, query="Spedition Hamburg"),
        ],
    )  # fmt: skip

    (candidate,) = candidates
    assert candidate.url == "https://nordvex.de/" and candidate.position == 1
    assert candidate.queries == ("Spedition Hamburg", "logistics Hamburg")
    assert candidate.hit_count == 3


def test_noise_excluded_domains_and_excluded_terms_are_filtered_with_the_reason() -> None:
    candidates = by_domain(
        rank_candidates(
            ICP,
            [
                hit("https://www.yelp.com/search/x", "THE BEST Logistics in Hamburg"),
                hit("https://www.dhl.com/de/", "DHL Logistik Hamburg"),
                hit(
                    "https://franchise-log.de/", "Logistik Hamburg", "Werden Sie Franchise-Partner"
                ),
                hit("http://127.0.0.1:8080/", "Logistik Hamburg"),
            ],
        )
    )

    assert {d: (c.status, c.filter_reason) for d, c in candidates.items()} == {
        "yelp.com": ("filtered", "business directory: yelp.com is a known business directory"),
        "dhl.com": ("filtered", "dhl.com is excluded by the ICP"),
        "franchise-log.de": ("filtered", "mentions the excluded term 'franchise'"),
        "": ("filtered", "not a public web address (an IP address or local name)"),
    }


def test_one_good_hit_is_enough_to_keep_a_company_whose_other_page_looks_like_a_list() -> None:
    (candidate,) = rank_candidates(
        ICP,
        [
            hit("https://nordvex.de/blog/top", "Top 10 tips for shippers in Hamburg", position=1),
            hit("https://nordvex.de/", "Nordvex Logistik Hamburg", position=4),
        ],
    )

    assert candidate.status == "accepted"
    assert candidate.url == "https://nordvex.de/"


def test_domains_the_workspace_has_are_duplicates() -> None:
    candidates = by_domain(
        rank_candidates(
            ICP,
            [
                hit("https://www.nordvex.de/", "Nordvex Logistik"),
                hit("https://brivex.de/", "Brivex"),
            ],
            existing_domains={"nordvex.de"},
        )
    )

    assert candidates["nordvex.de"].status == "duplicate"
    assert candidates["nordvex.de"].filter_reason == "nordvex.de is already in the workspace"
    assert candidates["brivex.de"].status == "accepted"


def test_the_order_is_accepted_by_fit_then_duplicates_then_filtered() -> None:
    candidates = rank_candidates(
        ICP,
        [
            hit("https://www.yelp.com/x", "Yelp", position=1),
            hit("https://weak.de/", "Weak GmbH", position=2),
            hit("https://known.de/", "Known Logistik Hamburg", position=3),
            hit("https://strong.de/", "Strong Logistik Hamburg", position=9),
        ],
        existing_domains={"known.de"},
    )

    assert [c.domain for c in candidates] == ["strong.de", "weak.de", "known.de", "yelp.com"]


def test_an_icp_given_as_a_description_only_is_ranked_by_what_it_says() -> None:
    icp = load_icp('description = "Dental clinics in Leeds"')

    (candidate,) = rank_candidates(
        icp, [hit("https://smile.co.uk/", "Smile Dental Care Leeds", "Your dentist in Leeds")]
    )

    assert {r.factor for r in candidate.fit_reasons} == {"industry", "location"}
    assert candidate.fit_score == 1.0
