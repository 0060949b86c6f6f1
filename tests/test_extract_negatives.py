"""Numbers that are not claims about people stay out, even in sentences about fighters.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_claims
from claimgraph.model import Document


def claims_of(text: str) -> list:
    return extract_claims(Document("t.txt", "t.txt", text, date="2018-06-15"))


@pytest.mark.parametrize(
    "text",
    [
        # resolutions, statutes, articles
        "Security Council resolution 2178 (2014) obliges states to act against foreign fighters.",
        "UNSCR 2396 was adopted in December 2017 to address returning fighters.",
        "Section 58 of the Terrorism Act was used against returnees.",
        "Article 5 of the new law covers returnees.",
        "The 1267 sanctions committee lists fighters.",
        # bibliographic numbers
        "See Journal of Strategic Studies, vol. 41, no. 3, pp. 345–370, on foreign fighters.",
        "ISSN 2373-0978 (print) 2373-0986 (online) covers research on jihadists.",
        "The article's DOI is 10.1080/23740973.2020.1761611 and it discusses fighters.",
        "Foreign fighters returned in large numbers.<sup>12</sup> The issue grew after 2015.",
        "Foreign fighters often returned home.[14]",
        "Returnees from Syria (see p. 12) and Iraq (p. 14) were studied.",
        "Fighters from Iraq (Figure 4) and Syria (Table 2) are shown.",
        # dates and years
        "On 11 September 2014 the group released a video of fighters.",
        "Between 2013 and 2016 fighters travelled in large numbers.",
        "Foreign fighters travelled to Iraq after 2003 and to Syria after 2011.",
        # ages and durations
        "A 19-year-old from Lyon was among the fighters who travelled in 2015.",
        "The fighters, aged 18 to 25, travelled in groups.",
        "The returnee was sentenced to 12 years in prison.",
        # phone numbers
        "Call the hotline on +33 1 23 45 67 89 if you know of fighters.",
        "Tel: 0800 789 321 for families of returnees.",
        # other things counted
        "The fighters attacked 3 villages and killed 40 civilians.",
        "Some fighters paid $5,000 to smugglers.",
        "Fighters travelled 1,500 km to reach Raqqa.",
        "Fighters in Syria: 3 of 10 provinces were held.",
        "Foreign fighters by country: France 17%, Belgium 6%.",
        "Foreign fighters per capita: Belgium (46 per million), Denmark (27 per million).",
        "Fighters came from Jordan (population 10 million) and Lebanon.",
        "The COVID-19 pandemic slowed returns of fighters.",
    ],
)
def test_not_claims(text: str) -> None:
    assert [(c.mention, c.measure) for c in claims_of(text)] == []


def test_chart_axis_labels_and_year_rows_are_not_claims() -> None:
    chart = "Foreign fighters by year\n2013\n2014\n2015\n3k\n1k\n500\n0\nTurkey\nTunisia\n"
    assert claims_of(chart) == []


def test_a_year_column_in_a_list_is_not_a_figure() -> None:
    claims = claims_of("Returnees by country (2017):\nTunisia 800\nMorocco 2016\n")
    assert [(c.country, int(c.value)) for c in claims if c.unit == "persons"] == [("TN", 800)]


def test_notes_section_titles_are_not_claims() -> None:
    text = "Some 900 fighters returned.\n\nNotes\n\n1. 'The 5,000 Who Left', a report on fighters, 2016, p. 4.\n"
    assert [int(c.value) for c in claims_of(text)] == [900]


@pytest.mark.parametrize(
    "text",
    [
        "Mosul, a city of 1.5 million people, fell to the militants in June 2014.",
        "Some 3 million Syrians fled to Turkey during the war.",
        "An estimated 400,000 people have been killed in Syria's civil war.",
        "The coalition carried out 34,000 airstrikes against the group.",
        "The militants seized a town of 30,000 people.",
    ],
)
def test_populations_refugees_and_other_counts_are_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_people_who_are_mostly_women_and_children_are_affiliates() -> None:
    (claim,) = claims_of("The camp at al-Hol held about 70,000 people in 2019, most of them women and children.")
    assert (claim.country, claim.measure, claim.population) == ("SY", "detained", "affiliates")
