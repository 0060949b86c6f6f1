"""Extraction: number grammar → lists → places and roles → measures → attribution → dates → claims."""

from claimgraph.extract.claims import extract_claims

__all__ = ["extract_claims"]
