"""Load stage: a corpus folder becomes a list of `Document`s.

Metadata comes, in this order, from YAML front matter, the folder's
``sources.csv`` manifest, a dateline in the text, else stays unknown with a
warning naming the file. Bad files are skipped with a warning that names the
file (and line); under ``strict`` every warning is an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from claimgraph.errors import CorpusWarning, InputError
from claimgraph.loadmemo import DocumentMemo, file_stamp

DOCUMENT_SUFFIXES = {".txt", ".md"}
NOT_DOCUMENTS = {"gold_claims.csv", "sources.csv", "reviews.tsv"}  # manifests, gold labels, reviewers' verdicts
FRONT_MATTER_KEYS = ("title", "publisher", "author", "date", "url", "cites", "language")
MANIFEST_COLUMNS = ("file", "title", "publisher", "author", "date", "url", "kind")

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
DATELINE_PATTERNS = (
    # October 25, 2017  /  Oct. 25, 2017
    re.compile(rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}}),\s*(?P<year>(?:19|20)\d\d)\b", re.I),
    # 25 October 2017
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_RE})\.?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    # 2017-10-25
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
)
DATELINE_WINDOW = 800  # characters of the body searched for a dateline
PARTIAL_DATE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass
class LoadResult:
    """What loading a corpus gave: the documents and the warnings met on the way."""

    documents: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def normalise_date(value: object) -> str | None:
    """A partial ISO date string from YAML/CSV input, or None when it is not one.

    >>> normalise_date("2017-10"), normalise_date(dt.date(2017, 10, 25)), normalise_date("soon")
    ('2017-10', '2017-10-25', None)
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    text = str(value).strip()
    if PARTIAL_DATE.match(text):
        try:
            if len(text) == 10:
                dt.date.fromisoformat(text)
        except ValueError:
            return None
        return text
    return None


def find_dateline(text: str) -> str | None:
    """The first full date written near the top of `text`, as YYYY-MM-DD.

    >>> find_dateline("WASHINGTON, Feb. 21, 2018 - Officials said")
    '2018-02-21'
    """
    window = text[:DATELINE_WINDOW]
    best: tuple[int, str] | None = None
    for pattern in DATELINE_PATTERNS:
        for match in pattern.finditer(window):
            parts = match.groupdict()
            month = int(parts["mnum"]) if parts.get("mnum") else MONTHS[parts["month"].lower()]
            try:
                date = dt.date(int(parts["year"]), month, int(parts["day"]))
            except ValueError:
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), date.isoformat())
            break
    return best[1] if best else None


def _decode(path: Path, raw: bytes, display: str) -> str:
    if not raw.strip():
        raise CorpusWarning("empty file, skipped", display)
    if b"\x00" in raw[:8192]:
        raise CorpusWarning("binary file (contains NUL bytes), skipped", display)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CorpusWarning(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8, skipped",
            display,
            line,
        ) from None
    return text.removeprefix("\ufeff")


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when PyYAML has it: ten times faster


def split_front_matter(text: str, display: str) -> tuple[dict[str, object], int]:
    """Parse YAML front matter at the top of `text`; returns (metadata, body offset)."""
    first_line_end = text.find("\n")
    first = text[: first_line_end if first_line_end >= 0 else len(text)].rstrip("\r")
    if first != "---":
        return {}, 0
    match = re.compile(r"^---[ \t]*\r?$", re.M).search(text, first_line_end + 1)
    if match is None:
        raise InputError("front matter opened with '---' on line 1 is never closed by a '---' line", display, 1)
    block = text[first_line_end + 1 : match.start()]
    try:
        meta = yaml.load(block, Loader=_YAML_LOADER) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"broken front matter: {problem}", display, line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError("front matter must be a mapping of keys (title: ..., date: ...)", display, 2)
    body = match.end() + 1 if match.end() < len(text) else match.end()
    return {str(k): v for k, v in meta.items()}, body


