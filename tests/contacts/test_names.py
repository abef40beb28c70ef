import pytest

from coldflow.contacts.names import MAX_NAME_LENGTH, parse_name

# (written, given, middle, particles, family, family_first)
CASES = [
    ("Anna Berg", "Anna", (), "", "Berg", False),
    ("Dr. Hans-Peter Müller", "Hans-Peter", (), "", "Müller", False),
    ("Prof. Dr. med. Anna Schmidt", "Anna", (), "", "Schmidt", False),
    ("Dipl.-Ing. Klaus Weber", "Klaus", (), "", "Weber", False),
    ("Dipl.-Ing. (FH) Peter Schulz", "Peter", (), "", "Schulz", False),
    ("Mag. Eva Gruber", "Eva", (), "", "Gruber", False),
    ("Prof. Dr. Dr. h. c. mult. Klaus Meier", "Klaus", (), "", "Meier", False),
    ("Frau Dr. Anna Lena Meyer-Schulz", "Anna", ("Lena",), "", "Meyer-Schulz", False),
    ("Herr Max Mustermann", "Max", (), "", "Mustermann", False),
    ("Jan van der Berg", "Jan", (), "van der", "Berg", False),
    ("Ursula von der Leyen", "Ursula", (), "von der", "Leyen", False),
    ("Karl-Theodor zu Guttenberg", "Karl-Theodor", (), "zu", "Guttenberg", False),
    ("Ludwig van Beethoven", "Ludwig", (), "van", "Beethoven", False),
    ("de la Cruz, María", "María", (), "de la", "Cruz", True),
    ("MÜLLER, Hans", "Hans", (), "", "Müller", True),
    ("Müller, Dr. Hans", "Hans", (), "", "Müller", True),
    ("MÜLLER Hans", "Hans", (), "", "Müller", True),
    ("Hans MÜLLER", "Hans", (), "", "Müller", False),
    ("VAN DER BERG Jan", "Jan", (), "van der", "Berg", True),
    ("Mary-Kate O'CONNOR", "Mary-Kate", (), "", "O'Connor", False),
    ("Gabriel García Márquez", "Gabriel", (), "", "García Márquez", False),
    ("José Ortega y Gasset", "José", (), "", "Ortega y Gasset", False),
    ("Martin Luther King Jr.", "Martin", ("Luther",), "", "King", False),
    ("John Smith, PhD", "John", (), "", "Smith", False),
    ("Dean Martin", "Dean", (), "", "Martin", False),
    ("毛泽东", "泽东", (), "", "毛", True),
    ("王伟", "伟", (), "", "王", True),
    ("欧阳娜娜", "娜娜", (), "", "欧阳", True),
    ("山田 太郎", "太郎", (), "", "山田", True),
    ("김민준", "민준", (), "", "김", True),
    ("남궁민수", "민수", (), "", "남궁", True),
    ("Иван Петров", "Иван", (), "", "Петров", False),
    ("Петров Иван Сергеевич", "Иван", ("Сергеевич",), "", "Петров", True),
    ("Иван Сергеевич Петров", "Иван", ("Сергеевич",), "", "Петров", False),
    ("Γιώργος Παπαδόπουλος", "Γιώργος", (), "", "Παπαδόπουλος", False),
    ("Nguyễn Văn An", "An", ("Văn",), "", "Nguyễn", True),
    ("Nagy Péter", "Péter", (), "", "Nagy", True),
    ("Tanaka Hiroshi", "Hiroshi", (), "", "Tanaka", True),
    ("Anna", "Anna", (), "", "", False),
]


@pytest.mark.parametrize(
    ("written", "given", "middle", "particles", "family", "family_first"), CASES
)
def test_it_splits_names_written_in_many_ways(
    written, given, middle, particles, family, family_first
):
    name = parse_name(written)
    assert (name.given, name.middle, name.particles, name.family, name.family_first) == (
        given,
        middle,
        particles,
        family,
        family_first,
    )


def test_it_keeps_academic_titles_and_salutations_as_prefixes():
    assert parse_name("Herr Prof. Dr.-Ing. Jan Ott").prefixes == ("Herr", "Prof.", "Dr.-Ing.")
    assert parse_name("Mag. (FH) Eva Gruber").prefixes == ("Mag.",)


def test_it_keeps_suffixes():
    assert parse_name("John Smith, PhD").suffixes == ("PhD",)
    assert parse_name("Martin Luther King Jr.").suffixes == ("Jr.",)
    assert parse_name("John Smith III").suffixes == ("III",)


def test_it_reads_ma_as_a_family_name_unless_it_follows_a_full_name():
    assert (parse_name("Jack MA").family, parse_name("Jack MA").suffixes) == ("Ma", ())
    assert (parse_name("Ma Yun").family, parse_name("Ma Yun").suffixes) == ("Ma", ())
    assert parse_name("John Smith MA").suffixes == ("MA",)


def test_it_takes_a_quoted_nickname_but_not_a_parenthesised_role():
    assert parse_name('Robert "Bob" Smith').nickname == "Bob"
    assert parse_name("Robert (Bob) Smith").nickname == "Bob"
    assert parse_name("Hans Müller (CEO)").nickname == ""


def test_it_transliterates_names_in_other_scripts():
    assert parse_name("毛泽东").latin == "Mao Zedong"
    assert parse_name("김민준").latin == "Kim Minjun"
    assert parse_name("Иван Петров").latin == "Ivan Petrov"
    assert parse_name("Γιώργος Παπαδόπουλος").latin == "Giorgos Papadopoulos"
    assert parse_name("山田太郎").latin == "Yamada Taro"
    assert parse_name("やまだ たろう").latin == "Yamada Taro"


def test_it_leaves_latin_names_as_written_in_latin():
    assert parse_name("Jürgen Müller").latin == "Jürgen Müller"
    assert parse_name("VAN DER BERG Jan").latin == "van der Berg Jan"


def test_it_marks_orders_guessed_from_name_lists_as_uncertain():
    assert parse_name("Nagy Péter").order_certain is False
    assert parse_name("Wang Wei").order_certain is False
    assert parse_name("MÜLLER, Hans").order_certain is True
    assert parse_name("Anna Berg").order_certain is True


def test_it_names_the_script():
    assert parse_name("王伟").script == "han"
    assert parse_name("김민준").script == "hangul"
    assert parse_name("やまだ たろう").script == "kana"
    assert parse_name("Иван Петров").script == "cyrillic"
    assert parse_name("Anna Berg").script == "latin"


def test_it_displays_given_names_first_without_titles():
    assert parse_name("MÜLLER, Dr. Hans").display == "Hans Müller"
    assert parse_name("Jan van der Berg").display == "Jan van der Berg"
    assert parse_name("毛泽东").display == "毛泽东"


@pytest.mark.parametrize(
    "hostile",
    ["", "   ", "12345", "<script>alert(1)</script>", "\x00\x01\x02", ",,,", "Dr.", "x" * 100_000],
)
def test_it_never_crashes_on_hostile_input(hostile):
    name = parse_name(hostile)
    assert len(name.given) + len(name.family) <= MAX_NAME_LENGTH
    assert "<" not in name.display


def test_it_treats_a_non_string_as_an_empty_name():
    assert parse_name(None).is_empty
