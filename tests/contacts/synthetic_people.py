"""A seeded world of companies, their people and their real addresses, for leave-one-out tests.

Written independently of coldflow.contacts.patterns: every name carries its spellings explicitly
(Jürgen → juergen or jurgen, Юлия → yuliya, yulia, iuliia or julija), and each company builds
addresses its own way: a main template, a spelling style, sometimes a legacy template for older
staff, and a few addresses no template explains (nicknames, numbered duplicates). Pages write
names the way their culture does: "Nagy Péter", "王伟", "TANAKA Hiroshi", "Иванов Иван Петрович".
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from coldflow.contacts.patterns.learning import KnownAddress

# Template weights of this world: deliberately not the library's popularity table.
WORLD_TEMPLATES = {
    "{first}.{last}": 38,
    "{first}": 12,
    "{f}{last}": 13,
    "{first}{last}": 7,
    "{f}.{last}": 6,
    "{last}": 3,
    "{first}_{last}": 3,
    "{last}{f}": 2,
    "{first}{l}": 2,
    "{last}.{first}": 2,
    "{first}-{last}": 1.5,
    "{last}{first}": 1.5,
    "{f}{l}": 1,
    "{first}.{m}.{last}": 1,
    "{f}{m}{last}": 1,
}


@dataclass(frozen=True)
class Spelled:
    """A name part as written, with its spelling under each convention that differs."""

    written: str
    spellings: dict[str, str]  # convention → ASCII spelling; "*" for the only one


def _s(
    written: str, *spellings: str, conventions: tuple[str, ...] = ("expand", "strip")
) -> Spelled:
    if len(spellings) == 1:
        return Spelled(written, {"*": spellings[0]})
    return Spelled(written, dict(zip(conventions, spellings, strict=True)))


_CYR = ("bgn", "simple", "icao", "german")
_KOR = ("customary", "revised")
_LONG = ("short", "oh", "spelled")


@dataclass(frozen=True)
class Culture:
    tld: str
    given: tuple[Spelled, ...]
    family: tuple[Spelled, ...]
    middle: tuple[Spelled, ...] = ()
    particles: tuple[str, ...] = ()
    # How pages of this culture write names: "given_first", "family_first", "upper_family_first",
    # "comma", "patronymic", "script" (family then given, no space, in the native script).
    writings: tuple[tuple[str, float], ...] = (("given_first", 1.0),)


CULTURES = {
    "de": Culture(
        "de",
        given=(
            _s("Anna", "anna"),
            _s("Jürgen", "juergen", "jurgen"),
            _s("Hans-Peter", "hans-peter"),
            _s("Bärbel", "baerbel", "barbel"),
            _s("Uwe", "uwe"),
            _s("Katrin", "katrin"),
            _s("Jörg", "joerg", "jorg"),
            _s("Sören", "soeren", "soren"),
            _s("Lena", "lena"),
            _s("Karl-Heinz", "karl-heinz"),
            _s("Anna-Lena", "anna-lena"),
            _s("Michael", "michael"),
            _s("Stefanie", "stefanie"),
            _s("Günther", "guenther", "gunther"),
            _s("Thomas", "thomas"),
            _s("Sabine", "sabine"),
        ),
        family=(
            _s("Müller", "mueller", "muller"),
            _s("Schmidt", "schmidt"),
            _s("Schneider", "schneider"),
            _s("Fischer", "fischer"),
            _s("Weber", "weber"),
            _s("Meyer-Schulz", "meyer-schulz"),
            _s("Wagner", "wagner"),
            _s("Schäfer", "schaefer", "schafer"),
            _s("Krüger", "krueger", "kruger"),
            _s("Groß", "gross"),
            _s("Hoffmann", "hoffmann"),
            _s("Schröder", "schroeder", "schroder"),
            _s("Lüdtke-Hansen", "luedtke-hansen", "ludtke-hansen"),
            _s("Bülow", "buelow", "bulow"),
            _s("Zimmermann", "zimmermann"),
        ),
        particles=("von",),
    ),
    "en": Culture(
        "com",
        given=tuple(
            _s(n, n.lower())
            for n in [
                "John",
                "Mary",
                "Robert",
                "Jennifer",
                "Michael",
                "Linda",
                "David",
                "Sarah",
                "James",
                "Emily",
            ]
        ),
        family=(
            *(
                _s(n, n.lower())
                for n in ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis"]
            ),
            _s("O'Connor", "oconnor"),
            _s("Taylor", "taylor"),
        ),
        middle=tuple(_s(n, n.lower()) for n in ["Alan", "Marie", "Lee", "Ann"]),
    ),
    "fr": Culture(
        "fr",
        given=(
            _s("Jean-Luc", "jean-luc"),
            _s("Émilie", "emilie"),
            _s("François", "francois"),
            _s("Hélène", "helene"),
            _s("Zoé", "zoe"),
            _s("Jérôme", "jerome"),
            _s("Marie-Claire", "marie-claire"),
            _s("Pierre", "pierre"),
        ),
        family=(
            _s("Lefèvre", "lefevre"),
            _s("Dubois", "dubois"),
            _s("Girard", "girard"),
            _s("Moreau", "moreau"),
            _s("Bérenger", "berenger"),
            _s("Rousseau", "rousseau"),
            _s("Lemaître", "lemaitre"),
        ),
        particles=("de",),
    ),
    "es": Culture(
        "es",
        given=tuple(
            _s(n, a)
            for n, a in [
                ("José", "jose"),
                ("María", "maria"),
                ("Álvaro", "alvaro"),
                ("Lucía", "lucia"),
                ("Sofía", "sofia"),
                ("Pablo", "pablo"),
            ]
        ),
        family=(
            _s("García Márquez", "garcia marquez"),
            _s("Fernández López", "fernandez lopez"),
            _s("Martínez Soto", "martinez soto"),
            _s("Ruiz", "ruiz"),
            _s("Gómez", "gomez"),
            _s("Sánchez Vega", "sanchez vega"),
        ),
    ),
    "nl": Culture(
        "nl",
        given=tuple(
            _s(n, n.lower()) for n in ["Jan", "Pieter", "Sanne", "Joost", "Maarten", "Femke"]
        ),
        family=tuple(
            _s(n, n.lower())
            for n in ["Berg", "Vries", "Dijk", "Bakker", "Jansen", "Jong", "Heuvel"]
        ),
        particles=("van der", "de", "van", "van den"),
    ),
    "nordic": Culture(
        "dk",
        given=(
            _s("Søren", "soeren", "soren"),
            _s("Bjørn", "bjoern", "bjorn"),
            _s("Ingrid", "ingrid"),
            _s("Lars", "lars"),
            _s("Kjetil", "kjetil"),
        ),
        family=(
            _s("Jørgensen", "joergensen", "jorgensen"),
            _s("Ørsted", "oersted", "orsted"),
            _s("Nilsson", "nilsson"),
            _s("Lindqvist", "lindqvist"),
            _s("Dahl", "dahl"),
        ),
    ),
    "zh": Culture(
        "cn",
        given=tuple(
            _s(h, p)
            for h, p in [
                ("伟", "wei"),
                ("娜", "na"),
                ("敏", "min"),
                ("静", "jing"),
                ("强", "qiang"),
                ("磊", "lei"),
                ("军", "jun"),
                ("杰", "jie"),
                ("涛", "tao"),
                ("秀英", "xiuying"),
                ("建华", "jianhua"),
                ("志强", "zhiqiang"),
                ("海燕", "haiyan"),
                ("晓明", "xiaoming"),
            ]
        ),
        family=tuple(
            _s(h, p)
            for h, p in [
                ("王", "wang"),
                ("李", "li"),
                ("张", "zhang"),
                ("刘", "liu"),
                ("陈", "chen"),
                ("杨", "yang"),
                ("黄", "huang"),
                ("赵", "zhao"),
                ("吴", "wu"),
                ("周", "zhou"),
                ("徐", "xu"),
                ("孙", "sun"),
                ("林", "lin"),
                ("欧阳", "ouyang"),
            ]
        ),
        writings=(("script", 0.5), ("family_first", 0.3), ("given_first", 0.2)),
    ),
    "ko": Culture(
        "kr",
        given=tuple(
            _s(h, r)
            for h, r in [
                ("민준", "minjun"),
                ("서연", "seoyeon"),
                ("지훈", "jihun"),
                ("수빈", "subin"),
                ("현우", "hyeonu"),
                ("지민", "jimin"),
                ("예은", "yeeun"),
            ]
        ),
        family=tuple(
            _s(h, c, r, conventions=_KOR)
            for h, c, r in [
                ("김", "kim", "gim"),
                ("이", "lee", "i"),
                ("박", "park", "bak"),
                ("최", "choi", "choe"),
                ("정", "jung", "jeong"),
                ("강", "kang", "gang"),
                ("조", "cho", "jo"),
                ("윤", "yoon", "yun"),
                ("임", "lim", "im"),
            ]
        ),
        writings=(("script", 0.7), ("given_first", 0.3)),
    ),
    "ja": Culture(
        "jp",
        given=tuple(
            _s(kanji, *spellings, conventions=_LONG)
            if len(spellings) == 3
            else _s(kanji, *spellings)
            for kanji, *spellings in [
                ("太郎", "taro", "taroh", "tarou"),
                ("健", "takeshi"),
                ("花子", "hanako"),
                ("一郎", "ichiro", "ichiroh", "ichirou"),
                ("美咲", "misaki"),
                ("翔太", "shota", "shohta", "shouta"),
                ("優子", "yuko", "yuko", "yuuko"),
                ("直樹", "naoki"),
            ]
        ),
        family=tuple(
            _s(kanji, *spellings, conventions=_LONG)
            if len(spellings) == 3
            else _s(kanji, *spellings)
            for kanji, *spellings in [
                ("佐藤", "sato", "satoh", "satou"),
                ("鈴木", "suzuki"),
                ("高橋", "takahashi"),
                ("田中", "tanaka"),
                ("渡辺", "watanabe"),
                ("伊藤", "ito", "itoh", "itou"),
                ("山本", "yamamoto"),
                ("加藤", "kato", "katoh", "katou"),
                ("大野", "ono", "ohno", "oono"),
            ]
        ),
        writings=(
            ("script", 0.5),
            ("upper_family_first", 0.2),
            ("family_first", 0.15),
            ("given_first", 0.15),
        ),
    ),
    "ru": Culture(
        "ru",
        given=(
            _s("Юлия", "yuliya", "yulia", "iuliia", "julija", conventions=_CYR),
            _s("Дмитрий", "dmitriy", "dmitry", "dmitrii", "dmitri", conventions=_CYR),
            _s("Алексей", "aleksey", "aleksey", "aleksei", "aleksej", conventions=_CYR),
            _s("Наталья", "natalya", "natalya", "natalia", "natalja", conventions=_CYR),
            _s("Сергей", "sergey", "sergey", "sergei", "sergej", conventions=_CYR),
            _s("Ольга", "olga"),
            _s("Иван", "ivan", "ivan", "ivan", "iwan", conventions=_CYR),
        ),
        family=(
            _s("Иванов", "ivanov", "ivanov", "ivanov", "iwanow", conventions=_CYR),
            _s("Смирнов", "smirnov", "smirnov", "smirnov", "smirnow", conventions=_CYR),
            _s("Кузнецов", "kuznetsov", "kuznetsov", "kuznetsov", "kusnezow", conventions=_CYR),
            _s("Соколов", "sokolov", "sokolov", "sokolov", "sokolow", conventions=_CYR),
            _s("Волков", "volkov", "volkov", "volkov", "wolkow", conventions=_CYR),
            _s(
                "Щербаков",
                "shcherbakov",
                "shcherbakov",
                "shcherbakov",
                "schtscherbakow",
                conventions=_CYR,
            ),
        ),
        middle=(
            _s("Петрович", "petrovich", "petrovich", "petrovich", "petrowitsch", conventions=_CYR),
        ),
        writings=(("given_first", 0.6), ("patronymic", 0.4)),
    ),
    "el": Culture(
        "gr",
        given=tuple(
            _s(g, a)
            for g, a in [
                ("Γιώργος", "giorgos"),
                ("Μαρία", "maria"),
                ("Νίκος", "nikos"),
                ("Ελένη", "eleni"),
                ("Δημήτρης", "dimitris"),
                ("Κατερίνα", "katerina"),
            ]
        ),
        family=tuple(
            _s(g, a)
            for g, a in [
                ("Παπαδόπουλος", "papadopoulos"),
                ("Οικονόμου", "oikonomou"),
                ("Γεωργίου", "georgiou"),
                ("Νικολάου", "nikolaou"),
                ("Παπαδάκης", "papadakis"),
            ]
        ),
    ),
    "hu": Culture(
        "hu",
        given=tuple(
            _s(n, a)
            for n, a in [
                ("Péter", "peter"),
                ("László", "laszlo"),
                ("Zsófia", "zsofia"),
                ("Katalin", "katalin"),
                ("Gábor", "gabor"),
                ("Eszter", "eszter"),
                ("Ádám", "adam"),
            ]
        ),
        family=tuple(
            _s(n, a)
            for n, a in [
                ("Nagy", "nagy"),
                ("Kovács", "kovacs"),
                ("Tóth", "toth"),
                ("Szabó", "szabo"),
                ("Horváth", "horvath"),
                ("Varga", "varga"),
                ("Kiss", "kiss"),
            ]
        ),
        writings=(("family_first", 0.8), ("given_first", 0.2)),
    ),
    "vi": Culture(
        "vn",
        given=tuple(
            _s(n, a)
            for n, a in [
                ("An", "an"),
                ("Hùng", "hung"),
                ("Lan", "lan"),
                ("Minh", "minh"),
                ("Phương", "phuong"),
                ("Tuấn", "tuan"),
            ]
        ),
        family=tuple(
            _s(n, a)
            for n, a in [
                ("Nguyễn", "nguyen"),
                ("Trần", "tran"),
                ("Lê", "le"),
                ("Phạm", "pham"),
                ("Hoàng", "hoang"),
            ]
        ),
        middle=tuple(_s(n, a) for n, a in [("Văn", "van"), ("Thị", "thi"), ("Đức", "duc")]),
        writings=(("family_first", 1.0),),
    ),
}


@dataclass(frozen=True)
class _Person:
    culture: str
    given: Spelled
    middle: Spelled | None
    particles: str
    family: Spelled


@dataclass(frozen=True)
class _Style:
    diacritics: str
    cyrillic: str
    korean: str
    given_compound: str
    family_compound: str
    particles: str
    long_vowels: str = "short"


def synthetic_domains(seed: int, count: int) -> dict[str, list[KnownAddress]]:
    """`count` companies with 2 to 10 people each: {domain: [(name as written, address)]}."""
    rng = random.Random(seed)
    domains = {}
    for number in range(count):
        home = rng.choice(list(CULTURES))
        domain = f"company{number}.{CULTURES[home].tld}"
        template = _weighted(rng, WORLD_TEMPLATES)
        legacy = _weighted(rng, WORLD_TEMPLATES) if rng.random() < 0.15 else None
        style = _Style(
            diacritics="expand" if rng.random() < (0.75 if home == "de" else 0.4) else "strip",
            cyrillic=rng.choice(_CYR),
            korean="customary" if rng.random() < 0.8 else "revised",
            given_compound=_weighted(rng, {"join": 5, "first_part": 3, "hyphen": 2}),
            family_compound=_weighted(
                rng, {"join": 4, "hyphen": 2, "first_part": 3, "last_part": 1}
            ),
            particles="keep" if rng.random() < 0.7 else "drop",
            long_vowels=_weighted(rng, {"short": 6, "oh": 2, "spelled": 2}),
        )
        people = []
        for _ in range(rng.randint(2, 10)):
            culture = home if rng.random() < 0.75 else rng.choice(["en", "de", home])
            person = _person(rng, culture)
            chosen = legacy if legacy and rng.random() < 0.3 else template
            local = _address(person, chosen, style)
            if rng.random() < 0.04 or not local:
                local = _unexplainable(rng, person)
            people.append(KnownAddress(_written(rng, person), f"{local}@{domain}"))
        domains[domain] = people
    return domains


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _person(rng: random.Random, culture: str) -> _Person:
    c = CULTURES[culture]
    middle = (
        rng.choice(c.middle)
        if c.middle and rng.random() < (0.9 if culture == "vi" else 0.3)
        else None
    )
    if culture == "ru":
        middle = c.middle[0]
    particles = rng.choice(c.particles) if c.particles and rng.random() < 0.3 else ""
    return _Person(culture, rng.choice(c.given), middle, particles, rng.choice(c.family))


def _spelling(part: Spelled, style: _Style) -> str:
    for convention in ("*", style.diacritics, style.cyrillic, style.korean, style.long_vowels):
        if convention in part.spellings:
            return part.spellings[convention]
    raise AssertionError(f"no spelling of {part.written} for {style}")


def _compound(spelled: str, how: str) -> str:
    parts = spelled.replace(" ", "-").split("-")
    return {
        "join": "".join(parts),
        "hyphen": "-".join(parts),
        "first_part": parts[0],
        "last_part": parts[-1],
    }[how]


def _address(person: _Person, template: str, style: _Style) -> str:
    given_parts = _spelling(person.given, style).split("-")
    first = _compound(_spelling(person.given, style), style.given_compound)
    last = _compound(_spelling(person.family, style), style.family_compound)
    if person.particles and style.particles == "keep":
        last = person.particles.replace(" ", "") + last
    middle = _spelling(person.middle, style) if person.middle and person.culture != "ru" else ""
    if not middle:
        template = template.replace(".{m}", "").replace("{m}", "")
    values = {
        "first": first,
        "f": given_parts[0][0],
        "last": last,
        "l": last[0],
        "middle": middle,
        "m": middle[:1],
    }
    return template.format(**values)


def _unexplainable(rng: random.Random, person: _Person) -> str:
    given = _spelling(person.given, _Style("strip", "bgn", "customary", "join", "join", "keep"))
    return rng.choice(
        [f"{given.replace('-', '')}{rng.randint(2, 99)}", f"x{rng.randint(1000, 9999)}"]
    )


_LATIN_DISPLAY = _Style("strip", "bgn", "customary", "join", "join", "keep")


def _written(rng: random.Random, person: _Person) -> str:
    c = CULTURES[person.culture]
    writing = _weighted(rng, dict(c.writings))
    given, family = person.given.written, person.family.written
    if "script" in dict(c.writings) and writing != "script":
        # East Asian names written in Latin letters are spelled the customary way.
        given, family = (
            _spelling(p, _LATIN_DISPLAY).title() for p in (person.given, person.family)
        )
    if person.particles:
        family = f"{person.particles} {family}"
    middle = person.middle.written if person.middle else ""
    if writing == "script":
        return family + given
    if writing == "family_first":
        return " ".join(p for p in (family, middle, given) if p)
    if writing == "upper_family_first":
        return f"{family.upper()} {given}"
    if writing == "patronymic":
        return f"{family} {given} {middle}"
    if person.culture == "de" and rng.random() < 0.15:
        return f"Dr. {given} {family}"
    if rng.random() < 0.1:
        return f"{family}, {given}"
    return " ".join(p for p in (given, middle, family) if p)