def read_manifest(folder: Path, display_root: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Rows of ``folder/sources.csv`` keyed by file name, and warnings."""
    path = folder / "sources.csv"
    if not path.is_file():
        return {}, []
    display = _display(path, display_root)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"manifest is not UTF-8 (offset {exc.start})", display) from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise InputError(f"manifest needs a header with a 'file' column (columns: {', '.join(MANIFEST_COLUMNS)})", display, 1)
    rows: dict[str, dict[str, str]] = {}
    warnings: list[str] = []
    for line_no, row in enumerate(reader, start=2):
        if None in row:
            raise InputError("row has more cells than the header", display, line_no)
        name = (row.get("file") or "").strip()
        if not name:
            warnings.append(f"{display}:{line_no}: row without a file name, ignored")
            continue
        rows[name] = {k: (v or "").strip() for k, v in row.items() if k}
        rows[name]["_line"] = str(line_no)
    for name, row in rows.items():
        if not (folder / name).is_file():
            warnings.append(f"{display}:{row['_line']}: manifest names {name!r}, which is not in the corpus")
    return rows, warnings


def _display(path: Path | str, root: Path) -> str:
    """PATH as messages show it: relative to ROOT when inside it (``Path.relative_to`` without its cost per file)."""
    text, prefix = str(path), os.path.join(str(root), "")
    return text[len(prefix) :] if text.startswith(prefix) else text


def _text_field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value).strip()


def load_document(
    path: Path, source_file: str, manifest_row: dict[str, str] | None, display: str, resolved: str | None = None
) -> tuple[object, list[str]]:
    """Read one file into a `Document`; returns it with its warnings.

    Raises `CorpusWarning` when the file must be skipped and `InputError`
    when its front matter is broken.
    """
    from claimgraph.model import Document

    warnings: list[str] = []
    text = _decode(path, path.read_bytes(), display)
    meta, body_offset = split_front_matter(text, display)
    manifest_row = manifest_row or {}

    def pick(key: str) -> str:
        return _text_field(meta.get(key)) or manifest_row.get(key, "")

    date_source = "unknown"
    date = ""
    for source, raw in (("front_matter", meta.get("date")), ("manifest", manifest_row.get("date"))):
        if raw in (None, ""):
            continue
        normal = normalise_date(raw)
        if normal is None:
            warnings.append(f"{display}: date {raw!r} from {source.replace('_', ' ')} is not YYYY, YYYY-MM or YYYY-MM-DD, ignored")
            continue
        date, date_source = normal, source
        break
    if not date:
        found = find_dateline(text[body_offset:])
        if found:
            date, date_source = found, "dateline"
        else:
            warnings.append(f"{display}: no date in front matter, sources.csv or a dateline; date is unknown")
    cites = meta.get("cites") or ()
    if isinstance(cites, str):
        cites = (cites,)
    known = set(FRONT_MATTER_KEYS) | set(MANIFEST_COLUMNS) | {"_line"}
    extra = {k: _text_field(v) for k, v in meta.items() if k not in known}
    extra.update({k: v for k, v in manifest_row.items() if k not in known and v})
    doc = Document(
        source_file=source_file,
        path=resolved or str(path.resolve()),
        text=text,
        title=pick("title"),
        publisher=pick("publisher"),
        author=pick("author"),
        date=date,
        date_source=date_source,
        url=pick("url"),
        kind=_text_field(meta.get("kind")) or manifest_row.get("kind", ""),
        language=pick("language"),
        cites=tuple(str(c) for c in cites),
        body_offset=body_offset,
        extra=tuple(sorted(extra.items())),
    )
    return doc, warnings


def _load_or_reuse(
    path: str, source_file: str, row: dict[str, str] | None, display: str, resolved: str, memo: DocumentMemo | None
) -> tuple[object, list[str]]:
    """`load_document`, or the memo's copy when the file and its context are unchanged."""
    if memo is None:
        return load_document(Path(path), source_file, row, display, resolved)
    stamp = file_stamp(os.stat(path))
    context = (source_file, display, tuple(sorted(row.items())) if row else ())
    found = memo.lookup(resolved, stamp, context)
    if found is not None:
        return found
    doc, warnings = load_document(Path(path), source_file, row, display, resolved)
    memo.record(resolved, stamp, context, doc, warnings)  # type: ignore[arg-type]
    return doc, warnings


def _corpus_parts(folder: Path) -> list[tuple[str, ...]]:
    """The path parts, below FOLDER, of its files that are not hidden, sorted (symbolic links to folders not followed)."""
    found: list[tuple[str, ...]] = []
    pending: list[tuple[str, ...]] = [()]
    while pending:
        parts = pending.pop()
        with os.scandir(os.path.join(folder, *parts)) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append((*parts, entry.name))
                elif entry.is_file():
                    found.append((*parts, entry.name))
    return sorted(found)


def load_corpus(
    corpora: Iterable[Path | str], *, strict: bool = False, display_root: Path | None = None, memo: DocumentMemo | None = None
) -> LoadResult:
    """Load every document of the given corpus folders.

    With MEMO (:class:`claimgraph.loadmemo.DocumentMemo`), a file whose stamp
    (size, times, inode) and context are those of the last build is not read
    again: its `Document` and warnings come from the memo.

    >>> result = load_corpus([])  # doctest: +SKIP
    """
    result = LoadResult()
    root = display_root or Path.cwd()
    seen: dict[str, str] = {}
    for corpus in corpora:
        folder = Path(corpus)
        if folder.is_file():
            files, folder = [(folder.name,)], folder.parent
        elif folder.is_dir():
            files = _corpus_parts(folder)
        else:
            raise InputError("corpus folder does not exist", str(corpus))
        manifest, manifest_warnings = read_manifest(folder, root)
        base = os.path.join(str(folder.resolve()), "")
        prefix = "" if str(folder) == "." else os.path.join(str(folder), "")  # as Path.joinpath writes them
        shown = os.path.join(str(root), "")  # what messages leave out of a path (see _display)
        result.warnings.extend(manifest_warnings)
        # Paths as strings, their parts (one name each) joined directly: a Path per file cost a rebuild of 10^4
        # documents 0.05 s, and os.path.join made loading 10^5 unchanged files take 0.85 s instead of 0.63 s.
        for parts in files:
            relative, name = "/".join(parts), parts[-1]
            on_disk = relative if os.sep == "/" else os.sep.join(parts)
            path, source_file = prefix + on_disk, relative
            display = path[len(shown) :] if path.startswith(shown) else path
            if name in NOT_DOCUMENTS:
                continue
            if os.path.splitext(name)[1].lower() not in DOCUMENT_SUFFIXES:
                result.warnings.append(f"{display}: not a .txt or .md document, skipped")
                continue
            if source_file in seen:
                source_file = f"{folder.name}/{source_file}"
            try:
                row = manifest.get(name) or manifest.get(source_file)
                resolved = base + on_disk
                doc, warnings = _load_or_reuse(path, source_file, row, display, resolved, memo)
            except CorpusWarning as warning:
                result.warnings.append(str(warning))
                continue
            seen[source_file] = display
            result.warnings.extend(warnings)
            result.documents.append(doc)
    if strict and result.warnings:
        raise InputError(result.warnings[0] + (f" (and {len(result.warnings) - 1} more warnings)" if len(result.warnings) > 1 else "") + "; --strict turns warnings into errors")
    return result
