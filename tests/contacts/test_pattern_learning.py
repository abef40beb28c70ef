import pytest

from coldflow.contacts.names import parse_name
from coldflow.contacts.patterns.candidates import generate_candidates
from coldflow.contacts.patterns.learning import KnownAddress, learn_pattern
from coldflow.contacts.patterns.name_forms import NameForms
from coldflow.contacts.patterns.templates import POPULARITY, parse_template, render

PEOPLE = ["Anna Maria Berg", "Tom Lee Kurz", "Eva Sofie Lind"]


def known(*pairs: tuple[str, str], domain: str = "acme.com") -> list[KnownAddress]:
    return [KnownAddress(name, f"{local}@{domain}") for name, local in pairs]


def best_guess(pairs, name, domain="acme.com"):
    pattern = learn_pattern(known(*pairs, domain=domain), domain)
    return [c.email.split("@")[0] for c in generate_candidates(pattern, name, domain)]


@pytest.mark.parametrize("template", sorted(POPULARITY))
def test_it_learns_every_template_from_two_examples(template):
    pairs = [
        (name, render(parse_template(template), NameForms(parse_name(name)).tokens({}, False)))
        for name in PEOPLE[:2]
    ]
    pattern = learn_pattern(known(*pairs), "acme.com")
    assert pattern.best == template
    assert pattern.support == 2
    expected = render(parse_template(template), NameForms(parse_name(PEOPLE[2])).tokens({}, False))
    assert best_guess(pairs, PEOPLE[2])[0] == expected


def test_without_examples_it_falls_back_to_popularity():
    pattern = learn_pattern([], "acme.com")
    assert (pattern.best, pattern.support, pattern.fits) == ("{first}.{last}", 0, ())
    assert best_guess([], "Anna Berg")[:4] == ["anna.berg", "anna", "aberg", "annaberg"]


def test_conflicting_examples_are_ranked_by_evidence_and_both_kept():
    pairs = [("John Smith", "john.smith"), ("Mary Jones", "mary.jones"), ("Tom Kurz", "tom.kurz")]
    pattern = learn_pattern(known(*pairs, ("Peter Pan", "ppan")), "acme.com")
    assert (pattern.best, pattern.support) == ("{first}.{last}", 3)
    assert [(f.template, f.support) for f in pattern.conflicts][:1] == [("{f}{last}", 1)]
    assert best_guess([*pairs, ("Peter Pan", "ppan")], "Anna Berg")[:2] == ["anna.berg", "aberg"]


def test_a_short_address_is_explained_by_the_given_name_only():
    assert best_guess([("Anna Berg", "anna")], "Tom Kurz")[0] == "tom"


def test_an_ambiguous_example_does_not_outweigh_a_clear_one():
    # "Anna Anna" fits first.last and last.first alike; "Tom Kurz" settles it.
    pattern = learn_pattern(known(("Anna Anna", "anna.anna"), ("Tom Kurz", "kurz.tom")), "acme.com")
    assert pattern.best == "{last}.{first}"
    assert pattern.template_probs["{last}.{first}"] > 0.8


def test_it_learns_that_umlauts_are_written_out():
    pairs = [("Jürgen Müller", "juergen.mueller"), ("Anna Berg", "anna.berg")]
    assert best_guess(pairs, "Bärbel Schön")[0] == "baerbel.schoen"


def test_it_learns_that_umlauts_are_stripped():
    pairs = [("Jürgen Müller", "jurgen.muller"), ("Anna Berg", "anna.berg")]
    assert best_guess(pairs, "Bärbel Schön")[0] == "barbel.schon"


def test_german_domains_lean_towards_written_out_umlauts_without_evidence():
    assert best_guess([], "Jörg Schön", "acme.de")[0] == "joerg.schoen"


def test_it_learns_the_cyrillic_romanisation_of_a_domain():
    pairs = [("Юлия Щербакова", "iuliia.shcherbakova"), ("Анна Иванова", "anna.ivanova")]
    assert best_guess(pairs, "Дмитрий Соколов", "acme.ru")[0] == "dmitrii.sokolov"


def test_it_learns_korean_family_names_in_their_customary_spelling():
    pairs = [("김민준", "minjun.kim"), ("박서연", "seoyeon.park")]
    assert best_guess(pairs, "이지훈", "acme.kr")[0] == "jihun.lee"


def test_it_learns_korean_family_names_in_revised_romanisation():
    pairs = [("김민준", "minjun.gim"), ("박서연", "seoyeon.bak")]
    assert best_guess(pairs, "이지훈", "acme.kr")[0] == "jihun.i"


def test_chinese_names_in_hanzi_are_romanised_family_name_first():
    pairs = [("王伟", "wei.wang"), ("李娜", "na.li")]
    assert best_guess(pairs, "张敏", "acme.cn")[0] == "min.zhang"
    pairs = [("王伟", "wangw"), ("李娜", "lin")]
    assert best_guess(pairs, "欧阳晓明", "acme.cn")[0] == "ouyangx"


def test_japanese_names_are_read_as_japanese_with_the_domains_long_vowels():
    pairs = [("佐藤花子", "hanako.satoh"), ("田中 健", "takeshi.tanaka")]
    assert best_guess(pairs, "加藤一郎", "acme.co.jp")[0] == "ichiroh.katoh"
    pairs = [("佐藤花子", "hanako.sato"), ("田中 健", "takeshi.tanaka")]
    assert best_guess(pairs, "伊藤健", "acme.co.jp")[0] == "takeshi.ito"


