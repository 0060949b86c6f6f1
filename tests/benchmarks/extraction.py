"""Score the extractor against ../shared/corpus/seeds/gold_claims.csv, side by side with quantulum3.

Run: ``python tests/benchmarks/extraction.py [SEEDS_DIR]``

A gold claim is found when a claim from the same file has the same country,
measure and interval (low, high). Precision counts claims in persons whose
measure is not ``other`` that match a gold claim's file and figure (value, low
or high). A ``neg`` number counts as extracted when a claim from its file has its
value and a mention inside its quote. quantulum3 is scored on figures alone (value recall and precision on
the same gold), and both are timed in sentences per second in the same run.
"""

from __future__ import annotations

import csv
import sys
import time
from decimal import Decimal
from pathlib import Path

from claimgraph.extract import extract_claims
from claimgraph.extract.text import readable_body, split_sentences
from claimgraph.load import load_corpus

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"


def _dec(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def load_gold(seeds: Path) -> list[dict[str, object]]:
    with (seeds / "gold_claims.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["low_d"], row["high_d"] = _dec(row["low"]), _dec(row["high"])
    return rows


def score(seeds: Path) -> dict[str, float]:
    """Recall per tier, precision, negatives extracted, and speed, for claimgraph."""
    gold = load_gold(seeds)
    docs = load_corpus([seeds]).documents
    sentences = sum(len(split_sentences(readable_body(d.text, d.body_offset))) for d in docs)
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        claims = [c for d in docs for c in extract_claims(d)]
    elapsed = (time.perf_counter() - started) / rounds
    persons = [c for c in claims if c.unit == "persons"]
    found = {"core": [0, 0], "hard": [0, 0]}
    missed = []
    for row in gold:
        tier = row["tier"]
        if tier == "neg":
            continue
        found[tier][1] += 1
        hit = any(
            c.source_file == row["file"] and c.country == row["country"] and c.measure == row["measure"]
            and c.low == row["low_d"] and c.high == row["high_d"]
            for c in persons
        )
        found[tier][0] += hit
        if not hit:
            missed.append(f"{tier}: {row['file'][:3]} {row['quote'][:50]!r} {row['country']} {row['measure']} [{row['low']},{row['high']}]")
    figures = {(r["file"], v) for r in gold if r["tier"] != "neg" for v in (r["low_d"], r["high_d"]) if v is not None}
    scored = [c for c in persons if c.measure != "other"]
    precise = [c for c in scored if any((c.source_file, v) in figures for v in (c.value, c.low, c.high) if v is not None)]
    negs = [(r["file"], r["low_d"], str(r["quote"]).strip()) for r in gold if r["tier"] == "neg"]
    neg_hits = [c for c in claims for f, v, q in negs if c.source_file == f and v in (c.value, c.low) and c.mention in q]
    wrong = [c for c in scored if c not in precise]
    return {
        "core_recall": found["core"][0] / found["core"][1],
        "hard_recall": found["hard"][0] / found["hard"][1],
        "precision": len(precise) / max(1, len(scored)),
        "neg_extracted": len(neg_hits),
        "sentences_per_s": sentences / elapsed,
        "claims": len(claims),
        "missed": missed,
        "unmatched": [f"{c.source_file[:3]} {c.mention!r} {c.country} {c.measure} | {c.quote[:60]!r}" for c in wrong],
    }


def score_quantulum(seeds: Path) -> dict[str, float]:
    """Value recall and precision of quantulum3 on the same gold, and its speed."""
    from quantulum3 import parser

    gold = load_gold(seeds)
    docs = load_corpus([seeds]).documents
    sentence_texts = {d.source_file: [s.text for s in split_sentences(readable_body(d.text, d.body_offset))] for d in docs}
    started = time.perf_counter()
    values: dict[str, set[Decimal]] = {}
    total_sentences = 0
    for name, texts in sentence_texts.items():
        for text in texts:
            total_sentences += 1
            for quantity in parser.parse(text):
                values.setdefault(name, set()).add(Decimal(str(quantity.value)).normalize())
    elapsed = time.perf_counter() - started
    wanted = [(r["file"], (r["low_d"] or r["high_d"]).normalize()) for r in gold if r["tier"] != "neg"]
    recall = sum(v in values.get(f, set()) for f, v in wanted) / len(wanted)
    gold_values = {(f, v) for f, v in wanted}
    all_found = [(f, v) for f, vs in values.items() for v in vs]
    precision = sum(pair in gold_values for pair in all_found) / max(1, len(all_found))
    return {"value_recall": recall, "value_precision": precision, "sentences_per_s": total_sentences / elapsed}


def main() -> int:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else SEEDS
    ours = score(seeds)
    try:
        theirs = score_quantulum(seeds)
    except ImportError:
        theirs = None
    print(f"claimgraph: core recall {ours['core_recall']:.3f}  hard recall {ours['hard_recall']:.3f}  "
          f"precision {ours['precision']:.3f}  neg extracted {ours['neg_extracted']}  claims {ours['claims']}  "
          f"{ours['sentences_per_s']:,.0f} sentences/s")
    if theirs:
        print(f"quantulum3: value recall {theirs['value_recall']:.3f}  value precision {theirs['value_precision']:.3f}  "
              f"{theirs['sentences_per_s']:,.0f} sentences/s")
        print(f"speed ratio claimgraph/quantulum3: {ours['sentences_per_s'] / theirs['sentences_per_s']:.1f}x")
    for line in ours["missed"]:
        print("missed", line)
    for line in ours["unmatched"]:
        print("unmatched", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
