"""Place roles, place names and abbreviations, and who a figure is credited to.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_claims
from claimgraph.extract.attribution import canonical_organisation, find_attribution
from claimgraph.extract.places import find_places
from claimgraph.model import Document


def claims_of(text: str, date: str = "2018-06-15", **meta: str) -> list:
    doc = Document("t.txt", "t.txt", text, date=date, **meta)
    return [c for c in extract_claims(doc) if c.unit == "persons"]


def only(text: str, **meta: str):
    found = claims_of(text, **meta)
    assert len(found) == 1, [(c.mention, c.country, c.measure) for c in found]
    return found[0]


# --- place roles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "role", "measure"),
    [
        ("Some 800 fighters have returned to Tunisia.", "TN", "origin", "returned"),
        ("Officials said 240 militants came home to Morocco last year.", "MA", "origin", "returned"),
        ("An estimated 1,200 foreigners are held in Iraqi prisons.", "IQ", "location", "detained"),
        ("About 2,000 foreign fighters are held in camps in Syria.", "SY", "location", "detained"),
        ("Between 2,600 and 3,500 individuals joined ISIS in Libya.", "LY", "destination", "departed"),
        ("Roughly 600 recruits travelled to Afghanistan.", "AF", "destination", "departed"),
        ("More than 900 fighters from Germany went to Syria.", "DE", "origin", "departed"),
        ("About 150 Belgians have come back home.", "BE", "origin", "returned"),
        ("Some 300 militants remain active in Mosul.", "IQ", "location", "active"),
        ("In Belgium, 500 people left to fight.", "BE", "origin", "departed"),
    ],
)
def test_place_roles(text: str, country: str, role: str, measure: str) -> None:
    claim = only(text)
    assert (claim.country, claim.place_role, claim.measure) == (country, role, measure)


# --- names and abbreviations --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Britain", "GB"),
        ("Great Britain", "GB"),
        ("the UK", "GB"),
        ("the U.K.", "GB"),
        ("America", "US"),
        ("the U.S.", "US"),
        ("the USA", "US"),
        ("Kyrgy.", "KG"),
        ("Neth.", "NL"),
        ("Switz.", "CH"),
        ("Tajik.", "TJ"),
        ("Bosnia-Herzegovina", "BA"),
        ("Kosovars", "XK"),
    ],
)
def test_place_names_and_abbreviations(text: str, code: str) -> None:
    assert [m.code for m in find_places(f"Fighters from {text} were counted.")] == [code]


@pytest.mark.parametrize(
    "text",
    ["Let us count them.", "He told us the figure.", "The eu-funded project", "Jordan Peterson spoke.", "georgia is lower case here"],
)
def test_words_that_are_not_places(text: str) -> None:
    assert find_places(text) == []


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Around 400 fighters went back to Türkiye.", "TR"),
        ("Some 850 Britons travelled to the conflict zone.", "GB"),
        ("At least 250 people left America to join the group.", "US"),
        ("More than 120 U.S. citizens tried to join.", "US"),
        ("About 90 fighters from the UK have been prosecuted.", "GB"),
        ("Officials counted 180 Kyrgy. fighters in Syria.", "KG"),
        ("Roughly 300 fighters came from Neth. and Belgium.", "BE+NL"),
        ("About 90 Switz. residents travelled.", "CH"),
        ("Some 1,300 Tajik. nationals joined the group.", "TJ"),
    ],
)
def test_names_and_abbreviations_in_claims(text: str, country: str) -> None:
    assert only(text).country == country


def test_abbreviation_does_not_end_the_sentence() -> None:
    claims = claims_of("Some 1,300 Tajik. nationals joined and 500 Kyrgy. nationals followed.")
    assert [(int(c.value), c.country) for c in claims] == [(1300, "TJ"), (500, "KG")]


# --- organisations ------------------------------------------------------------------------------


@pytest.mark.parametrize("alias", ["Soufan Center", "The Soufan Center", "the Soufan Centre", "Soufan Group", "The Soufan Group"])
def test_organisation_aliases_are_one_organisation(alias: str) -> None:
    assert canonical_organisation(alias) == "Soufan Center"
    assert only(f"According to {alias}, 900 fighters returned to Turkey.").attributed_to == "Soufan Center"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The ICSR said 700 Britons had travelled.", "International Centre for the Study of Radicalisation"),
        ("The International Center for the Study of Radicalization counted 700 Britons.", "International Centre for the Study of Radicalisation"),
        ("A study from George Washington University's Program on Extremism found 64 Americans had travelled.", "George Washington University Program on Extremism"),
    ],
)
def test_organisation_spellings(text: str, name: str) -> None:
    assert only(text).attributed_to == name


def test_researchers_carry_the_study_named_before() -> None:
    text = (
        "A study by the Kosovo Centre for Security Studies was published on Monday.\n\n"
        "It draws on court files. Researchers tracked 250 returnees to Kosovo."
    )
    assert only(text).attributed_to == "Kosovo Centre for Security Studies"


def test_report_title_in_quotes() -> None:
    claim = only('The report "Lost Generation" counted 250 Kosovars who had travelled.')
    assert claim.attributed_to == "Lost Generation"


def test_report_title_known_to_belong_to_an_organisation() -> None:
    assert only('According to "Beyond the Caliphate", 900 fighters returned to Turkey.').attributed_to == "Soufan Center"


def test_organisation_named_with_the_title_wins() -> None:
    text = 'The report "Beyond the Caliphate" by the Soufan Center counted 900 returnees in Turkey.'
    assert only(text).attributed_to == "Soufan Center"


def test_the_outlet_a_source_spoke_to_is_not_the_source() -> None:
    assert only("Peter Neumann, head of the ICSR, told Al Jazeera that 700 Britons had left.").attributed_to == (
        "International Centre for the Study of Radicalisation"
    )
    assert only("A police spokesman told Al Jazeera that 40 Swedes had returned.").attributed_to == ""


def test_credit_placed_before_the_last_figure_covers_only_that_figure() -> None:
    text = "The contingent grew from 6,000 in 2013 to 20,000 in 2015 and, on Europol figures, to 30,000 in 2016."
    assert [c.attributed_to for c in claims_of(text)] == ["", "", "Europol"]


def test_person_speaking_is_not_an_organisation() -> None:
    assert find_attribution("Voronkov said 5,600 fighters had gone back.") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("At its peak the group had 25,000 fighters, according to CIA estimates.", "CIA"),
        ("More than a hundred Danes have joined the group, per the PET intelligence service.", "PET"),
        ("Norway's PST estimates that about 100 people have left to fight.", "PST"),
        ("Germany's BfV counts 1,050 Islamists who left for Syria.", "BfV"),
        ("Some 850 Britons travelled to the region (Home Office 2017).", "Home Office"),
    ],
)
def test_acronyms_citations_and_possessive_places(text: str, name: str) -> None:
    assert claims_of(text)[0].attributed_to == name


def test_an_author_cited_in_brackets_is_not_an_organisation() -> None:
    assert only("Some 850 Britons travelled to the region (Barrett 2017: 12).").attributed_to == ""


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("About 100 Kenyans and 40 Ugandans joined al-Shabaab.", ["KE", "UG"]),
        ("Fighters came from Ukraine, Moldova and the Czech Republic.", ["UA", "MD", "CZ"]),
        ("Returnees reached Côte d'Ivoire and Senegal.", ["CI", "SN"]),
        ("He will polish the turkey with china and chile peppers.", []),
        ("Chad Smith said Chad sent 20 Chadians.", ["TD", "TD"]),
    ],
)
def test_more_countries_and_words_that_look_like_them(text: str, codes: list[str]) -> None:
    assert [m.code for m in find_places(text)] == codes
