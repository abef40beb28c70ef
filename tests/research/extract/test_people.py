"""People from cards, tables, definition lists and structured data, and when an address or a
LinkedIn profile belongs to them."""

from __future__ import annotations

from coldflow.research.extract import extract_page

URL = "https://www.acme.de/team"


def _people(html: str) -> list[tuple]:
    return [
        (p.name, p.title, p.email, p.linkedin_url, p.method) for p in extract_page(html, URL).people
    ]


def test_a_card_ties_its_own_address_and_profile_to_its_person() -> None:
    html = """
    <div class="grid">
      <div class="member"><h3>Anna Schmidt</h3><p>Head of Sales</p>
        <a href="mailto:anna.schmidt@acme.de">Mail</a> <a href="https://de.linkedin.com/in/anna-schmidt/">in</a></div>
      <div class="member"><h3>Max Müller</h3><p>CTO</p></div>
    </div>"""
    assert _people(html) == [
        (
            "Anna Schmidt",
            "Head of Sales",
            "anna.schmidt@acme.de",
            "https://www.linkedin.com/in/anna-schmidt",
            "card",
        ),
        ("Max Müller", "CTO", None, None, "card"),
    ]


def test_a_title_above_the_name_is_read_in_that_order() -> None:
    html = """
    <div class="grid">
      <div class="member"><small>Head of Sales</small><h3>Anna Schmidt</h3></div>
      <div class="member"><small>Geschäftsführer</small><h3>Max Müller</h3></div>
    </div>"""
    assert [(n, t) for n, t, *_ in _people(html)] == [
        ("Anna Schmidt", "Head of Sales"),
        ("Max Müller", "Geschäftsführer"),
    ]


def test_names_and_titles_separated_by_line_breaks_pair_in_reading_order() -> None:
    html = "<p>Anna Schmidt<br>Head of Sales<br><br>Max Müller<br>Vertriebsleiter</p>"
    assert [(n, t) for n, t, *_ in _people(html)] == [
        ("Anna Schmidt", "Head of Sales"),
        ("Max Müller", "Vertriebsleiter"),
    ]


def test_an_address_outside_the_card_is_not_tied_to_the_person() -> None:
    html = """
    <div class="member"><h3>Anna Schmidt</h3><p>Head of Sales</p></div>
    <div class="member"><h3>Max Müller</h3><p>CTO</p></div>
    <p>Questions? <a href="mailto:max.mueller@acme.de">Write to us</a></p>"""
    assert [(n, e) for n, _, e, *_ in _people(html)] == [
        ("Anna Schmidt", None),
        ("Max Müller", None),
    ]


def test_a_team_address_on_a_card_is_not_taken_for_the_persons_own() -> None:
    html = (
        '<div class="member"><h3>Julia Becker</h3><p>HR Managerin</p><p>bewerbung@acme.de</p></div>'
    )
    assert _people(html) == [("Julia Becker", "HR Managerin", None, None, "card")]


def test_of_several_addresses_on_a_card_the_one_matching_the_name_is_chosen() -> None:
    html = '<div class="member"><h3>Anna Schmidt</h3><p>Head of Sales</p><p>info@acme.de · a.schmidt@acme.de · sales@acme.de</p></div>'
    assert _people(html)[0][2] == "a.schmidt@acme.de"


def test_headings_are_not_people() -> None:
    html = """
    <h2>Offene Stellen</h2><h3>Projektleiter Photovoltaik (m/w/d)</h3>
    <h2>Our Team</h2><p>Head of Sales</p><h2>Contact us</h2><p>Managing Director</p>"""
    assert _people(html) == []


def test_a_lone_name_needs_a_tied_address_or_profile() -> None:
    html = """
    <blockquote>Great work!<br>Robert Brown</blockquote>
    <div class="member"><h3>Lena Vogel</h3><p><a href="mailto:lena.vogel@acme.de">lena.vogel@acme.de</a></p></div>"""
    assert _people(html) == [("Lena Vogel", None, "lena.vogel@acme.de", None, "card")]


def test_an_unknown_name_is_kept_when_its_card_ties_a_profile() -> None:
    html = """
    <div class="member"><h3>Oluwaseun Adebayo</h3><p>VP Engineering</p><a href="https://www.linkedin.com/in/seun">in</a></div>
    <div class="member"><h3>Gute Gründe</h3><p>Projektleiter</p></div>"""
    assert [(n, t) for n, t, *_ in _people(html)] == [("Oluwaseun Adebayo", "VP Engineering")]


