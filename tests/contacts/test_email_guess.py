import json

from coldflow.contacts.guess import guess_batch, guess_email, normalise_domain, parse_known
from coldflow.contacts.patterns.learning import KnownAddress


def test_it_reads_known_addresses_in_mail_header_form():
    assert parse_known("Anna Berg <anna.berg@acme.de>") == KnownAddress(
        "Anna Berg", "anna.berg@acme.de"
    )
    assert parse_known('"Müller, Hans" <hans.mueller@acme.de>') == KnownAddress(
        "Müller, Hans", "hans.mueller@acme.de"
    )


def test_it_guesses_an_address_with_the_learned_pattern_and_its_support():
    known = [parse_known("Anna Berg <a.berg@acme.de>"), parse_known("Tom Kurz <t.kurz@acme.de>")]
    result = guess_email("acme.de", "Eva Lind", known).as_dict()
    assert result["pattern"] == "{f}.{last}"
    assert result["support"] == 2
    assert result["conflicts"] == []
    top = result["candidates"][0]
    assert (top["email"], top["guessed"]) == ("e.lind@acme.de", True)
    assert 0.75 < top["confidence"] < 1.0
    assert all(c["guessed"] for c in result["candidates"])


def test_an_address_published_for_the_person_is_found_not_guessed():
    known = [
        KnownAddress("Dr. Anna Berg", "anna@acme.de"),
        KnownAddress("Tom Kurz", "tom.kurz@acme.de"),
    ]
    candidates = guess_email("acme.de", "Anna Berg", known).candidates
    assert (candidates[0].email, candidates[0].guessed, candidates[0].confidence) == (
        "anna@acme.de",
        False,
        1.0,
    )
    assert all(c.guessed for c in candidates[1:])
    assert "anna@acme.de" not in [c.email for c in candidates[1:]]


def test_it_reports_conflicting_patterns():
    known = [
        KnownAddress("John Smith", "john.smith@acme.com"),
        KnownAddress("Mary Jones", "mary.jones@acme.com"),
        KnownAddress("Peter Pan", "ppan@acme.com"),
    ]
    result = guess_email("acme.com", "Anna Berg", known).as_dict()
    assert (result["pattern"], result["support"]) == ("{first}.{last}", 2)
    assert {"pattern": "{f}{last}", "support": 1} in result["conflicts"]


def test_the_domain_is_normalised():
    assert normalise_domain("https://www.Acme.de/team?x=1") == "acme.de"
    assert normalise_domain("@acme.de.") == "acme.de"
    assert guess_email("WWW.ACME.DE", "Anna Berg").candidates[0].email == "anna.berg@acme.de"


def test_the_batch_answers_every_case_in_input_order():
    lines = [
        json.dumps(
            {
                "domain": "acme.de",
                "known": [{"name": "Tom Kurz", "email": "tkurz@acme.de"}],
                "name": "Anna Berg",
            }
        ),
        json.dumps({"domain": "beta.com", "known": [], "name": "Eva Lind"}),
        json.dumps(
            {"domain": "gamma.io", "known": ["Jan Ott <ott.jan@gamma.io>"], "name": "Max Roth"}
        ),
    ]
    results = list(guess_batch(lines))
    assert [r["candidates"][0]["email"] for r in results] == [
        "aberg@acme.de",
        "eva.lind@beta.com",
        "roth.max@gamma.io",
    ]
    assert [(r["pattern"], r["support"]) for r in results] == [
        ("{f}{last}", 1),
        ("{first}.{last}", 0),
        ("{last}.{first}", 1),
    ]


def test_a_broken_line_yields_an_error_for_that_line_only():
    lines = [
        "not json",
        "[1, 2]",
        json.dumps({"known": [], "name": "Anna Berg"}),
        json.dumps({"domain": "acme.de", "known": []}),
        json.dumps({"domain": "acme.de", "known": "nope", "name": "Anna Berg"}),
        json.dumps(
            {
                "domain": "acme.de",
                "known": [42, {"name": 1}, {"name": "Tom Kurz", "email": "tkurz@acme.de"}],
                "name": "Anna Berg",
            }
        ),
        "",
        {"domain": "acme.de", "name": "Eva Lind"},
    ]
    results = list(guess_batch(lines))
    assert len(results) == 7
    assert results[0]["error"].startswith("line 1: not JSON")
    assert results[1]["error"] == "line 2: a case must be a JSON object"
    assert results[2]["error"] == 'line 3: missing "domain"'
    assert results[3]["error"] == 'line 4: missing "name"'
    assert results[4]["error"] == 'line 5: "known" must be a list'
    assert results[5]["candidates"][0]["email"] == "aberg@acme.de"
    assert results[6]["candidates"][0]["email"] == "eva.lind@acme.de"


def test_the_batch_output_is_json_serialisable():
    line = json.dumps({"domain": "acme.de", "known": [], "name": "Jürgen Müller"})
    assert (
        json.loads(json.dumps(next(guess_batch([line]))))["candidates"][0]["email"]
        == "juergen.mueller@acme.de"
    )
