"""The document memo: a rebuild reuses the documents whose files are unchanged, and reads every other one again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimgraph import load, loadmemo
from claimgraph.build import OUTPUTS, build
from claimgraph.cache import CACHE_DIR, document_key
from claimgraph.config import BuildConfig
from claimgraph.load import load_corpus
from claimgraph.load import load_document as real_load_document
from claimgraph.loadmemo import MEMO_FILE, DocumentMemo
from claimgraph.synthetic import write_corpus

QUIET = BuildConfig(progress=False, jobs=1)


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are seconds old at most: trust them as if they were older (the racy guard has its own test)."""
    monkeypatch.setattr(loadmemo, "RACY_NS", 0)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def corpus(folder: Path) -> Path:
    write(folder, "a.md", "---\ntitle: A\ndate: 2017-05-01\n---\nSome 120 Belgians had returned by May 2017.\n")
    write(folder, "b.md", "---\ntitle: B\n---\nAbout 40 Danes had left for Syria.\n")  # no date: a warning
    write(folder, "sources.csv", "file,publisher,date\nb.md,Example News,2016\na.md,Other Press,\n")
    return folder


def load_with_memo(folder: Path, out: Path, root: Path | None = None) -> tuple[list, list[str], DocumentMemo]:
    memo = DocumentMemo(out)
    result = load_corpus([folder], memo=memo, display_root=root or folder)
    memo.keys(result.documents)
    memo.save()
    return result.documents, result.warnings, memo


def test_unchanged_files_come_from_the_memo_with_their_warnings_and_keys(trusting: None, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "corpus")
    first, warnings, memo = load_with_memo(folder, tmp_path / "out")
    assert memo.reused == 0 and (tmp_path / "out" / CACHE_DIR / MEMO_FILE).is_file()
    again, warnings_again, memo = load_with_memo(folder, tmp_path / "out")
    assert memo.reused == 2
    assert again == first == load_corpus([folder], display_root=folder).documents
    assert warnings_again == warnings
    assert memo.keys(again) == [document_key(d) for d in first]


