"""Whole short documents in different house styles (wire copy, a think-tank report with a table,
an encyclopedia entry, a ministry press release), written for these tests. Each test reads one
document and checks the claims a careful reader would list.
"""

from __future__ import annotations

from claimgraph.extract import extract_claims
from claimgraph.model import Document


def read(text: str, date: str, **meta: str) -> list[tuple]:
    doc = Document("t.md", "t.md", text, date=date, **meta)
    return [
        (c.mention, c.country, c.place_role, c.measure, c.population, c.as_of, c.attributed_to)
        for c in extract_claims(doc)
        if c.unit == "persons"
    ]


WIRE = """SKOPJE (Wire) - North Macedonia flew home 28 of its citizens from camps in northeastern Syria on Sunday, the interior ministry said.

The group included 16 children, nine women and three men suspected of having fought for Islamic State. The three men were detained on arrival.

Some 150 Macedonians are believed to have gone to Syria and Iraq since 2013, according to police figures. About 40 men from North Macedonia were killed in the fighting.

Around 20 Macedonian fighters are still thought to be in the region, along with roughly 30 women and 50 children, officials said.
"""


def test_wire_copy() -> None:
    rows = read(WIRE, "2019-08-12")
    assert rows == [
        ("28", "MK", "origin", "returned", "fighters", "2019-08-12", ""),
        ("16", "MK", "origin", "returned", "children", "2019-08-12", ""),
        ("nine", "MK", "origin", "returned", "women", "2019-08-12", ""),
        ("three", "MK", "origin", "returned", "fighters", "2019-08-12", ""),
        ("three", "MK", "origin", "detained", "returnees", "2019-08-12", ""),
        ("150", "MK", "origin", "departed", "fighters", "2019-08-12", ""),
        ("40", "MK", "origin", "killed", "fighters", "2019-08-12", ""),
        ("20", "MK", "origin", "departed", "fighters", "2019-08-12", ""),
        ("30", "MK", "origin", "departed", "women", "2019-08-12", ""),
        ("50", "MK", "origin", "departed", "children", "2019-08-12", ""),
    ]


REPORT = """# Key findings

Between 2012 and 2017, an estimated 900 men, women and children from Central Asia travelled to Syria and Iraq. Uzbekistan (about 500), Tajikistan (about 300) and Kyrgyzstan (about 100) account for most of them.

## Table 2. Central Asian foreign fighters, 2012–2019

| Country | Departed | Returned | Killed |
|---|---|---|---|
| Uzbekistan | 500 | 120 | 60 |
| Tajikistan | 300 | 90 | 45 |

Source: national authorities.
"""


def test_think_tank_report_with_a_table() -> None:
    rows = read(REPORT, "2020-09", kind="report", publisher="Steppe Security Institute")
    source = "Steppe Security Institute"
    assert rows[0] == ("900", "WORLD", "origin", "departed", "affiliates", "2017", source)
    assert rows[1:4] == [
        ("500", "UZ", "origin", "departed", "affiliates", "2017", source),
        ("300", "TJ", "origin", "departed", "affiliates", "2017", source),
        ("100", "KG", "origin", "departed", "affiliates", "2017", source),
    ]
    assert rows[4:] == [
        ("500", "UZ", "origin", "departed", "fighters", "2019", source),
        ("120", "UZ", "origin", "returned", "fighters", "2019", source),
        ("60", "UZ", "origin", "killed", "fighters", "2019", source),
        ("300", "TJ", "origin", "departed", "fighters", "2019", source),
        ("90", "TJ", "origin", "returned", "fighters", "2019", source),
        ("45", "TJ", "origin", "killed", "fighters", "2019", source),
    ]


ENCYCLOPEDIA = """Estimates of the number of foreign fighters vary. In 2014 one research group estimated that some 12,000 people from at least 80 countries had travelled to Syria. A UN report in 2016 put the total at over 30,000.

The largest contributors were Tunisia (5,500), Saudi Arabia (2,300) and Jordan (2,000–2,200). Among Western countries, Belgium had the highest rate per head, with some 500 fighters.
"""


def test_encyclopedia_entry() -> None:
    rows = read(ENCYCLOPEDIA, "2021")
    assert rows == [
        ("12,000", "WORLD", "origin", "departed", "fighters", "2014", ""),
        ("30,000", "WORLD", "origin", "departed", "fighters", "2016", "United Nations"),
        ("5,500", "TN", "origin", "departed", "fighters", "2021", ""),
        ("2,300", "SA", "origin", "departed", "fighters", "2021", ""),
        ("2,000–2,200", "JO", "origin", "departed", "fighters", "2021", ""),
        ("500", "BE", "origin", "departed", "fighters", "2021", ""),
    ]


PRESS = """MINISTRY OF THE INTERIOR - PRESS RELEASE - 2 May 2017

As of 1 May 2017, 1,300 German nationals or residents have travelled to jihadist areas in Syria and Iraq. Of these, 450 are currently in the region, including 170 women. A further 310 have returned to Germany, and 150 are known to have died there.

Since January 2016, 200 people have been placed under investigation. Half of them are in pre-trial detention.
"""


def test_ministry_press_release() -> None:
    rows = read(PRESS, "2017-05-02")
    assert rows[:5] == [
        ("1,300", "DE", "origin", "departed", "fighters", "2017-05", ""),
        ("450", "DE", "origin", "departed", "fighters", "2017-05-02", ""),
        ("170", "DE", "origin", "departed", "women", "2017-05-02", ""),
        ("310", "DE", "origin", "returned", "fighters", "2017-05-02", ""),
        ("150", "DE", "origin", "killed", "fighters", "2017-05-02", ""),
    ]
    assert rows[5][0] == "200" and rows[5][3] == "charged"
    assert rows[6][0] == "Half" and rows[6][3] == "detained"
