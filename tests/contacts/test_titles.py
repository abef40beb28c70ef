import pytest

from coldflow.contacts.titles import DEPARTMENTS, SENIORITIES, normalise_title, roles_named

# (title, seniority, department, language)
CASES = [
    # owners
    ("Founder", "owner", "other", "en"),
    ("Co-Founder & CTO", "owner", "engineering", "en"),
    ("Founder & CEO", "owner", "other", "en"),
    ("Owner", "owner", "other", "en"),
    ("Managing Partner", "owner", "other", "en"),
    ("Inhaber", "owner", "other", "de"),
    ("Inhaberin", "owner", "other", "de"),
    ("Gründer und Geschäftsführer", "owner", "other", "de"),
    ("Mitgründerin", "owner", "other", "de"),
    ("Geschäftsführender Gesellschafter", "owner", "other", "de"),
    # C-level
    ("CEO", "c_level", "other", "en"),
    ("CTO", "c_level", "engineering", "en"),
    ("CFO", "c_level", "finance", "en"),
    ("COO", "c_level", "operations", "en"),
    ("CMO", "c_level", "marketing", "en"),
    ("Chief Revenue Officer", "c_level", "sales", "en"),
    ("Chief People Officer", "c_level", "hr", "en"),
    ("Chief Customer Officer", "c_level", "customer_success", "en"),
    ("Managing Director", "c_level", "other", "en"),
    ("President", "c_level", "other", "en"),
    ("Geschäftsführer(in)", "c_level", "other", "de"),
    ("Geschäftsführerin", "c_level", "other", "de"),
    ("Technischer Geschäftsführer", "c_level", "engineering", "de"),
    ("Kaufmännische Geschäftsführerin", "c_level", "finance", "de"),
    ("Vorstandsvorsitzender", "c_level", "other", "de"),
    ("Vorstand Finanzen", "c_level", "finance", "de"),
    # VPs
    ("VP, Sales", "vp", "sales", "en"),
    ("VP of Engineering", "vp", "engineering", "en"),
    ("Vice President Marketing", "vp", "marketing", "en"),
    ("SVP Customer Success", "vp", "customer_success", "en"),
    ("Executive Vice President, Operations", "vp", "operations", "en"),
    ("Vizepräsidentin Personal", "vp", "hr", "de"),
    # heads and directors
    ("Head of Sales", "head", "sales", "en"),
    ("Head of People & Culture", "head", "hr", "en"),
    ("Director of Finance", "head", "finance", "en"),
    ("Sales Director EMEA", "head", "sales", "en"),
    ("Global Head of Customer Success", "head", "customer_success", "en"),
    ("Vertriebsleiter", "head", "sales", "de"),
    ("Leiterin Marketing", "head", "marketing", "de"),
    ("Leiter*in Personal", "head", "hr", "de"),
    ("IT-Leiter", "head", "engineering", "de"),
    ("Leitung Buchhaltung", "head", "finance", "de"),
    ("Produktionsleiter", "head", "operations", "de"),
    ("Bereichsleiterin Kundenservice", "head", "customer_success", "de"),
    ("Kaufmännischer Leiter", "head", "finance", "de"),
    ("Einkaufsleiter (m/w/d)", "head", "operations", "de"),
    ("Abteilungsleiter Softwareentwicklung", "head", "engineering", "de"),
    # managers
    ("Marketing Manager", "manager", "marketing", "en"),
    ("Senior Product Manager", "manager", "engineering", "en"),
    ("Customer Success Manager", "manager", "customer_success", "en"),
    ("Key Account Manager", "manager", "sales", "en"),
    ("Office Manager", "manager", "operations", "en"),
    ("Engineering Team Lead", "manager", "engineering", "en"),
    ("Sales Lead", "manager", "sales", "en"),
    ("HR Manager", "manager", "hr", "en"),
    ("Teamleiter Kundenservice", "manager", "customer_success", "de"),
    ("Teamleiterin Vertrieb Innendienst", "manager", "sales", "de"),
    ("Projektleiter", "manager", "operations", "de"),
    ("Produktmanagerin", "manager", "engineering", "de"),
    ("Finanzmanager", "manager", "finance", "de"),
    # individual contributors
    ("Sales Development Representative", "staff", "sales", "en"),
    ("Account Executive", "staff", "sales", "en"),
    ("Senior Software Engineer", "staff", "engineering", "en"),
    ("Lead Engineer", "staff", "engineering", "en"),
    ("Content Marketing Specialist", "staff", "marketing", "en"),
    ("Recruiter", "staff", "hr", "en"),
    ("HR Business Partner", "staff", "hr", "en"),
    ("Accountant", "staff", "finance", "en"),
    ("Customer Support Agent", "staff", "customer_success", "en"),
    ("Logistics Coordinator", "staff", "operations", "en"),
    ("Executive Assistant to the CEO", "staff", "other", "en"),
    ("Legal Counsel", "staff", "other", "en"),
    ("Werkstudent", "staff", "other", "de"),
    ("Werkstudentin Marketing", "staff", "marketing", "de"),
    ("Softwareentwickler", "staff", "engineering", "de"),
    ("Vertriebsmitarbeiter (m/w/d)", "staff", "sales", "de"),
    ("Buchhalterin", "staff", "finance", "de"),
    ("Personalreferentin", "staff", "hr", "de"),
    ("Mitarbeiterin Kundenservice", "staff", "customer_success", "de"),
    ("Assistenz der Geschäftsführung", "staff", "other", "de"),
    ("Vorstandsassistent", "staff", "other", "de"),
    ("Sachbearbeiter Einkauf", "staff", "operations", "de"),
]


