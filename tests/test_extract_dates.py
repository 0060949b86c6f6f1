"""as_of: the date a figure refers to, read from the figure's own clause.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_claims
from claimgraph.extract.dates import find_dates
from claimgraph.model import Document

DOC_DATE = "2018-06-15"


def dates_of(text: str, date: str = DOC_DATE) -> list[str]:
    claims = extract_claims(Document("t.txt", "t.txt", text, date=date))
    return [c.as_of for c in claims if c.unit == "persons"]


@pytest.mark.parametrize(
    ("text", "as_of"),
    [
        ("In 2015, some 1,000 Tunisians joined the group.", "2015"),
        ("By 2017 about 900 Kosovars had left.", "2017"),
        ("As of August 2017, 850 Britons had travelled to Syria.", "2017-08"),
        ("Between 2014 and 2017, 300 Austrians left for the conflict zone.", "2017"),
        ("Over the 2013–16 period 420 Swedes travelled.", "2016"),
        ("By mid-2019 some 2,000 foreign fighters were still active in Iraq.", "2019"),
        ("In mid-2019, 70 Dutch women were held in Syrian camps.", "2019"),
        ("Last month 40 Swedes returned home, police said.", "2018-05"),
        ("Last year, 70 Finns came back.", "2017"),
        ("Earlier this year 120 Kosovars were repatriated from camps in Syria.", "2018"),
        ("Earlier this month 12 children were brought back to Norway.", "2018-06"),
        ("Two months ago 25 women were repatriated to Germany.", "2018-04"),
        ("A year ago 60 Danes were held in Syria.", "2017"),
        ("Since 2016, 150 Belgians have come back home.", DOC_DATE),
        ("About 600 Moroccans remain in the region.", DOC_DATE),
    ],
)
def test_date_of_the_figure(text: str, as_of: str) -> None:
    assert dates_of(text) == [as_of]


@pytest.mark.parametrize(
    "text",
    [
        "The group, which declared its caliphate in 2014, still holds 3,000 fighters in Syria.",
        "About 300 Americans tried to join the group after the civil war there broke out in 2011.",
        "More than 40,000 foreigners went to Syria, both before and after it proclaimed its caliphate in June 2014.",
        "A cleric, who fled to Turkey in 2015, said 3,000 fighters remain in Syria.",
        "The estimate has risen to almost 4,000 fighters, close to double the centre's December 2013 figure.",
        "Some 500 Belgians have travelled, twice the 2013 estimate.",
    ],
)
def test_dates_of_background_clauses_do_not_date_the_figure(text: str) -> None:
    assert dates_of(text) == [DOC_DATE]


def test_a_who_clause_dates_the_people_it_describes() -> None:
    assert dates_of("Fighters who left in 2014 numbered 3,000.") == ["2014"]


def test_a_who_clause_of_the_whole_does_not_date_the_part() -> None:
    assert dates_of("Of the 850 Belgians who left in 2014, 400 have returned.") == ["2014", DOC_DATE]


def test_each_figure_takes_the_date_in_its_own_clause() -> None:
    text = "The contingent grew from 6,000 in 2013 to an estimated 20,000 in 2015."
    assert dates_of(text) == ["2013", "2015"]


def test_a_relative_date_without_a_document_date_is_left_out() -> None:
    assert [d.value for d in find_dates("last year", "")] == []
    assert dates_of("Last year 70 Finns came back.", date="") == [""]


def test_since_without_a_document_date_keeps_the_year() -> None:
    assert [d.value for d in find_dates("since 2016", "")] == ["2016"]


@pytest.mark.parametrize(
    "text",
    [
        "Fewer than 280 Tunisian women had returned home as of April 2018.",
        "A study found that more than 90 French fighters came back in April 2018.",
    ],
)
def test_a_qualifier_than_is_not_a_comparison(text: str) -> None:
    assert dates_of(text) == ["2018-04"]


def test_the_date_of_an_estimate_beats_since() -> None:
    text = "The security service estimated in 2017 that 300 people had left Sweden since 2012, 150 of whom had returned."
    assert dates_of(text, "2019-01-10") == ["2017", "2017"]
