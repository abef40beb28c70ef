from coldflow.contacts.names import PersonSighting, dedupe_people, same_person


def test_it_recognises_the_same_person_written_differently():
    assert same_person("Dr. Hans Müller", "Hans Mueller")
    assert same_person("MÜLLER, Hans", "Hans Müller")
    assert same_person("Hans P. Müller", "Hans Peter Müller")
    assert same_person("Hans Müller", "Hans Peter Müller")
    assert same_person("J. Smith", "John Smith")
    assert same_person("Hans-Peter Müller", "Hans Peter Müller")
    assert same_person("王伟", "Wang Wei")
    assert same_person("김민준", "Minjun Kim")


def test_it_keeps_different_people_apart():
    assert not same_person("Anna Schmidt", "Anne Schmidt")
    assert not same_person("Hans Peter Müller", "Hans Paul Müller")
    assert not same_person("Thomas James", "James Thomas")
    assert not same_person("Anna Berg", "")
    assert not same_person("Hans-Peter Müller", "Hans Müller")


def test_it_merges_sightings_from_several_pages_keeping_every_source():
    people = dedupe_people(
        [
            PersonSighting("Dr. Hans Müller", "CEO", source="https://acme.de/team"),
            PersonSighting(
                "Hans Mueller",
                "Geschäftsführer",
                "hans@acme.de",
                source="https://acme.de/impressum",
            ),
            PersonSighting("Anna Berg", "CTO", source="https://acme.de/team"),
            PersonSighting("HANS MÜLLER", "CEO", source="https://acme.de/about"),
        ]
    )
    assert [p.name.display for p in people] == ["Hans Müller", "Anna Berg"]
    hans = people[0]
    assert hans.titles == ("CEO", "Geschäftsführer")
    assert hans.emails == ("hans@acme.de",)
    assert hans.sources == (
        "https://acme.de/team",
        "https://acme.de/impressum",
        "https://acme.de/about",
    )
    assert len(hans.sightings) == 3


def test_it_keeps_the_fullest_spelling_of_the_name():
    people = dedupe_people([PersonSighting("H. Müller"), PersonSighting("Hans Peter Müller")])
    assert len(people) == 1
    assert people[0].name.display == "Hans Peter Müller"


def test_a_shared_linkedin_profile_merges_and_different_profiles_separate():
    merged = dedupe_people(
        [
            PersonSighting("Bob Smith", linkedin="https://www.linkedin.com/in/rsmith/"),
            PersonSighting("Robert Smith", linkedin="http://linkedin.com/in/rsmith?trk=x"),
        ]
    )
    assert len(merged) == 1
    apart = dedupe_people(
        [
            PersonSighting("John Smith", linkedin="https://linkedin.com/in/john-smith-1"),
            PersonSighting("John Smith", linkedin="https://linkedin.com/in/john-smith-2"),
        ]
    )
    assert len(apart) == 2


def test_a_nameless_sighting_joins_the_person_with_its_address():
    people = dedupe_people(
        [
            PersonSighting("Anna Berg", email="anna@acme.de"),
            PersonSighting("", email="ANNA@acme.de", source="x"),
        ]
    )
    assert len(people) == 1
    assert people[0].sources == ("x",)


def test_two_people_sharing_a_role_address_stay_apart():
    people = dedupe_people(
        [
            PersonSighting("Anna Berg", email="info@acme.de"),
            PersonSighting("Tom Kurz", email="info@acme.de"),
        ]
    )
    assert len(people) == 2
