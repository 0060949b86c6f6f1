"""Plain data passed between the pipeline stages, and the IRI minting rules.

Every stage takes and returns these frozen dataclasses (or lists of them), so a
stage can be tested alone and called the same way from the CLI or a notebook.
IRIs are derived from content, so rebuilding the same corpus gives the same graph.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from claimgraph.namespaces import ID

if TYPE_CHECKING:
    from claimgraph.intervals import Interval


class computed_once:  # noqa: N801  (used as a decorator, like functools.cached_property)
    """A property computed on first use and stored in the instance (frozen dataclasses included).

    Like :class:`functools.cached_property` without its per-access lock (Python 3.11
    takes one on every first access, a measurable cost over millions of claims).
    """

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


def _digest(*parts: object, length: int = 16) -> str:
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def slug(text: str) -> str:
    """Lower-case ASCII slug of `text`: ``slug("The Soufan Center") == "the-soufan-center"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or _digest(text, length=8)


@lru_cache(maxsize=1 << 18)  # asked once per claim, by every table and page: claims come a document at a time
def document_iri(source_file: str) -> str:
    """IRI of the document read from `source_file` (path relative to its corpus)."""
    return f"{ID}doc/{_digest(source_file)}"


@lru_cache(maxsize=1 << 18)
def document_graph_iri(source_file: str) -> str:
    """IRI of the named graph that holds the claims read in `source_file`."""
    return f"{ID}graph/{_digest(source_file)}"


RECONCILIATION_GRAPH = f"{ID}graph/reconciliation"


def organisation_iri(name: str) -> str:
    """IRI of the organisation with canonical `name`."""
    return f"{ID}org/{slug(name)}"


def reviewer_iri(name: str) -> str:
    """IRI of a reviewer (a person recording verdicts)."""
    return f"{ID}reviewer/{slug(name)}"


def country_iri(code: str) -> str:
    """IRI of the place with ISO 3166-1 alpha-2 `code` (or EU, EUROPE, WORLD)."""
    return f"{ID}place/{code}"


@lru_cache(maxsize=1 << 16)  # equal Decimals ("1.0", "1") format alike, so caching by value is safe
def format_number(value: Decimal | None) -> str:
    """Plain decimal text without exponent or trailing zeros; '' for None."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True)
class Document:
    """One document of a corpus with the metadata the loader resolved."""

    source_file: str  # path relative to its corpus folder, '/'-separated
    path: str  # absolute path on disk when loaded
    text: str
    title: str = ""
    publisher: str = ""
    author: str = ""
    date: str = ""  # YYYY, YYYY-MM, YYYY-MM-DD or '' when unknown
    date_source: str = "unknown"  # front_matter | manifest | dateline | unknown
    url: str = ""
    kind: str = ""
    language: str = ""
    cites: tuple[str, ...] = ()
    body_offset: int = 0  # where the text proper starts (after front matter)
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def iri(self) -> str:
        return document_iri(self.source_file)

    @property
    def graph_iri(self) -> str:
        return document_graph_iri(self.source_file)

    @classmethod
    def restored(cls, values: tuple, text_of: Callable[[], str]) -> Document:
        """A document of VALUES (its fields in order, but its text), whose text TEXT_OF reads when first asked for: a
        rebuild takes 10^4 documents from its memo without reading their 14 MB of text (see :mod:`claimgraph.loadmemo`)."""
        document = cls.__new__(cls)
        state = document.__dict__
        state.update(zip(_FIELDS_BUT_TEXT, values, strict=True))
        state["_text_of"] = text_of
        return document

    def values_but_text(self) -> tuple:
        """The document's fields in order, but its text (what :meth:`restored` takes)."""
        return tuple(getattr(self, name) for name in _FIELDS_BUT_TEXT)

    def __getattr__(self, name: str) -> Any:
        if name == "text" and "_text_of" in self.__dict__:  # a restored document's text, read once
            text = self.__dict__.pop("_text_of")()
            object.__setattr__(self, "text", text)
            return text
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELD_NAMES}  # (a restored document's text read first)


