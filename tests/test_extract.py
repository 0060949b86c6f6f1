"""Extraction on sentences written for these tests in many styles (never copied from the seeds)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.extract import extract_claims
from claimgraph.extract.places import find_places
from claimgraph.model import Document


def claims_of(text: str, date: str = "2018-03") -> list:
    return extract_claims(Document("t.txt", "t.txt", text, date=date))


def one(text: str, date: str = "2018-03"):
    found = [c for c in claims_of(text, date) if c.unit == "persons"]
    assert len(found) == 1, [(c.mention, c.measure, c.country) for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "country", "measure"),
    [
        ("Officials in Rabat said 1,600 Moroccans had travelled to Syria.", 1600, "MA", "departed"),
        ("Roughly 150 Belgians have come back home since 2016.", 150, "BE", "returned"),
        ("Kurdish guards held 2,000 foreign fighters in camps near Hasakah, Syria.", 2000, "SY", "detained"),
        ("Prosecutors in Madrid had charged 40 people by May 2018.", 40, "", "charged"),
        ("Around 300 Britons were still active in the region in 2018.", 300, "GB", "departed"),
        ("At least 90 Tunisians were killed in air strikes last year.", 90, "TN", "killed"),
        ("More than 100 Australians attempted to travel to the war zone.", 100, "AU", "attempted_departure"),
    ],
)
def test_measure_and_country(text: str, value: int, country: str, measure: str) -> None:
    claim = one(text)
    assert claim.value == Decimal(value)
    assert claim.measure == measure
    if country:
        assert claim.country == country


def test_offsets_point_at_the_number() -> None:
    text = "Analysts counted about 1,200 fighters from France in 2017."
    claim = one(text)
    assert text[claim.start : claim.end] == "1,200"
    assert claim.qualifier == "approximately" and claim.as_of == "2017"


def test_list_items_inherit_the_measure() -> None:
    text = "Some 900 fighters have gone home to North Africa: 500 to Tunisia, 250 to Morocco and about 150 to Algeria."
    found = {c.country: c for c in claims_of(text)}
    assert {k: (int(v.value), v.measure) for k, v in found.items() if k in {"TN", "MA", "DZ"}} == {
        "TN": (500, "returned"), "MA": (250, "returned"), "DZ": (150, "returned")}


def test_respectively_maps_figures_to_places() -> None:
    text = "Sweden and Denmark saw 300 and 150 people travel to the conflict, respectively."
    found = {c.country: int(c.value) for c in claims_of(text)}
    assert found == {"SE": 300, "DK": 150}


def test_percentage_of_stated_total_is_derived() -> None:
    text = "Belgium counted 500 Belgians who travelled to Syria. Twenty percent of the Belgians came back, the count said."
    claims = claims_of(text)
    total = next(c for c in claims if c.value == 500)
    derived = next(c for c in claims if c.unit == "persons" and c.derived_from)
    percent = next(c for c in claims if c.unit == "percent")
    assert derived.value == Decimal(100) and derived.derived_from == total.iri and derived.measure == "returned"
    assert percent.value == Decimal(20)


def test_partitive_part_and_whole() -> None:
    claims = claims_of("Six of the 80 Finns who joined the group are now back in Finland.")
    by_value = {int(c.value): c for c in claims}
    assert by_value[80].measure == "departed" and by_value[80].country == "FI"
    assert by_value[6].measure == "returned" and by_value[6].country == "FI"


@pytest.mark.parametrize(
    "text",
    [
        "The Security Council adopted Resolution 2249 in 2015.",
        "See pp. 12–14 and vol. 9, no. 3 of the journal.",
        "The 14 countries met on 5 March 2019 in Vienna.",
        "He was 19 years old when he left; the attack killed 22 people.",
        "Call +44 20 7946 0958 for details about fighters.",
        "The town of 80,000 inhabitants was retaken in 2017.",
    ],
)
def test_non_claims(text: str) -> None:
    assert claims_of(text) == []


def test_chart_axis_labels_are_not_claims() -> None:
    assert claims_of("Fighters who left home\n3k\n1k\n100\nTurkey\nTunisia\n") == []


def test_attribution_and_normalised_organisation() -> None:
    claim = one("According to The Soufan Group, 850 Britons travelled to the war zone.")
    assert claim.attributed_to == "Soufan Center" and claim.country == "GB"


def test_places_gazetteer() -> None:
    codes = [m.code for m in find_places("Türkiye, the UK, U.S. officials, Tajik. and Dagestanis, the EU and Europe")]
    assert codes == ["TR", "GB", "US", "TJ", "RU", "EU", "EUROPE"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=0x2FFF), max_size=400))
def test_extractor_never_raises(text: str) -> None:
    for claim in claims_of(text):
        assert 0 <= claim.start < claim.end <= len(text)
