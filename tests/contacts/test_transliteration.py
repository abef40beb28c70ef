import pytest

from coldflow.contacts.patterns.transliteration import (
    japanese_reading,
    japanese_words,
    korean_family,
    syllables,
    to_ascii,
)


@pytest.mark.parametrize(
    ("word", "diacritics", "spelled"),
    [
        ("Müller", "expand", "mueller"),
        ("Müller", "strip", "muller"),
        ("Müller", "keep", "müller"),
        ("Groß", "expand", "gross"),
        ("Groß", "strip", "gross"),
        ("Søren", "expand", "soeren"),
        ("Søren", "strip", "soren"),
        ("Ævar", "strip", "aevar"),
        ("François", "expand", "francois"),
        ("Łukasz", "strip", "lukasz"),
        ("İlker", "strip", "ilker"),
        ("Nguyễn", "strip", "nguyen"),
        ("O'Connor", "strip", "oconnor"),
        ("St.-John", "strip", "stjohn"),
    ],
)
def test_it_spells_latin_letters_the_way_addresses_do(word, diacritics, spelled):
    assert to_ascii(word, diacritics) == spelled


@pytest.mark.parametrize(
    ("word", "system", "spelled"),
    [
        ("Юлия", "bgn", "yuliya"),
        ("Юлия", "simple", "yulia"),
        ("Юлия", "icao", "iuliia"),
        ("Юлия", "german", "julija"),
        ("Дмитрий", "simple", "dmitry"),
        ("Дмитрий", "icao", "dmitrii"),
        ("Щербаков", "bgn", "shcherbakov"),
        ("Щербаков", "german", "schtscherbakow"),
        ("Наталья", "icao", "natalia"),
    ],
)
def test_it_romanises_cyrillic_in_four_conventions(word, system, spelled):
    assert to_ascii(word, cyrillic=system) == spelled


def test_it_spells_greek_diphthongs_as_people_write_them():
    assert to_ascii("Παπαδόπουλος") == "papadopoulos"
    assert to_ascii("Οικονόμου") == "oikonomou"


def test_it_splits_chinese_and_korean_names_into_syllables():
    assert syllables("泽东") == ("ze", "dong")
    assert syllables("민준") == ("min", "jun")


def test_it_knows_the_customary_spelling_of_korean_family_names():
    assert korean_family("김", "customary") == "kim"
    assert korean_family("이", "customary") == "lee"
    assert korean_family("김", "revised") is None


def test_it_reads_japanese_names_with_long_vowels_written_three_ways():
    assert [japanese_reading("佐藤", style) for style in ("short", "oh", "spelled")] == [
        "sato",
        "satoh",
        "satou",
    ]
    assert japanese_reading("井上") == "inoue"  # i-no-ue has no long vowel
    assert japanese_reading("やまだ") == "yamada"


def test_it_splits_an_unspaced_japanese_name_into_words():
    assert japanese_words("伊藤健") == ("伊藤", "健")
    assert japanese_words("林健太") == ("林", "健太")