_FIELD_NAMES = tuple(f for f in Document.__dataclass_fields__)
_FIELDS_BUT_TEXT = tuple(f for f in _FIELD_NAMES if f != "text")


@dataclass(frozen=True)
class Claim:
    """One numeric claim read in a document."""

    source_file: str
    start: int  # offsets of the number's mention in the document text
    end: int
    mention: str  # the text between start and end
    quote: str  # the sentence or clause the claim was read from
    value: Decimal
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    measure: str
    population: str
    country: str = ""  # ISO code, EU, EUROPE, WORLD, or 'IQ+SY'; '' when none
    place_role: str = ""
    as_of: str = ""
    attributed_to: str = ""
    derived_from: str = ""  # IRI of the claim this one was computed from
    unit: str = "persons"  # persons | percent
    region: str = ""  # a sub-national region the figure is limited to ("Dagestan"), '' for the whole place
    quote_start: int = 0
    quote_end: int = 0

    def __post_init__(self) -> None:
        # The IRI and interval are stored as the claim is made (in a build: in the extraction workers), after its
        # fields and always in this order, so every claim's attributes keep sharing one table of keys. Stored when
        # first read, they grew each claim's dict into one of its own: 4.6 s of CPU for 10^6 claims, 3.8 s here.
        object.__setattr__(self, "iri", _claim_iri(self))
        object.__setattr__(self, "interval", _claim_interval(self))

    def __reduce__(self) -> tuple[Callable[..., Claim], tuple]:
        # Pickled as its values in __init__'s order (read back by _restored_claim): a rebuild of 10^4 documents reads
        # 50,000 cached claims in 0.12 s, where pickle's own way (a dict of their state each) took 0.17 s.
        return _restored_claim, (
            self.source_file, self.start, self.end, self.mention, self.quote, self.value, self.low, self.high, self.qualifier,
            self.measure, self.population, self.country, self.place_role, self.as_of, self.attributed_to, self.derived_from,
            self.unit, self.region, self.quote_start, self.quote_end, self.iri, self.interval,
        )  # fmt: skip

    @computed_once
    def iri(self) -> str:
        """The claim's IRI, from what it says and where (set as the claim is made; computed here only for an object
        made without ``__init__``)."""
        return _claim_iri(self)

    @property
    def document(self) -> str:
        return document_iri(self.source_file)

    @computed_once
    def description(self) -> str:
        """The claim in a few words, as conflict reasons quote it (see :func:`claimgraph.intervals.describe`)."""
        from claimgraph.intervals import describe

        return describe(self)

    @computed_once
    def interval(self) -> Interval:
        """The values this claim allows under the tolerance rules of :mod:`claimgraph.intervals` (set as the claim is made)."""
        return _claim_interval(self)


def _claim_iri(claim: Claim) -> str:
    fields = (claim.source_file, str(claim.start), str(claim.end), format_number(claim.value), claim.unit, claim.measure,
              claim.population, claim.country, claim.region)  # fmt: skip
    return f"{ID}claim/" + hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()[:16]  # as _digest(*fields)


def _conflict_iri(kind: str, a: str, b: str) -> str:
    text = f"{kind}\x1f{a}\x1f{b}" if a <= b else f"{kind}\x1f{b}\x1f{a}"  # as _digest(kind, first, second) joins them
    return _CONFLICT + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_CONFLICT = f"{ID}conflict/"


def _restored_claim(
    source_file: str, start: int, end: int, mention: str, quote: str, value: Decimal, low: Decimal | None, high: Decimal | None,
    qualifier: str, measure: str, population: str, country: str, place_role: str, as_of: str, attributed_to: str,
    derived_from: str, unit: str, region: str, quote_start: int, quote_end: int, iri: str, interval: Interval,
) -> Claim:
    """A claim unpickled (see ``Claim.__reduce__``): its values straight into its dict, in the order __init__ stores them,
    so it shares the table of keys of every other claim."""
    claim = object.__new__(Claim)
    f = claim.__dict__
    f["source_file"], f["start"], f["end"], f["mention"], f["quote"], f["value"], f["low"], f["high"] = (
        source_file, start, end, mention, quote, value, low, high)  # fmt: skip
    f["qualifier"], f["measure"], f["population"], f["country"], f["place_role"], f["as_of"] = (
        qualifier, measure, population, country, place_role, as_of)  # fmt: skip
    f["attributed_to"], f["derived_from"], f["unit"], f["region"], f["quote_start"], f["quote_end"] = (
        attributed_to, derived_from, unit, region, quote_start, quote_end)  # fmt: skip
    f["iri"], f["interval"] = iri, interval
    return claim


