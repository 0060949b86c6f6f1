"""The controlled vocabularies of the claims table (ids are the SKOS notations).

The SKOS concept schemes in ``ontology/vocabularies.ttl`` are the published form
of these lists; a test keeps the two identical.
"""

from __future__ import annotations

MEASURES: tuple[str, ...] = (
    "departed",
    "attempted_departure",
    "returned",
    "relocated",
    "detained",
    "charged",
    "convicted",
    "prosecuted",
    "unaccounted",
    "active",
    "killed",
    "other",
)

POPULATIONS: tuple[str, ...] = (
    "fighters",
    "affiliates",
    "women",
    "children",
    "returnees",
    "members",
    "prisoners",
)

QUALIFIERS: tuple[str, ...] = (
    "exact",
    "approximately",
    "at_least",
    "more_than",
    "at_most",
    "less_than",
    "range",
)

PLACE_ROLES: tuple[str, ...] = ("origin", "location", "destination")

CONFLICT_KINDS: tuple[str, ...] = (
    "value_mismatch",
    "temporal_inconsistency",
    "derived_mismatch",
    "quotation_mismatch",
    "scope_violation",
)

# Measures whose totals only grow over time (checked as cumulative series).
CUMULATIVE_MEASURES = frozenset(
    {"departed", "attempted_departure", "returned", "relocated", "charged", "convicted", "prosecuted", "killed"}
)
# Measures that describe a state at a moment (compared only where dates overlap).
SNAPSHOT_MEASURES = frozenset({"active", "detained", "unaccounted"})
