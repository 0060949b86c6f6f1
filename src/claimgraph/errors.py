"""The project's exceptions: each message names the bad value, where it was and the fix."""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base class: the CLI turns these into a one-line message and exit status 1."""


class InputError(ClaimgraphError):
    """Bad input: a document, manifest, graph or query that cannot be read.

    The message names the file (and line where there is one).
    """

    def __init__(self, message: str, path: str = "", line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if path and line else path
        super().__init__(f"{where}: {message}" if where else message)


class CorpusWarning(InputError):
    """A problem that skips a file or falls back to a default; an error under --strict."""


class ValidationFailed(ClaimgraphError):
    """The graph does not conform to the SHACL shapes."""