def test_an_edit_of_the_same_size_with_its_time_put_back_is_read_again(trusting: None, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "corpus")
    load_with_memo(folder, tmp_path / "out")
    path = folder / "a.md"
    before = os.stat(path)
    path.write_text(path.read_text(encoding="utf-8").replace("120", "130"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same modification time; the change time moved
    documents, _, memo = load_with_memo(folder, tmp_path / "out")
    assert memo.reused == 1
    assert "130" in next(d for d in documents if d.source_file == "a.md").text


def test_a_changed_manifest_row_or_message_root_loads_the_file_again(trusting: None, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "corpus")
    load_with_memo(folder, tmp_path / "out")
    write(folder, "sources.csv", "file,publisher,date\nb.md,Example News,2015\na.md,Other Press,\n")
    documents, _, memo = load_with_memo(folder, tmp_path / "out")
    assert memo.reused == 1  # a.md's row is the same; b.md's date changed
    assert next(d for d in documents if d.source_file == "b.md").date == "2015"
    _, warnings, memo = load_with_memo(folder, tmp_path / "out", root=tmp_path)
    assert memo.reused == 0  # messages now show paths from another folder
    assert warnings == load_corpus([folder], display_root=tmp_path).warnings


def test_files_changed_just_before_the_last_build_are_not_trusted(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "corpus")  # written now: within RACY_NS of the first load
    load_with_memo(folder, tmp_path / "out")
    _, _, memo = load_with_memo(folder, tmp_path / "out")
    assert memo.reused == 0


def test_a_memo_of_other_code_or_unreadable_is_ignored(trusting: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path / "corpus")
    load_with_memo(folder, tmp_path / "out")
    monkeypatch.setattr(loadmemo, "code_fingerprint", lambda modules: "another version")
    _, _, memo = load_with_memo(folder, tmp_path / "out")
    assert memo.reused == 0
    (tmp_path / "out" / CACHE_DIR / MEMO_FILE).write_bytes(b"not a pickle")
    documents, _, memo = load_with_memo(folder, tmp_path / "out")
    assert memo.reused == 0 and len(documents) == 2


def test_a_rebuild_from_the_memo_writes_what_a_fresh_build_writes(
    trusting: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "corpus"
    write_corpus(work, 40, seed=3)
    build([work], tmp_path / "out", QUIET)
    edited = work / "000" / "doc-000017.md"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\n\nOfficials said 9,999 Belgians had returned home by 2016.\n", encoding="utf-8"
    )
    (work / "000" / "doc-000003.md").unlink()
    write(work, "000/new.md", "---\ntitle: New\ndate: 2018-02-01\n---\nSome 75 Belgians had returned by 2018.\n")
    opened = []
    monkeypatch.setattr(load, "load_document", lambda path, *args: opened.append(path.name) or real_load_document(path, *args))
    rebuilt = build([work], tmp_path / "out", QUIET)
    assert rebuilt.read == 2 and sorted(opened) == ["doc-000017.md", "new.md"]  # the other 39 files were not read
    monkeypatch.undo()
    build([work], tmp_path / "fresh", BuildConfig(progress=False, jobs=1, cache=False))
    assert {n: (tmp_path / "out" / n).read_bytes() for n in OUTPUTS} == {
        n: (tmp_path / "fresh" / n).read_bytes() for n in OUTPUTS
    }


def test_a_rebuild_that_read_a_few_files_writes_them_beside_the_memo(trusting: None, tmp_path: Path) -> None:
    """The memo (every document's text) is not written again for one changed file: a delta beside it is, and read back."""
    import pickle

    from claimgraph.loadmemo import DELTA_FILE

    folder, out = tmp_path / "corpus", tmp_path / "out"
    write_corpus(folder, 40, seed=4)
    memo_file, delta_file = out / CACHE_DIR / MEMO_FILE, out / CACHE_DIR / DELTA_FILE
    load_with_memo(folder, out)
    whole = memo_file.read_bytes(), os.stat(memo_file).st_mtime_ns
    edited = folder / "000" / "doc-000007.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nSome 31 Danes had returned by 2016.\n", encoding="utf-8")
    documents, _, memo = load_with_memo(folder, out)
    assert memo.reused == 39 and (memo_file.read_bytes(), os.stat(memo_file).st_mtime_ns) == whole
    first_read = pickle.loads(delta_file.read_bytes())["files"][str(edited.resolve())][1]
    again, _, memo = load_with_memo(folder, out)
    assert memo.reused == 40 and again == documents == load_corpus([folder], display_root=folder).documents  # the delta's too
    assert memo.keys(again) == [document_key(d) for d in documents]
    other = folder / "000" / "doc-000008.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nSome 12 Danes had left by 2015.\n", encoding="utf-8")
    load_with_memo(folder, out)
    entries = pickle.loads(delta_file.read_bytes())["files"]
    assert entries[str(edited.resolve())][1] == first_read < entries[str(other.resolve())][1]  # each entry keeps when it was read
    for name in ("doc-000010.md", "doc-000011.md", "doc-000012.md", "doc-000013.md", "doc-000014.md"):  # past an eighth
        path = folder / "000" / name
        path.write_text(path.read_text(encoding="utf-8") + "\nAbout 9 Swedes had returned.\n", encoding="utf-8")
    documents, _, memo = load_with_memo(folder, out)
    assert memo.reused == 35 and not delta_file.exists() and memo_file.read_bytes() != whole[0]  # written whole again
    again, _, memo = load_with_memo(folder, out)
    assert memo.reused == 40 and again == documents


def test_a_delta_of_another_memo_is_ignored(trusting: None, tmp_path: Path) -> None:
    folder, out = tmp_path / "corpus", tmp_path / "out"
    write_corpus(folder, 40, seed=4)
    load_with_memo(folder, out)
    edited = folder / "000" / "doc-000007.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nSome 31 Danes had returned by 2016.\n", encoding="utf-8")
    load_with_memo(folder, out)
    memo_file = out / CACHE_DIR / MEMO_FILE
    memo_file.write_bytes(memo_file.read_bytes())  # the memo rewritten (a new stamp): the delta no longer describes it
    _, _, memo = load_with_memo(folder, out)
    assert memo.reused == 39  # the edited file is read again, not taken from a delta of another memo


def test_a_document_from_the_memo_reads_its_text_only_when_asked_for(trusting: None, tmp_path: Path) -> None:
    import pickle

    folder = corpus(tmp_path / "corpus")
    first, _, _ = load_with_memo(folder, tmp_path / "out")
    again, _, memo = load_with_memo(folder, tmp_path / "out")
    assert memo.reused == 2 and all("text" not in d.__dict__ for d in again)  # not read yet
    assert memo.keys(again) == [document_key(d) for d in first] and all("text" not in d.__dict__ for d in again)
    sent = pickle.loads(pickle.dumps(again[0]))  # as a worker process gets it: whole
    assert "text" in sent.__dict__ and "_text_of" not in sent.__dict__ and sent == first[0]
    assert again[1].text == first[1].text and again == first
    memo = DocumentMemo(tmp_path / "out")
    late = load_corpus([folder], memo=memo, display_root=folder).documents
    assert memo.reused == 2 and all("text" not in d.__dict__ for d in late)
    memo_file = tmp_path / "out" / CACHE_DIR / MEMO_FILE
    memo_file.unlink()
    memo_file.write_bytes(b"another memo")  # replaced since it was read: the texts come from the one read (still open)
    assert late == first