@pytest.mark.parametrize(("title", "seniority", "department", "language"), CASES)
def test_it_normalises_english_and_german_titles(title, seniority, department, language):
    info = normalise_title(title)
    assert (info.seniority, info.department, info.language) == (seniority, department, language)


def test_the_cases_cover_every_seniority_and_department():
    assert {case[1] for case in CASES} == set(SENIORITIES)
    assert {case[2] for case in CASES} == set(DEPARTMENTS)
    assert sum(case[3] == "de" for case in CASES) >= 30


@pytest.mark.parametrize(
    ("title", "canonical"),
    [
        ("VP, Sales", "VP Sales"),
        ("Vertriebsleiter", "Head of Sales"),
        ("Leiterin Marketing", "Head of Marketing"),
        ("Geschäftsführer(in)", "Managing Director"),
        ("Inhaber", "Owner"),
        ("CTO", "Chief Technology Officer"),
        ("Chief Revenue Officer", "Chief Revenue Officer"),
        ("Teamleiter Kundenservice", "Customer Success Manager"),
        ("Sales Development Representative", "Sales Development Representative"),
        ("Werkstudent", "Werkstudent"),
    ],
)
def test_it_gives_a_canonical_english_title(title, canonical):
    assert normalise_title(title).canonical == canonical


def test_it_strips_gender_markers_and_clutter_from_the_title():
    assert normalise_title("  Vertriebsmitarbeiter (m/w/d) ").title == "Vertriebsmitarbeiter"
    assert normalise_title("Geschäftsführer(in)").title == "Geschäftsführer"
    assert normalise_title("Berater:in Vertrieb").title == "Berater Vertrieb"
    assert normalise_title("Mitarbeiter/-in Einkauf").title == "Mitarbeiter Einkauf"


def test_an_empty_title_has_unknown_seniority():
    assert normalise_title("") == normalise_title("   ")
    assert normalise_title("").seniority == "unknown"


@pytest.mark.parametrize("hostile", [None, 42, "x" * 100_000, "<b>CEO</b>", "\x00CTO"])
def test_it_never_crashes_on_hostile_input(hostile):
    info = normalise_title(hostile)
    assert len(info.title) <= 200


def test_it_reads_roles_named_in_free_text_with_plurals():
    assert roles_named("CTOs and VPs of engineering") == ({"c_level", "vp"}, {"engineering"})
    assert roles_named("Leiter Vertrieb und Marketing") == ({"head"}, {"sales", "marketing"})
    assert roles_named("the operations people") == (set(), {"operations"})


@pytest.mark.parametrize(
    ("title", "seniority", "department"),
    [
        ("Disponentin", "staff", "operations"),
        ("Leiterin Rechnungswesen", "head", "finance"),
    ],
)
def test_it_knows_logistics_dispatchers_and_accounting_heads(title, seniority, department):
    info = normalise_title(title)
    assert (info.seniority, info.department) == (seniority, department)


@pytest.mark.parametrize(
    ("title", "seniority", "department"),
    [
        ("Talent Partner", "staff", "hr"),
        ("People Partner", "staff", "hr"),
        ("Partner", "owner", "other"),
        ("Managing Partner", "owner", "other"),
        ("Recruiterin", "staff", "hr"),
        ("Bookkeeper", "staff", "finance"),
        ("Dispatcher", "staff", "operations"),
        ("Financial Controller", "head", "finance"),
        ("Controller", "staff", "finance"),
        ("Kundenbetreuerin", "manager", "customer_success"),
    ],
)
def test_partners_who_own_nothing_bookkeepers_dispatchers_and_account_managers_in_german(
    title, seniority, department
):
    info = normalise_title(title)
    assert (info.seniority, info.department) == (seniority, department)