def _claim_interval(claim: Claim) -> Interval:
    global _claim_interval_rule
    if _claim_interval_rule is None:
        from claimgraph.intervals import claim_interval  # imports this module

        _claim_interval_rule = claim_interval
    return _claim_interval_rule(claim)


_claim_interval_rule: Callable[[Claim], Interval] | None = None


@dataclass(frozen=True, init=False)
class Conflict:
    """A pair of claims that cannot both be true, as the reconciler explains it."""

    kind: str
    severity: float
    claim_a: str
    claim_b: str
    reason: str

    def __init__(self, kind: str, severity: float, claim_a: str, claim_b: str, reason: str) -> None:
        # The fields and the IRI (every conflict is looked up by IRI as soon as it is made) straight into the instance's
        # dict: the frozen dataclass's own __init__ sets each field through object.__setattr__, 0.3 s more for 10^6 conflicts.
        # Stored one key at a time: a keyword dict for update() cost a third more.
        fields = self.__dict__
        fields["kind"], fields["severity"], fields["claim_a"], fields["claim_b"] = kind, severity, claim_a, claim_b
        fields["reason"], fields["iri"] = reason, _conflict_iri(kind, claim_a, claim_b)

    @classmethod
    def restored(cls, kind: str, severity: float, claim_a: str, claim_b: str, reason: str, iri: str) -> Conflict:
        """A conflict as sent between processes, with the IRI computed from these fields there."""
        conflict = cls.__new__(cls)
        fields = conflict.__dict__
        fields["kind"], fields["severity"], fields["claim_a"], fields["claim_b"] = kind, severity, claim_a, claim_b
        fields["reason"], fields["iri"] = reason, iri
        return conflict

    @computed_once
    def iri(self) -> str:
        """The conflict's IRI, from its kind and its two claims in either order (set as the conflict is made)."""
        return _conflict_iri(self.kind, self.claim_a, self.claim_b)

    @computed_once
    def content_digest(self) -> bytes:
        """A digest of everything the conflict says (IRI, kind, severity, claims, reason): equal digests, equal text in
        every table. Stored in the conflict once read, so it is cached with it (see :class:`claimgraph.reconcile.GroupMemo`)
        and a rebuild keys the runs of conflicts it copies (:func:`claimgraph.outputs.conflict_runs`) without reading
        their text again: 1.2 s for 640,000 conflicts at 10^5 documents."""
        fields = (self.iri, self.kind, repr(self.severity), self.claim_a, self.claim_b, self.reason)
        text = "\x1f".join(fields)
        if text.count("\x1f") != len(fields) - 1:  # a field holds the separator: each field after its length instead
            text = "".join(f"{len(f)}:{f}" for f in fields)
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    @property
    def severity_key(self) -> int:
        """An integer that sorts conflicts as the conflicts table does: most severe first, then by IRI.

        The severity in thousandths (inverted) above the first 48 bits of the
        IRI's hex digest, so a SPARQL query orders by one integer instead of by
        a decimal and a string (several times faster on a million conflicts).
        """
        return (1000 - round(self.severity * 1000)) << 48 | int(self.iri.rsplit("/", 1)[1][:12], 16)


@dataclass(frozen=True)
class Organisation:
    """An organisation credited with figures or publishing documents."""

    name: str
    aliases: frozenset[str] = field(default_factory=frozenset)

    @property
    def iri(self) -> str:
        return organisation_iri(self.name)
