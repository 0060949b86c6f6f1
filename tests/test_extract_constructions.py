"""Constructions found in news and reports that the extractor once misread, each in sentences
written for these tests: measure words, clause boundaries, returnee subgroups, figures that
continue a topic, and joint sources.
"""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_claims
from claimgraph.model import Document


def claims_of(text: str, date: str = "2018-06-15") -> list:
    return [c for c in extract_claims(Document("t.txt", "t.txt", text, date=date)) if c.unit == "persons"]


def rows(text: str) -> list[tuple]:
    return [(int(c.value), c.country, c.measure, c.population) for c in claims_of(text)]


@pytest.mark.parametrize(
    ("text", "index", "measure"),
    [
        ("Some 5,600 people have already made the trip back.", 0, "returned"),
        ("Of the 3,000 Saudis who went, 760 are home again.", 1, "returned"),
        ("Russia sent 3,400 fighters, and 400 of those are on their way back.", 1, "returned"),
        ("Officials say 800 fighters are back in Tunisia.", 0, "returned"),
        ("At least 60 Belgians could not be accounted for.", 0, "unaccounted"),
        ("About 70 Dutch nationals tried to make the journey but were stopped.", 0, "attempted_departure"),
        ("At least 50 Canadians were intercepted at airports.", 0, "attempted_departure"),
        ("Working from court records, they listed 64 Americans who reached the battlefield.", 0, "departed"),
        ("About 250 Americans tried to reach Syria, 129 succeeded and seven came back.", 1, "departed"),
    ],
)
def test_measure_words(text: str, index: int, measure: str) -> None:
    assert claims_of(text)[index].measure == measure


def test_a_verb_before_the_figure_beats_a_participle_after_it() -> None:
    (claim,) = claims_of("In 2019 Iraqi prisons held 9,000 people charged with terrorism.")
    assert (claim.country, claim.place_role, claim.measure) == ("IQ", "location", "detained")


def test_a_new_clause_after_comma_and_keeps_places_apart() -> None:
    text = "Iraqi prisons held 17,000 people, and until October the Syrian Democratic Forces were holding another 10,000 prisoners."
    assert [(c.country, c.measure) for c in claims_of(text)] == [("IQ", "detained"), ("SY", "detained")]


def test_one_of_them_starts_a_clause_of_its_own() -> None:
    text = "Twelve Americans came home. The other three have not been tried in an American court, and one of them went back to Syria."
    last = claims_of(text)[-1]
    assert (last.country, last.population) == ("US", "returnees")


def test_an_oxford_comma_list_of_places_is_not_cut() -> None:
    (claim,) = claims_of("About 900 fighters came from France, Belgium, and the Netherlands.")
    assert claim.country == "BE+FR+NL"


def test_subgroups_of_those_who_came_back_are_returnees() -> None:
    text = "Of the roughly 800 Britons who came home, at least 400 cannot be accounted for and only 40 have been prosecuted."
    assert rows(text) == [(800, "GB", "returned", "fighters"), (400, "GB", "unaccounted", "returnees"), (40, "GB", "prosecuted", "returnees")]


def test_departures_after_a_sentence_about_returns_are_not_returnees() -> None:
    text = "Some 5,600 have come back home. Russia is credited with 3,417 departures and Saudi Arabia with 3,244."
    assert rows(text)[1:] == [(3417, "RU", "departed", "fighters"), (3244, "SA", "departed", "fighters")]


def test_a_country_reporting_its_own_returns() -> None:
    text = "Roughly 400 Russians have gone back, while the Saudi authorities report 760 returns."
    assert rows(text) == [(400, "RU", "returned", "fighters"), (760, "SA", "returned", "fighters")]


def test_share_of_those_departures() -> None:
    text = "About 5,000 people left European Union states. The United Kingdom accounts for some 850 of those departures."
    assert rows(text)[-1] == (850, "GB", "departed", "fighters")


def test_a_country_supplied_a_figure() -> None:
    text = "Saudi Arabia sent 3,000 fighters. Russia supplied about 3,400, and 400 of those are on their way back."
    assert rows(text)[1:] == [(3400, "RU", "departed", "fighters"), (400, "RU", "returned", "fighters")]


