"""Writing outputs made of chunks: bytes, and ranges of another file copied in the kernel (or read, where it cannot)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from claimgraph import writer
from claimgraph.writer import FileRange, joined, write_file

OLD = bytes(range(256)) * 4096 + b"the end"  # 1 MB and a bit: more than one piece where it is read


@pytest.fixture
def old(tmp_path: Path):  # noqa: ANN201
    path = tmp_path / "old.bin"
    path.write_bytes(OLD)
    fd = os.open(path, os.O_RDONLY)
    yield fd, str(path)
    os.close(fd)


def chunks(fd: int, path: str) -> list:
    """Bytes and ranges interleaved, ranges of several sizes, one ending at the end of the file."""
    return [b"head\n", FileRange(fd, 10, 20, path), b"-", FileRange(fd, 1000, len(OLD), path), b"", FileRange(fd, 0, 3, path), b"tail"]


EXPECTED = b"head\n" + OLD[10:20] + b"-" + OLD[1000:] + OLD[:3] + b"tail"


def test_ranges_are_copied_between_bytes_in_order(old: tuple[int, str], tmp_path: Path) -> None:
    write_file(tmp_path / "out.bin", chunks(*old))
    assert (tmp_path / "out.bin").read_bytes() == EXPECTED
    assert joined(chunks(*old)) == EXPECTED


@pytest.mark.parametrize("refusal", [errno.EXDEV, errno.ENOSYS, errno.EINVAL, None])
def test_where_the_kernel_cannot_copy_the_bytes_are_read_and_written(
    old: tuple[int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: int | None
) -> None:
    if refusal is None:  # no copy_file_range at all (not Linux)
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    else:
        def refuse(*_args: object) -> int:
            raise OSError(refusal, os.strerror(refusal))

        monkeypatch.setattr(os, "copy_file_range", refuse)
    monkeypatch.setattr(writer, "COPY_PIECE", 4096)  # many pieces
    write_file(tmp_path / "out.bin", chunks(*old))
    assert (tmp_path / "out.bin").read_bytes() == EXPECTED


def test_a_copy_that_stops_half_way_goes_on_by_reading(old: tuple[int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.copy_file_range
    calls = []

    def once_then_refuse(src: int, dst: int, count: int, offset_src: int | None = None, *rest: object) -> int:
        calls.append(count)
        if len(calls) % 2:
            return real(src, dst, min(count, 5), offset_src)  # a short copy, as the kernel may make
        raise OSError(errno.EXDEV, "cross-device")

    monkeypatch.setattr(os, "copy_file_range", once_then_refuse)
    write_file(tmp_path / "out.bin", chunks(*old))
    assert (tmp_path / "out.bin").read_bytes() == EXPECTED and len(calls) == 5


def test_a_range_past_the_end_of_its_file_is_an_error_naming_it(old: tuple[int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fd, path = old
    with pytest.raises(OSError, match="old.bin: shorter than its record"):
        write_file(tmp_path / "out.bin", [FileRange(fd, len(OLD) - 5, len(OLD) + 5, path)])
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    with pytest.raises(OSError, match="old.bin: shorter than its record"):
        write_file(tmp_path / "out.bin", [FileRange(fd, len(OLD) - 5, len(OLD) + 5, path)])
    with pytest.raises(OSError, match="old.bin: shorter than its record"):
        joined([FileRange(fd, len(OLD), len(OLD) + 1, path)])


def test_other_errors_of_the_copy_are_not_hidden(old: tuple[int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "copy_file_range", full)
    with pytest.raises(OSError, match="No space left"):
        write_file(tmp_path / "out.bin", chunks(*old))
