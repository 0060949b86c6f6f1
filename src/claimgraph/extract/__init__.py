"""Extraction: number grammar → places → measures → attribution → dates → claims."""

from claimgraph.extract.claims import extract_claims

__all__ = ["extract_claims"]