def test_a_table_with_german_headers_gives_name_title_and_address_per_row() -> None:
    html = """
    <table><tr><th>Name</th><th>Funktion</th><th>E-Mail</th></tr>
      <tr><td>Dr. Petra Roth</td><td>Partnerin, Bauphysik</td><td>p.roth&#64;acme.de</td></tr>
      <tr><td>Sekretariat</td><td>Empfang</td><td>info@acme.de</td></tr>
    </table>
    <table><tr><th>Vorname</th><th>Nachname</th><th>Position</th></tr><tr><td>Lea</td><td>Hoffmann</td><td>Auszubildende</td></tr></table>"""
    assert _people(html) == [
        ("Dr. Petra Roth", "Partnerin, Bauphysik", "p.roth@acme.de", None, "table"),
        ("Lea Hoffmann", "Auszubildende", None, None, "table"),
    ]


def test_a_table_without_headers_is_read_by_its_content() -> None:
    html = "<table><tr><td>Jonas Weber</td><td>Energieberater</td></tr><tr><td>Marie Schulze</td><td>Planerin</td></tr></table>"
    assert [(n, t, m) for n, t, _, _, m in _people(html)] == [
        ("Jonas Weber", "Energieberater", "table"),
        ("Marie Schulze", "Planerin", "table"),
    ]


def test_definition_lists_pair_terms_and_descriptions_in_either_order() -> None:
    html = """<dl>
      <dt>Helen Marlow</dt><dd>Managing Partner</dd><dd>helen [at] acme [dot] co [dot] uk</dd>
      <dt>Director of Audit</dt><dd>Samira Haddad</dd>
    </dl>"""
    assert _people(html) == [
        ("Helen Marlow", "Managing Partner", "helen@acme.co.uk", None, "definition_list"),
        ("Samira Haddad", "Director of Audit", None, None, "definition_list"),
    ]


def test_json_ld_people_nested_in_an_organization_are_found() -> None:
    html = """<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Organization",
      "name": "Acme", "employee": [{"@type": "Person", "givenName": "Jürgen", "familyName": "Weiß", "jobTitle": "CTO",
      "email": "mailto:j.weiss@acme.de"}], "founder": {"@type": "Person", "name": "Anna Schmidt",
      "sameAs": ["https://twitter.com/anna", "https://www.linkedin.com/in/annaschmidt"]}}</script>"""
    assert _people(html) == [
        ("Jürgen Weiß", "CTO", "j.weiss@acme.de", None, "jsonld"),
        ("Anna Schmidt", None, None, "https://www.linkedin.com/in/annaschmidt", "jsonld"),
    ]


def test_microdata_people_are_found() -> None:
    html = """<div itemscope itemtype="https://schema.org/Person"><span itemprop="name">Grace O'Neill</span>,
      <span itemprop="jobTitle">Payroll Manager</span> <a itemprop="email" href="mailto:g.oneill@acme.co.uk">Mail</a></div>"""
    assert _people(html) == [
        ("Grace O'Neill", "Payroll Manager", "g.oneill@acme.co.uk", None, "microdata")
    ]


def test_the_same_person_found_twice_is_merged_keeping_the_surest_facts() -> None:
    html = """<script type="application/ld+json">{"@type": "Person", "name": "Anna Schmidt", "jobTitle": "CEO"}</script>
      <div class="member"><h3>Dr. Anna Schmidt</h3><p>Co-Founder &amp; CEO</p><a href="mailto:anna@acme.de">Mail</a></div>"""
    assert _people(html) == [("Anna Schmidt", "CEO", "anna@acme.de", None, "jsonld")]


def test_unclosed_cards_nested_in_each_other_still_pair_name_and_title() -> None:
    html = """<div class="member"><h4>Maximilian Brandt</h4><p>Founder &amp; CEO
      <div class="member"><h4>Annika Möller</h4><p>Key Account Managerin<p><a href="mailto:annika@acme.de">annika@acme.de</a>
      <div class="member"><h4>Lea Bauer</h4><p>Leiterin Kundenservice <a href="https://www.linkedin.com/in/lea">LinkedIn</a></div>"""
    assert [(n, t, e) for n, t, e, *_ in _people(html)] == [
        ("Maximilian Brandt", "Founder & CEO", None),
        ("Annika Möller", "Key Account Managerin", "annika@acme.de"),
        ("Lea Bauer", "Leiterin Kundenservice", None),
    ]


