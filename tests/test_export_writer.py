"""The export writer thread: every byte lands in order, whole, however the pieces are handed over."""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from db.errors import NewsmarkError
from db.exporting import atomic
from db.exporting.atomic import atomic_binary


def pieces(n: int) -> list[bytes]:
    return [f"line {i} «ü» 🚀\n".encode() * (i % 7 + 1) for i in range(n)]


def write_all_ways(target: Path) -> bytes:
    expected = b""
    with atomic_binary(target) as fh:
        for k in range(5):
            parts = pieces(1500 + k)  # more pieces than one writev takes
            fh.write_parts(list(parts))
            expected += b"".join(parts)
            fh.write(b"plain chunk\n")
            expected += b"plain chunk\n"
    return expected


def test_pieces_and_chunks_are_written_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "SYNC_EVERY", 4096)  # push to disk many times along the way
    out = tmp_path / "o.jsonl"
    expected = write_all_ways(out)
    assert out.read_bytes() == expected


def test_a_short_writev_is_finished_the_plain_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if atomic._writev is None:
        pytest.skip("no writev on this platform")
    real: Callable[[int, Sequence[bytes]], int] = atomic._writev

    def short(fd: int, buffers: Sequence[bytes]) -> int:  # the kernel may write less than asked
        return real(fd, [bytes(buffers[0])[:3]])

    monkeypatch.setattr(atomic, "_writev", short)
    out = tmp_path / "o.jsonl"
    expected = write_all_ways(out)
    assert out.read_bytes() == expected


def test_without_writev_the_pieces_are_joined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "_writev", None)  # as on Windows
    out = tmp_path / "o.jsonl"
    expected = write_all_ways(out)
    assert out.read_bytes() == expected


def test_a_failed_write_leaves_the_old_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int, buffers: Sequence[bytes]) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_writev", disk_full)
    out = tmp_path / "o.jsonl"
    out.write_bytes(b"previous export\n")
    with pytest.raises(NewsmarkError, match="No space left"), atomic_binary(out) as fh:
        fh.write_parts(pieces(10))
        fh.close()  # the writer's error comes back to the exporting thread
    assert out.read_bytes() == b"previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["o.jsonl"]  # no temporary file left
