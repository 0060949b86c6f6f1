"""Reading a corpus as a stream: each document is extracted (and its TriG chunk written) once, in worker processes.

Workers get documents in order and send back claims and the document's chunk
of claims.trig; the chunks go straight into the extraction cache, so memory
holds the claims (what reconciliation needs), not the text of the graph. Documents
whose cache key is known are not read again. Without a cache, the chunks are
kept in memory.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from claimgraph.cache import Extracted, ExtractionCache, document_key
from claimgraph.extract import extract_claims
from claimgraph.model import Claim, Document
from claimgraph.trig import document_chunk

PARALLEL_FROM = 200  # documents: below this, starting worker processes costs more than it saves
CACHE_BATCH = 500  # documents written to the cache per transaction


def read_document(document: Document) -> Extracted:
    """Extract one document's claims and write its chunk of claims.trig (what a worker process does)."""
    claims = extract_claims(document)
    return Extracted(claims, document_chunk(document, claims))


def read_all(documents: list[Document], progress: Callable[[int, int], None] | None = None, jobs: int = 1) -> Iterator[Extracted]:
    """What each document gives, in document order; with ``jobs`` > 1 (and enough documents) in worker processes."""
    if jobs > 1 and len(documents) >= PARALLEL_FROM:
        import multiprocessing

        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with context.Pool(jobs, initializer=gc.enable) as pool:  # a worker frees each document's objects: let it collect
            for index, found in enumerate(pool.imap(read_document, documents, chunksize=16), start=1):
                if progress:
                    progress(index, len(documents))
                yield found
        return
    for index, document in enumerate(documents, start=1):
        found = read_document(document)
        if progress:
            progress(index, len(documents))
        yield found


@dataclass
class Extraction:
    """What a corpus gave: every document's cache key and claims, and its TriG chunk on demand."""

    keys: list[str]
    claims: list[list[Claim]]
    cache: ExtractionCache | None = None
    kept_chunks: list[bytes] = field(default_factory=list)  # only without a cache
    read: int = 0  # documents extracted in this run (the others came from the cache)

    def all_claims(self) -> list[Claim]:
        """Every claim, in document order."""
        return [claim for claims in self.claims for claim in claims]

    def chunks(self) -> Iterator[bytes]:
        """Each document's chunk of claims.trig, in document order."""
        if self.cache is None:
            yield from self.kept_chunks
        else:
            yield from self.cache.chunks(self.keys)


def extract_documents(
    documents: list[Document],
    cache: ExtractionCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    keys: list[str] | None = None,
) -> Extraction:
    """Extract every document not already in CACHE (same text, metadata and code), in worker processes when ``jobs`` > 1.

    KEYS are the documents' cache keys when the caller knows them (see :class:`claimgraph.loadmemo.DocumentMemo`).
    """
    keys = [document_key(d) for d in documents] if keys is None else keys
    found = cache.claims_of(keys) if cache else {}
    missing = [i for i, key in enumerate(keys) if key not in found]
    claims: list[list[Claim] | None] = [found.get(key) for key in keys]
    kept: list[bytes] = []
    fresh = zip(missing, read_all([documents[i] for i in missing], progress, jobs), strict=True)
    while batch := list(islice(fresh, CACHE_BATCH)):
        for i, extracted in batch:
            claims[i] = extracted.claims
        if cache:
            cache.put_many((keys[i], extracted) for i, extracted in batch)
        else:
            kept.extend(extracted.chunk for _, extracted in batch)
    return Extraction(keys, claims, cache, kept, len(missing))  # type: ignore[arg-type]


def extract_all(documents: list[Document], progress: Callable[[int, int], None] | None = None, jobs: int = 1) -> list[Claim]:
    """Claims of every document, in document order (no cache)."""
    return extract_documents(documents, None, progress, jobs).all_claims()


__all__ = ["PARALLEL_FROM", "Extraction", "extract_all", "extract_documents", "read_all", "read_document"]