def test_of_them_names_the_people_counted() -> None:
    assert rows("The camp held 10,000 prisoners, 2,000 of them foreign fighters.")[-1][3] == "fighters"


def test_a_figure_without_noun_or_place_continues_the_paragraph() -> None:
    text = "About 300 Americans tried to join the group. Court files list 64 who got to Syria. At least 50 more were stopped."
    assert [c.country for c in claims_of(text)] == ["US", "US", "US"]


def test_a_new_paragraph_does_not_continue_the_place() -> None:
    text = "About 300 Americans tried to join the group.\n\nAt least 50 more were stopped at airports."
    assert claims_of(text)[-1].country != "US"


def test_a_heading_in_bold_is_its_own_sentence() -> None:
    text = "**Europe and North America.** About 5,000 people left EU states, and around 30 percent of them have since returned."
    claims = claims_of(text)
    assert {c.country for c in claims} == {"EU"}


def test_joint_study_credits_the_first_organisation_and_not_the_earlier_figure() -> None:
    text = "Roughly 40,000 supporters travelled abroad, and a joint Soufan Center–Global Strategy Network study counts 5,600 who came back."
    assert [c.attributed_to for c in claims_of(text)] == ["", "Soufan Center"]


def test_the_continent_is_not_the_united_states() -> None:
    (claim,) = claims_of("About 1,000 fighters came from North America and Europe.")
    assert "US" not in claim.country


def test_those_who_left_were_women() -> None:
    assert rows("Around 300 of those who left were women and 200 were minors.") == [
        (300, "WORLD", "departed", "women"),
        (200, "WORLD", "departed", "children"),
    ]


def test_islamists_who_left_are_counted() -> None:
    assert rows("The agency counts 1,050 Islamists who left Germany for Syria.") == [(1050, "DE", "departed", "fighters")]


def test_jailed_on_return_are_returnees() -> None:
    assert rows("The ministry said 2,000 Moroccans went to fight, of whom 300 were jailed on their return.")[-1] == (
        300, "MA", "detained", "returnees",
    )


def test_un_style_country_names() -> None:
    (claim,) = claims_of("The number of foreign terrorist fighters in Iraq and the Syrian Arab Republic is estimated at 10,000.")
    assert (claim.country, claim.place_role, claim.measure) == ("IQ+SY", "location", "active")


def test_shares_of_those_in_the_next_sentence() -> None:
    text = "More than 850 people from the UK have travelled, according to the Home Office. Of those, almost half have returned, and about 15% have been killed."
    claims = [c for c in claims_of(text) if c.derived_from]
    assert [(int(c.value), c.measure, c.country, c.attributed_to) for c in claims] == [
        (425, "returned", "GB", "Home Office"),
        (128, "killed", "GB", "Home Office"),
    ]


def test_people_brought_back_from_the_war_zone_keep_their_nationality() -> None:
    text = "Kazakh authorities have brought back 607 people, including 413 children, from Syria under one operation."
    assert rows(text) == [(607, "KZ", "returned", "fighters"), (413, "KZ", "returned", "children")]


def test_a_colon_elaborates_the_clause_before() -> None:
    (claim,) = claims_of("Denmark has one of the highest rates of fighters in Europe: roughly 150 people out of 5.8 million.")
    assert (claim.country, claim.place_role) == ("DK", "origin")


def test_its_citizens_are_the_subject_country() -> None:
    (claim,) = claims_of("Trinidad and Tobago, with a population of 1.3 million, saw about 130 of its citizens travel to Syria.")
    assert (claim.country, claim.measure) == ("TT", "departed")


def test_held_by_the_sdf_is_held_in_syria() -> None:
    (claim,) = claims_of("In all, 5,904 foreign fighters are being held by the SDF.")
    assert (claim.country, claim.place_role, claim.measure) == ("SY", "location", "detained")


def test_a_college_is_an_organisation() -> None:
    text = "Up to 7,366 of the 41,490 have returned, researchers at King's College London found."
    assert {c.attributed_to for c in claims_of(text)} == {"King's College London"}
