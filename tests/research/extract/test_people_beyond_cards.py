"""People on pages shaped like real small-company sites, beyond plain team cards: quotations
(testimonials, reviews, pull quotes) whose authors are not staff, credentials and nicknames
in names, roles named by a heading above the person or by the markup around them, titles in
French, German trades, labels above a list of names, and people named in the sentences of an
about page (English and Italian)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coldflow.research.extract import extract_page

FIXTURES = Path(__file__).parent / "fixtures"

# Page → (its URL, the staff as (name, title), the people quoted on it who must not appear).
PAGES = {
    "divi_team_testimonials.html": (
        "https://greenleaf-landscaping.com/our-team/",
        [
            ("Michael Torres", "Owner & Founder"),
            ("Jennifer Walsh", "Office Manager"),
            ("David Kim", "Lead Landscape Designer"),
            ("Rachel O’Connor", "Project Coordinator"),
        ],
        ["Susan Miller"],
    ),
    "bootstrap_team_quotes.html": (
        "https://www.pixelforge.co.uk/team/",
        [
            ("Hannah Brooks", "Managing Director"),
            ("Omar Siddiqui", "Creative Director"),
            ("Lucy Fairbairn", "Head of Client Services"),
            ("Tom Ashworth", "Senior Front-End Developer"),
            ("Priya Mistry", "UX/UI Designer"),
            ("Jack McDonnell", "Digital Marketing Executive"),
        ],
        ["Rebecca Lyons", "Tom Hargreaves"],
    ),
    "impressum_role_headings.html": (
        "https://www.schmidt-weber-haustechnik.de/impressum/",
        [
            ("Thomas Weber", "Geschäftsführer"),
            ("Julia Krämer", "Datenschutzbeauftragte"),
            ("Dr. Anna Schmidt", "Geschäftsführer"),
        ],
        [],
    ),
    "hubspot_leadership_credentials.html": (
        "https://www.vantagepointhr.com/about/leadership",
        [
            ("Rebecca Bennett", "Chief Executive Officer"),
            ("James Whitaker", "Chief Operating Officer"),
            ("Angela Ruiz", "VP, People Operations"),
            ("Marcus Lee", "Director of Client Success"),
            ("Tanya Brooks", "Senior HR Business Partner"),
            ("Kevin Cho", "Talent Acquisition Lead"),
        ],
        ["Laura Pike"],
    ),
    "cpa_firm_credentials_list.html": (
        "https://www.mercerlowellcpa.com/our-team/",
        [
            ("Jane Mercer", "Managing Partner"),
            ("Robert Lowell", "Partner"),
            ("Anita Desai", "Tax Manager"),
            ("Kevin O’Brien", "Senior Accountant"),
            ("Maria Gonzalez", "Enrolled Agent"),
            ("Patricia Hughes", "Office Administrator"),
        ],
        ["Mark Stevens", "Helen Chu", "Dr. Helen Chu"],
    ),
    "jsonld_reviews_hcard.html": (
        "https://brightwavesolar.com.au/about-us/",
        [
            ("Liam Gallagher", "Founder & Managing Director"),
            ("Chloe Nguyen", "Operations Manager"),
            ("Tom Fraser", "Senior Electrical Engineer"),
            ("Ruby Patel", "Customer Care Lead"),
            ("Nathan Brooks", "Installation Team Leader"),
        ],
        ["Greg Thompson", "Megan O'Reilly", "Megan O’Reilly"],
    ),
    "elementor_equipe_fr.html": (
        "https://www.atelier-lumiere.fr/notre-equipe/",
        [
            ("Claire Dubois", "Gérante et fondatrice"),
            ("Julien Moreau", "Directeur commercial"),
            ("Sophie Lefèvre", "Responsable de production"),
            ("Antoine Girard", "Chef de projet"),
            ("Élodie Marchand", "Chargée de communication"),
            ("Nicolas Bernard", "Technicien éclairagiste"),
        ],
        ["Marc Fontaine"],
    ),
    "about_founders_prose.html": (
        "https://northbeam-analytics.com/about",
        [
            ("Sarah Chen", "CEO"),
            ("Mark Olsen", "CTO"),
            ("Priya Raman", "VP of Customer Success"),
            ("Daniel Okafor", "Head of Finance"),
            ("Lisa Hoffmann", "lead data scientist"),
        ],
        # A customer's pull quote, and an investor on the board.
        ["Kevin Marsh", "Jennifer Liu"],
    ),
    "contact_staff_table.html": (
        "https://www.harborelectricsupply.com/contact.html",
        [
            ("Robert Delgado", "President"),
            ("Karen Whitfield", "Controller / Credit Manager"),
            ("Luis Ortega", "Warehouse Manager"),
            ("Denise Park", "Inside Sales"),
            ("Tom Becker", "Purchasing Agent"),
            ("Angela Russo", "Lighting Specialist"),
        ],
        ["Bill Kowalski"],
    ),
    # Roles known only from the markup (class="team-funktion"), trades as compounds.
    "jimdo_tischlerei_team.html": (
        "https://www.tischlerei-hagedorn.de/%C3%BCber-uns-team/",
        [
            ("Jens Hagedorn", "Tischlermeister & Inhaber"),
            ("Sabine Hagedorn", "Büro & Buchhaltung"),
            ("Tobias Reinkemeier", "Tischlermeister, Werkstattleitung"),
            ("Kevin Brüggemann", "Tischlergeselle"),
            ("Marco Stölting", "Tischlergeselle, Montage"),
            ("Aylin Demir", "Auszubildende (3. Lehrjahr)"),
            ("Finn Oberdiek", "Azubi (1. Lehrjahr)"),
        ],
        # The late founder in the history, a customer's review.
        ["Wilhelm Hagedorn", "Ulrike Lüdeking"],
    ),
    # "Vertreten durch die Geschäftsführer:" on a line of its own, the names below it.
    "typo3_impressum_label_lines.html": (
        "https://www.kessler-praezision.de/impressum",
        [
            ("Dr.-Ing. Andreas Kessler", "Geschäftsführer"),
            ("Birgit Vogelsang", "Geschäftsführer"),
            ("Stefan Wendling", "Prokurist"),
        ],
        # The external data protection officer, the web agency's people, TYPO3's author.
        ["Matthias Grote", "Jonas Albers", "Katrin Meyerhoff", "Kasper Skaarhoj"],
    ),
    # class="ml-role" marks roles, one of which reads like a name ("Dessinateur-projeteur BIM").
    "elementor_roles_by_class_fr.html": (
        "https://www.moreaulavigne-architectes.fr/agence/equipe/",
        [
            ("Claire Moreau", "Architecte DPLG, associée fondatrice"),
            ("Julien Lavigne", "Architecte DE-HMONP, associé"),
            ("Inès Benali", "Architecte, cheffe de projet"),
            ("Thomas Ferrand", "Chef de projet, économiste de la construction"),
            ("Léa Castagnet", "Architecte d’intérieur"),
            ("Hugo Perrin", "Dessinateur-projeteur BIM"),
            ("Mathilde Roux", "Assistante de direction"),
            ("Yanis Haddou", "Stagiaire architecte (ENSA Grenoble)"),
        ],
        ["Élise Garnier", "Antoine Vernier"],
    ),
    # Italian prose: "Roberto Bertolino, titolare e viticoltore, insieme alla moglie …".
    "shopify_chi_siamo_prose_it.html": (
        "https://www.cascinavalsorda.it/pages/chi-siamo",
        [
            ("Roberto Bertolino", "titolare e viticoltore"),
            ("Elena Marchisio", "responsabile dell'accoglienza e delle visite in cantina"),
            ("Matteo Bertolino", "agronomo"),
            ("Franco Giordano", "cantiniere"),
            ("Chiara Abbona", "export manager"),
        ],
        ["Aldo Bertolino", "Paolo Castelletti", "Davide Carletti"],
    ),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_staff_are_found_and_the_quoted_are_not(page: str) -> None:
    url, staff, quoted = PAGES[page]
    html = (FIXTURES / page).read_text("utf-8")
    people = extract_page(html, url).people
    assert sorted((p.name, p.title) for p in people) == sorted(staff)
    assert not {p.name for p in people} & set(quoted)


def test_a_nickname_and_a_credential_stay_out_of_the_name_and_the_title() -> None:
    html = (FIXTURES / "contact_staff_table.html").read_text("utf-8")
    people = {p.name: p for p in extract_page(html, PAGES["contact_staff_table.html"][0]).people}
    # Published as "Angela “Angie” Russo"; her address is tied to her by the name.
    assert people["Angela Russo"].email == "arusso@harborelectricsupply.com"
