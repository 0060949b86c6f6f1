"""The number grammar: forms of figures, ranges and qualifiers, and its invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.extract.numbers import find_numbers, parse_number_words

D = Decimal


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "qualifier"),
    [
        ("3,417 fighters", D(3417), D(3417), D(3417), "exact"),
        ("3 000 fighters", D(3000), D(3000), D(3000), "exact"),
        ("3\u2009000 fighters", D(3000), D(3000), D(3000), "exact"),
        ("3\u00a0000 fighters", D(3000), D(3000), D(3000), "exact"),
        ("seven fighters", D(7), D(7), D(7), "exact"),
        ("fifty-six hundred men", D(5600), D(5600), D(5600), "exact"),
        ("a dozen recruits", D(12), D(12), D(12), "exact"),
        ("nearly one thousand men", D(1000), D(1000), D(1000), "approximately"),
        ("about 1,200 fighters", D(1200), D(1200), D(1200), "approximately"),
        ("an estimated 272 affiliates", D(272), D(272), D(272), "approximately"),
        ("at least 5,600 people", D(5600), D(5600), None, "at_least"),
        ("no fewer than 90 women", D(90), D(90), None, "at_least"),
        ("5,000+ people", D(5000), D(5000), None, "at_least"),
        ("more than 40,000 foreigners", D(40000), D(40000), None, "more_than"),
        ("in excess of 300 men", D(300), D(300), None, "more_than"),
        ("up to 3,000 foreigners", D(3000), None, D(3000), "at_most"),
        ("fewer than 50 people", D(50), None, D(50), "less_than"),
        ("1,200–2,000 fighters", D(1600), D(1200), D(2000), "range"),
        ("250-300 fighters", D(275), D(250), D(300), "range"),
        ("between 600 and 900 men", D(750), D(600), D(900), "range"),
        ("from 5,000 to 6,000 people", D(5500), D(5000), D(6000), "range"),
        ("25-30,000 people", D(27500), D(25000), D(30000), "range"),
        ("2.5 million people", D("2500000"), D("2500000"), D("2500000"), "exact"),
        ("30-odd fighters", D(30), D(30), D(30), "approximately"),
        ("200 or so fighters", D(200), D(200), D(200), "approximately"),
        ("40-plus fighters", D(40), D(40), None, "at_least"),
        ("as few as 20 fighters", D(20), D(20), None, "at_least"),
        ("four or five hundred fighters", D(450), D(400), D(500), "range"),
        ("20 or 30 fighters", D(25), D(20), D(30), "range"),
        ("two to three thousand fighters", D(2500), D(2000), D(3000), "range"),
        ("between 27 000 and 31 000 people", D(29000), D(27000), D(31000), "range"),
        ("over a thousand fighters", D(1000), D(1000), None, "more_than"),
        ("fewer than a dozen women", D(12), None, D(12), "less_than"),
        ("5,600 or more", D(5600), D(5600), None, "at_least"),
        ("c. 850 travellers", D(850), D(850), D(850), "approximately"),
        ("in the region of 5,000 fighters", D(5000), D(5000), D(5000), "approximately"),
    ],
)
def test_figures(text: str, value: Decimal, low: Decimal | None, high: Decimal | None, qualifier: str) -> None:
    mention = find_numbers(text)[0]
    assert (mention.value, mention.low, mention.high, mention.qualifier) == (value, low, high, qualifier)
    assert text[mention.start : mention.end] == mention.text


def test_years_and_year_spans_are_marked() -> None:
    mentions = find_numbers("during 2014–17 and in 2015 some 30 men")
    assert [m.year for m in mentions] == [True, True, False]


@pytest.mark.parametrize("text", ["a few hundred fighters", "several thousand fighters", "thousands of fighters", "hundreds of women"])
def test_vague_amounts_are_not_figures(text: str) -> None:
    assert find_numbers(text) == []


def test_or_joins_only_close_figures() -> None:
    assert [m.text for m in find_numbers("2 or 10 times")] == ["2", "10"]


def test_attached_suffix_is_part_of_the_figure() -> None:
    assert [m.text for m in find_numbers("some 1,500-plus and 30-odd and 5,000+")] == ["1,500-plus", "30-odd", "5,000+"]


def test_percent_is_marked() -> None:
    assert find_numbers("Ten percent of them")[0].percent
    assert find_numbers("30% of them")[0].percent


def test_number_words() -> None:
    assert parse_number_words("one thousand two hundred") == D(1200)
    assert parse_number_words("twenty-five") == D(25)
    assert parse_number_words("banana") is None


def check_bounds(text: str) -> None:
    for mention in find_numbers(text):
        if mention.low is not None:
            assert mention.low <= mention.value
        if mention.high is not None:
            assert mention.value <= mention.high
        assert 0 <= mention.start < mention.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_grammar_never_raises_and_bounds_hold(text: str) -> None:
    check_bounds(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["about", "between", "and", "to", "3,400", "12", "–", "-", "seven", "more than", "%", " ", "fighters", "2017"]), max_size=12))
def test_grammar_on_number_like_text(parts: list[str]) -> None:
    check_bounds(" ".join(parts))
