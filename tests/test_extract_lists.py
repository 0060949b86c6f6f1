"""Figures given place by place (inline lists, one-per-line rows, Markdown tables),
several places sharing one figure, and figures stated as what a number amounts to.

Every sentence here was written for these tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from claimgraph.extract import extract_claims
from claimgraph.model import Document

D = Decimal


def claims_of(text: str, date: str = "2018-06-15") -> list:
    return [c for c in extract_claims(Document("t.txt", "t.txt", text, date=date)) if c.unit == "persons"]


def table(text: str, date: str = "2018-06-15") -> dict[str, tuple]:
    """country → (value, measure, role) for each claim."""
    return {c.country: (int(c.value), c.measure, c.place_role) for c in claims_of(text, date)}


# --- inline lists -------------------------------------------------------------------------------


def test_places_with_bracketed_figures() -> None:
    found = table("The biggest contingents came from France (1,700), Germany (915) and Belgium (498).")
    assert found == {"FR": (1700, "departed", "origin"), "DE": (915, "departed", "origin"), "BE": (498, "departed", "origin")}


def test_colon_and_semicolon_list_takes_its_measure_from_the_lead() -> None:
    found = table("Returnees by country: Tunisia: 800; Morocco: 300; Algeria: 90.")
    assert found == {"TN": (800, "returned", "origin"), "MA": (300, "returned", "origin"), "DZ": (90, "returned", "origin")}


def test_dash_separated_items_with_a_date_and_source_in_the_lead() -> None:
    claims = claims_of("According to Europol, in 2016 the departures stood as follows: Sweden – 300, Denmark – 145.")
    assert {c.country: int(c.value) for c in claims} == {"SE": 300, "DK": 145}
    assert {c.as_of for c in claims} == {"2016"} and {c.attributed_to for c in claims} == {"Europol"}


def test_qualified_items_and_each_splits_a_shared_figure() -> None:
    claims = claims_of("Western Europe supplies many fighters: France about 1,200, and Britain and Germany between 500 and 600 each.")
    by_country = {c.country: c for c in claims}
    assert by_country["FR"].qualifier == "approximately" and by_country["FR"].value == D(1200)
    for code in ("GB", "DE"):
        assert (by_country[code].low, by_country[code].high, by_country[code].qualifier) == (D(500), D(600), "range")
    assert by_country["GB"].start == by_country["DE"].start  # one figure, read once per country


def test_places_sharing_one_figure_are_joined() -> None:
    found = table("Of the foreign fighters, Sweden and Norway together 400, Finland 80.")
    assert found["NO+SE"] == (400, "departed", "origin") and found["FI"][0] == 80


def test_gapped_with_list() -> None:
    found = table("Russia is credited with 3,417 departures and Saudi Arabia with 3,244.")
    assert found == {"RU": (3417, "departed", "origin"), "SA": (3244, "departed", "origin")}


def test_list_of_people_held_in_camps_by_nationality() -> None:
    found = table("Foreign fighters held in Kurdish-run camps, by nationality: Russia 500, Turkey 400.")
    assert found == {"RU": (500, "detained", "origin"), "TR": (400, "detained", "origin")}


def test_list_of_places_where_people_are_held() -> None:
    found = table("Suspected members are detained in Iraq (1,500) and Syria (2,000).")
    assert found == {"IQ": (1500, "detained", "location"), "SY": (2000, "detained", "location")}


@pytest.mark.parametrize(
    "text",
    [
        "The leading countries were Tunisia (17%) and Jordan (12%).",
        "The summit in Vienna (2019) drew Germany (12 delegates) and Austria (9 delegates).",
        "Exports: France 1,700; Germany 915.",
        "Population: Tunisia 11,500,000; Morocco 36,000,000.",
    ],
)
def test_place_figure_pairs_that_are_not_counts_of_people(text: str) -> None:
    assert claims_of(text) == []


def test_a_figure_after_a_place_inside_a_clause_is_not_an_item() -> None:
    claim = claims_of("In Syria 2,000 foreign fighters remain.")[0]
    assert (claim.country, claim.place_role, claim.measure) == ("SY", "location", "active")


# --- rows and tables ----------------------------------------------------------------------------


def test_rows_under_a_heading_read_the_heading() -> None:
    text = "Foreign fighters by country of origin, 2015 (Soufan Group):\nRussia 3,417\nSaudi Arabia 3,244\nJordan 2,500\n"
    claims = claims_of(text)
    assert {c.country: int(c.value) for c in claims} == {"RU": 3417, "SA": 3244, "JO": 2500}
    assert {(c.measure, c.as_of, c.attributed_to, c.place_role) for c in claims} == {("departed", "2015", "Soufan Center", "origin")}


def test_rows_under_a_markdown_heading_and_bullets() -> None:
    text = "## Returnees, end of 2017\n\n- Tunisia: 800\n- Morocco: 200\n"
    found = table(text)
    assert found == {"TN": (800, "returned", "origin"), "MA": (200, "returned", "origin")}


def test_prose_ends_a_list() -> None:
    text = "Foreign fighters by origin:\nRussia 3,417\n\nThe numbers fell after that year.\nTurkey 2,100\n"
    assert {c.country for c in claims_of(text)} == {"RU"}


def test_rows_without_any_heading_about_people_are_not_claims() -> None:
    assert claims_of("Exports by partner\nFrance 1,700\nGermany 915\n") == []


def test_markdown_table_columns_give_the_measure() -> None:
    text = (
        "## Returnees\n\n| Country | Departed | Returned | Share returned |\n|---|---|---|---|\n"
        "| Tunisia | 3,000 | 800 | 27% |\n| United Kingdom | 850 | about 425 | 50% |\n"
    )
    claims = claims_of(text)
    found = {(c.country, c.measure): (int(c.value), c.qualifier, c.population) for c in claims}
    assert found == {
        ("TN", "departed"): (3000, "exact", "fighters"),
        ("TN", "returned"): (800, "exact", "fighters"),
        ("GB", "departed"): (850, "exact", "fighters"),
        ("GB", "returned"): (425, "approximately", "fighters"),
    }


def test_markdown_table_year_column_header_dates_the_figures() -> None:
    text = "Foreign fighters by country:\n\n| Country | 2014 | 2017 |\n|---|---|---|\n| Belgium | 300 | 500 |\n"
    found = {c.as_of: int(c.value) for c in claims_of(text)}
    assert found == {"2014": 300, "2017": 500}


# --- several places, one figure -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Fighters from Algeria, Morocco and Tunisia numbered 2,000.",
        "About 2,000 fighters came from Algeria, Morocco and Tunisia.",
        "Some 2,000 Algerians, Moroccans and Tunisians joined the group.",
    ],
)
def test_several_origins_share_one_figure(text: str) -> None:
    (claim,) = claims_of(text)
    assert (int(claim.value), claim.country, claim.place_role, claim.measure) == (2000, "DZ+MA+TN", "origin", "departed")


# --- figures stated as an amount ----------------------------------------------------------------


def test_the_number_in_the_same_sentence_continues_the_earlier_figure() -> None:
    claims = claims_of("Between 300 and 400 Ingush had gone to Syria by 2015, while by 2017 the number had grown to 550.")
    later = claims[-1]
    assert (int(later.value), later.country, later.measure, later.as_of, later.region) == (550, "RU", "departed", "2017", "Ingushetia")


def test_an_estimate_that_has_risen_to_a_figure() -> None:
    text = "Researchers counted 20,000 foreign fighters. Across Western European countries, the estimate has risen to almost 4,000."
    later = claims_of(text)[-1]
    assert (int(later.value), later.qualifier, later.country, later.place_role, later.measure) == (4000, "approximately", "EUROPE", "origin", "departed")


def test_figures_for_a_group_were() -> None:
    claims = claims_of("Figures for Chechen militants were 450 in 2015 and 600 in 2017.")
    assert [(int(c.value), c.as_of, c.country, c.region) for c in claims] == [(450, "2015", "RU", "Chechnya"), (600, "2017", "RU", "Chechnya")]


def test_a_contingent_stood_at() -> None:
    (claim,) = claims_of("The Belgian contingent stood at 500 in 2016.")
    assert (int(claim.value), claim.country, claim.as_of) == (500, "BE", "2016")


@pytest.mark.parametrize("text", ["Their ages were 19 and 23.", "The total was 40 pages long.", "Turnout numbered 2,000 at the rally."])
def test_amounts_that_do_not_count_people(text: str) -> None:
    assert claims_of(text) == []


# --- a place labelling a line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "measure"),
    [
        ("- Kosovo: at least 120 fighters came back by 2019.", "XK", "returned"),
        ("* Morocco – 40 militants were killed in Syria and Iraq in 2016.", "MA", "killed"),
        ("**Jordan:** 150 fighters are held in camps in northeast Syria.", "JO", "detained"),
        ("Belgium and the Netherlands: some 700 people travelled.", "BE+NL", "departed"),
    ],
)
def test_a_place_labelling_the_line_is_the_origin(text: str, country: str, measure: str) -> None:
    (claim,) = claims_of(text)
    assert (claim.country, claim.place_role, claim.measure) == (country, "origin", measure)


def test_an_origin_named_in_the_line_beats_the_label() -> None:
    (claim,) = claims_of("- Balkans: 300 fighters from Kosovo travelled to Syria.")
    assert claim.country == "XK"


def test_estimated_to_number() -> None:
    (claim,) = claims_of("The fighters were estimated to number 2,000 in late 2017.")
    assert (int(claim.value), claim.as_of) == (2000, "2017")


def test_columns_aligned_with_spaces_under_a_caption() -> None:
    text = (
        "Table 3: Foreign fighters from selected EU states, 2016\n\n"
        "Country        Departed   Returned\n"
        "Belgium        498        125\n"
        "France         1,910      244\n"
    )
    found = {(c.country, c.measure): (int(c.value), c.as_of) for c in claims_of(text)}
    assert found == {
        ("BE", "departed"): (498, "2016"), ("BE", "returned"): (125, "2016"),
        ("FR", "departed"): (1910, "2016"), ("FR", "returned"): (244, "2016"),
    }


def test_columns_separated_by_tabs() -> None:
    text = "Foreign fighters\tDeparted\tReturned\nBelgium\t498\t125\n"
    assert {(c.country, c.measure, int(c.value)) for c in claims_of(text)} == {("BE", "departed", 498), ("BE", "returned", 125)}


def test_prose_with_doubled_spaces_is_not_a_table() -> None:
    text = "The  report  found  that  many  fighters  had  gone  home  and  that  officials  were  worried\nSome  900  fighters  returned  to  Tunisia."
    assert [(c.country, int(c.value), c.measure) for c in claims_of(text)] == [("TN", 900, "returned")]