def test_trades_that_are_family_names_and_compound_titles_are_read_right() -> None:
    html = """<div class="member"><h3>James Baker</h3><p>Sales Director</p></div>
      <div class="member"><h3>Marie Lehmann</h3><p>Kundenservice-Mitarbeiterin</p></div>
      <div class="member"><h3>Chloé Dubois</h3><p>Recruiterin</p></div>
      <div class="member"><h3>Marco Steiner</h3><p>Lernender Kaufmann</p></div>"""
    assert [(n, t) for n, t, *_ in _people(html)] == [
        ("James Baker", "Sales Director"),
        ("Marie Lehmann", "Kundenservice-Mitarbeiterin"),
        ("Chloé Dubois", "Recruiterin"),
        ("Marco Steiner", "Lernender Kaufmann"),
    ]


def test_addresses_decoded_by_scripts_from_attributes_are_tied_to_the_card() -> None:
    html = """<table><tr><th>Name</th><th>Position</th><th>E-Mail</th></tr>
      <tr><td>Maximilian Klein</td><td>Mitgründer</td><td><span class="eml" data-r="ed.emca@nielk-nailimixam"></span></td></tr></table>
      <script>document.querySelectorAll('.eml').forEach(function(e){var a=e.getAttribute('data-r').split('').reverse().join('');
      e.innerHTML='<a href="mailto:'+a+'">'+a+'</a>';});</script>"""
    assert _people(html) == [
        ("Maximilian Klein", "Mitgründer", "maximilian-klein@acme.de", None, "table")
    ]
    (email,) = extract_page(html, URL).emails
    assert (email.address, email.method) == ("maximilian-klein@acme.de", "js_concat")


def test_addresses_joined_from_several_attributes_by_a_script_are_tied_to_the_card() -> None:
    html = """<table><tr><th>Name</th><th>Position</th><th>E-Mail</th></tr>
      <tr><td>Karen Whitfield</td><td>Controller</td><td><a href="#" class="m" data-name="kwhitfield"
        data-domain="acme" data-tld="de">Email Karen</a></td></tr></table>
      <script>document.querySelectorAll('a.m').forEach(function (el) {
        var addr = el.dataset.name + '@' + el.dataset.domain + '.' + el.getAttribute("data-tld");
        el.textContent = addr; });</script>"""
    assert _people(html) == [("Karen Whitfield", "Controller", "kwhitfield@acme.de", None, "table")]
    (email,) = extract_page(html, URL).emails
    assert (email.address, email.method) == ("kwhitfield@acme.de", "js_concat")


def test_people_in_sections_about_outsiders_are_left_out() -> None:
    html = """<h1>Staff &amp; Board</h1>
      <h2>Our team</h2>
      <div class="card"><h3>Angela Brooks</h3><p>Executive Director</p></div>
      <h2>Board of Directors</h2>
      <div class="card"><h3>Michael Carter</h3><p>Chair — SVP, Associated Bank</p></div>
      <h2>Backed by</h2>
      <div class="card"><h4>Hannah Lowe</h4><p>Partner, Northwind Ventures</p></div>
      <h2>Work with us</h2>
      <div class="card"><h3>Luis Fernández</h3><p>Director of Programs</p></div>"""
    assert [(n, t) for n, t, *_ in _people(html)] == [
        ("Angela Brooks", "Executive Director"),
        ("Luis Fernández", "Director of Programs"),
    ]


def test_a_middle_initial_does_not_make_a_second_person() -> None:
    html = """<script type="application/ld+json">{"@type": "Person", "name": "David Linde",
      "jobTitle": "Managing Partner"}</script>
      <div class="card"><h3>David R. Linde</h3><p>Managing Partner</p>
      <a href="mailto:dlinde@acme.de">Email</a></div>"""
    assert _people(html) == [("David Linde", "Managing Partner", "dlinde@acme.de", None, "jsonld")]
