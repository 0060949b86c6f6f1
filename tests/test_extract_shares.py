"""Shares of a stated total: fractions and percentages become a proportion claim plus a derived count.

Every sentence here was written for these tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from claimgraph.extract import extract_claims
from claimgraph.extract.numbers import find_fractions, fraction_of
from claimgraph.model import Document

D = Decimal


def claims_of(text: str, date: str = "2018-06-15") -> list:
    return extract_claims(Document("t.txt", "t.txt", text, date=date))


def split(text: str) -> tuple[list, list, list]:
    """(plain counts, proportions, derived counts) of a text."""
    claims = claims_of(text)
    plain = [c for c in claims if c.unit == "persons" and not c.derived_from]
    shares = [c for c in claims if c.unit == "percent"]
    derived = [c for c in claims if c.unit == "persons" and c.derived_from]
    return plain, shares, derived


@pytest.mark.parametrize(
    ("phrase", "ratio"),
    [
        ("half", D("0.5")),
        ("a quarter", D("0.25")),
        ("three quarters", D("0.75")),
        ("a fifth", D("0.2")),
        ("one in eight", D("0.125")),
        ("nine out of ten", D("0.9")),
        ("1 in 4", D("0.25")),
        ("one in every five", D("0.2")),
    ],
)
def test_fraction_phrases(phrase: str, ratio: Decimal) -> None:
    assert fraction_of(phrase) == ratio


def test_two_thirds_keeps_the_exact_ratio() -> None:
    mention = find_fractions("two-thirds of those who left")[0]
    assert mention.ratio == D(2) / 3 and mention.value == D("66.67") and mention.percent


@pytest.mark.parametrize(
    "text",
    ["a third country took them in", "one in nine", "half-brother of the suspect", "the second half of 2015 of"],
)
def test_fraction_words_that_open_no_partitive(text: str) -> None:
    assert find_fractions(text) == []


def test_qualifier_before_a_fraction() -> None:
    (mention,) = find_fractions("more than half of the 300")
    assert mention.qualifier == "more_than" and mention.high is None


def test_half_of_a_stated_total_in_the_same_sentence() -> None:
    plain, shares, derived = split("Around half of the 850 Belgians who left have returned.")
    total = plain[0]
    assert (total.value, total.country, total.measure) == (D(850), "BE", "departed")
    assert shares[0].value == D(50) and shares[0].derived_from == total.iri
    count = derived[0]
    assert (count.value, count.country, count.measure, count.qualifier) == (D(425), "BE", "returned", "approximately")
    assert count.derived_from == total.iri


def test_a_quarter_of_them_takes_the_figure_of_the_sentence_before() -> None:
    plain, _, derived = split("Some 1,600 Moroccans went to Syria. A quarter of them have since come home.")
    assert derived[0].value == D(400) and derived[0].derived_from == plain[0].iri
    assert derived[0].country == "MA" and derived[0].measure == "returned"


def test_of_them_prefers_the_figure_in_its_own_sentence() -> None:
    plain, _, derived = split("Roughly 5,000 people left EU member states and about 30 percent of them have since returned.")
    assert derived[0].value == D(1500) and derived[0].derived_from == plain[0].iri
    assert plain[0].country == "EU" and plain[0].measure == "departed"
    assert derived[0].country == "EU" and derived[0].measure == "returned"


def test_one_in_n_of_the_returnees() -> None:
    plain, shares, derived = split("One in eight of the 1,600 returnees has been prosecuted.")
    assert shares[0].value == D("12.5")
    assert derived[0].value == D(200) and derived[0].measure == "prosecuted" and derived[0].population == "returnees"


def test_two_thirds_of_those() -> None:
    _, shares, derived = split("A count by the interior ministry put Tunisian departures at 3,000. Two-thirds of those are thought to be dead.")
    assert shares[0].value == D("66.67")
    assert derived[0].value == D(2000) and derived[0].measure == "killed" and derived[0].country == "TN"


def test_share_without_its_own_verb_takes_the_totals_measure() -> None:
    _, _, derived = split("Analysts counted 20,000 foreign fighters. Nearly one in five of the total were residents of Western European states.")
    assert (derived[0].value, derived[0].country, derived[0].place_role, derived[0].measure) == (D(4000), "EUROPE", "origin", "departed")


def test_half_the_without_of_and_the_part_takes_the_main_verb() -> None:
    plain, _, derived = split("Half the 120 Danes who travelled were killed.")
    assert plain[0].measure == "departed"
    assert (derived[0].value, derived[0].measure, derived[0].qualifier) == (D(60), "killed", "exact")


def test_more_than_half_keeps_its_open_bound() -> None:
    _, _, derived = split("More than half of the 300 Swedes have returned.")
    assert (derived[0].value, derived[0].low, derived[0].high, derived[0].qualifier) == (D(150), D(150), None, "more_than")


def test_a_range_of_percentages_gives_a_range_of_people() -> None:
    _, _, derived = split("Between 20 and 30 percent of the 1,000 Kosovars who went are back.")
    assert (derived[0].low, derived[0].high, derived[0].qualifier) == (D(200), D(300), "range")


def test_share_whose_verb_comes_before_it() -> None:
    plain, _, derived = split("Failed travellers make up roughly a third of the 153 people arrested in Canada since 2014.")
    assert plain[0].measure == "detained"
    assert derived[0].value == D(51) and derived[0].measure == "attempted_departure"


def test_share_without_any_total_has_no_derived_count() -> None:
    _, shares, derived = split("Two-thirds of those who went to Syria from Tunisia are believed dead.")
    assert derived == [] and shares[0].derived_from == ""


def test_of_whom_about_half_have_returned() -> None:
    plain, shares, derived = split("Officials count some 640 travellers, of whom about half have returned.")
    assert plain[0].measure == "departed"  # the clause after 'of whom' is the share's, not the total's
    assert (derived[0].value, derived[0].measure, derived[0].derived_from) == (D(320), "returned", plain[0].iri)


def test_a_bare_share_after_a_semicolon() -> None:
    plain, _, derived = split("The agency counts 1,200 Dutch fighters who left; around a quarter have returned.")
    assert (derived[0].value, derived[0].country, derived[0].measure) == (D(300), "NL", "returned")


def test_percent_followed_by_a_verb() -> None:
    plain, shares, derived = split("Of 300 Swedes who left, 30 percent have returned.")
    assert shares[0].value == D(30) and derived[0].value == D(90)


def test_several_shares_of_a_restated_total() -> None:
    text = "Some 900 Austrians left. Of the 900, roughly a third are back home, a third are believed dead and a third remain abroad."
    _, _, derived = split(text)
    assert [(int(c.value), c.measure) for c in derived] == [(300, "returned"), (300, "killed"), (300, "departed")]


def test_a_group_making_up_a_share_of_people_in_general() -> None:
    _, shares, derived = split("Some 40,000 foreigners joined. Tunisians made up about 15 percent of the foreign fighters.")
    assert (shares[0].country, shares[0].place_role) == ("TN", "origin")
    assert (derived[0].value, derived[0].country, derived[0].measure, derived[0].population) == (D(6000), "TN", "departed", "fighters")


def test_women_accounted_for_a_share_of_a_stated_total() -> None:
    _, _, derived = split("Women accounted for 13 percent of the 41,490 affiliates.")
    assert (derived[0].value, derived[0].population) == (D(5394), "women")


def test_a_share_that_were_women() -> None:
    _, shares, _ = split("Only 12% of European foreign fighters were women.")
    assert (shares[0].country, shares[0].place_role, shares[0].population) == ("EUROPE", "origin", "women")
