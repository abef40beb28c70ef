from coldflow.discover.imports import read_domain_list


def test_it_reads_domains_and_addresses_one_or_several_a_line() -> None:
    result = read_domain_list(
        [
            "nordvex.de",
            "https://www.brivex-cargo.de/kontakt, talwick.co.uk; www.Müller.de",
            "",
            "# our old customers",
            "acme.io  # the one from the fair",
        ]
    )

    assert result.ok
    assert result.domains == [
        "nordvex.de",
        "brivex-cargo.de",
        "talwick.co.uk",
        "xn--mller-kva.de",
        "acme.io",
    ]


def test_what_is_not_a_domain_is_an_error_naming_the_line() -> None:
    result = read_domain_list(["nordvex.de", "not_a_domain", "127.0.0.1"])

    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "line 2: 'not_a_domain' is not a domain or web address",
        "line 3: '127.0.0.1' is not a domain or web address",
    ]
    assert result.domains == ["nordvex.de"]


def test_repeats_are_left_out_and_said_so() -> None:
    result = read_domain_list(["nordvex.de", "https://www.nordvex.de/team"])

    assert result.ok
    assert result.domains == ["nordvex.de"]
    assert [str(s) for s in result.skipped] == ["line 2: nordvex.de repeats line 1"]


def test_an_endless_list_is_stopped() -> None:
    result = read_domain_list((f"company{i}.de" for i in range(100)), max_lines=10)

    assert not result.ok
    assert len(result.domains) == 10
    assert str(result.errors[0]) == "line 11: the list is longer than 10 lines"