def test_a_short_name_in_chinese_characters_is_read_the_way_the_domain_reads_them():
    assert best_guess([("王伟", "wei.wang")], "林健太", "acme.com")[0] == "jiantai.lin"
    assert best_guess([("田中 健", "takeshi.tanaka")], "林健太", "acme.com")[0] == "kenta.hayashi"


def test_names_written_family_first_are_read_in_the_right_order():
    pairs = [
        ("MÜLLER, Hans", "hans.mueller"),
        ("Nagy Péter", "peter.nagy"),
        ("Anna Berg", "anna.berg"),
    ]
    assert best_guess(pairs, "SCHMIDT Jörg", "acme.de")[0] == "joerg.schmidt"
    assert best_guess(pairs, "Kovács Anna", "acme.de")[0] == "anna.kovacs"


def test_a_domain_whose_pages_list_names_family_first_teaches_the_swap():
    pairs = [("Zhang Wei", "wei.zhang"), ("Liu Yang", "yang.liu"), ("Chen Jing", "jing.chen")]
    assert best_guess(pairs, "Huang Lei", "acme.cn")[0] == "lei.huang"


def test_it_learns_which_part_of_a_double_family_name_is_used():
    pairs = [("Anna Meyer-Schulz", "anna.meyer"), ("Tom Kurz", "tom.kurz")]
    assert best_guess(pairs, "Eva Klein-Hansen")[0] == "eva.klein"
    pairs = [("Anna Meyer-Schulz", "anna.meyer-schulz"), ("Tom Kurz", "tom.kurz")]
    assert best_guess(pairs, "Eva Klein-Hansen")[0] == "eva.klein-hansen"
    pairs = [("Gabriel García Márquez", "gabriel.garcia"), ("Tom Kurz", "tom.kurz")]
    assert best_guess(pairs, "Lucía Fernández López", "acme.es")[0] == "lucia.fernandez"


def test_it_learns_how_hyphenated_given_names_are_written():
    pairs = [("Hans-Peter Berg", "hans.berg"), ("Tom Kurz", "tom.kurz")]
    assert best_guess(pairs, "Karl-Heinz Weber")[0] == "karl.weber"
    pairs = [("Hans-Peter Berg", "hpberg"), ("Tom Kurz", "tkurz")]
    assert best_guess(pairs, "Karl-Heinz Weber")[0] == "khweber"


def test_it_learns_whether_particles_are_kept():
    pairs = [("Jan van der Berg", "jan.berg"), ("Tom Kurz", "tom.kurz")]
    assert best_guess(pairs, "Ursula von der Leyen")[0] == "ursula.leyen"
    pairs = [("Jan van der Berg", "jan.vanderberg"), ("Tom Kurz", "tom.kurz")]
    assert best_guess(pairs, "Ursula von der Leyen")[0] == "ursula.vonderleyen"


def test_it_uses_a_nickname_when_the_domain_does():
    pairs = [('Robert "Bob" Smith', "bob.smith"), ("Tom Kurz", "tom.kurz")]
    assert best_guess(pairs, 'William "Bill" Jones')[0] == "bill.jones"


def test_it_ignores_role_and_freemail_addresses():
    items = [
        KnownAddress("Sales Team", "sales@acme.com"),
        KnownAddress("Anna Berg", "anna.berg1984@gmail.com"),
        KnownAddress("Tom Kurz", "tkurz@acme.com"),
    ]
    pattern = learn_pattern(items, "acme.com")
    assert (pattern.examples, pattern.best) == (1, "{f}{last}")


def test_addresses_no_template_explains_lower_the_confidence():
    clean = learn_pattern(
        known(("John Smith", "john.smith"), ("Mary Jones", "mary.jones")), "acme.com"
    )
    noisy = learn_pattern(
        known(("John Smith", "john.smith"), ("Mary Jones", "mary.jones"), ("Tom Kurz", "x4711")),
        "acme.com",
    )
    assert noisy.unexplained == 1
    assert noisy.unexplained_rate > clean.unexplained_rate
    top_clean = generate_candidates(clean, "Anna Berg", "acme.com")[0]
    top_noisy = generate_candidates(noisy, "Anna Berg", "acme.com")[0]
    assert top_noisy.confidence < top_clean.confidence


def test_more_agreeing_examples_mean_more_confidence():
    few = learn_pattern(known(("John Smith", "jsmith")), "acme.com")
    many = learn_pattern(
        known(
            *[
                (n, n[0].lower() + n.split()[1].lower())
                for n in ["John Smith", "Mary Jones", "Tom Kurz", "Eva Lind"]
            ]
        ),
        "acme.com",
    )
    assert generate_candidates(many, "Anna Berg", "acme.com")[0].confidence > (
        generate_candidates(few, "Anna Berg", "acme.com")[0].confidence
    )


def test_candidates_are_guesses_with_decreasing_confidence_at_the_domain():
    pattern = learn_pattern(known(("John Smith", "john.smith")), "acme.com")
    candidates = generate_candidates(pattern, "Anna Berg", "Acme.com", limit=8)
    assert len(candidates) == 8
    assert all(c.guessed and c.email.endswith("@acme.com") for c in candidates)
    confidences = [c.confidence for c in candidates]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) <= 1.0


def test_there_are_no_candidates_without_a_name():
    assert generate_candidates(learn_pattern([], "acme.com"), "", "acme.com") == []
