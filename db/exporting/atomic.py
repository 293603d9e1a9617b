"""Output files that appear whole or not at all.

An export writes to a temporary file beside the target and renames it over the target only when
everything is written, so an interrupted or cancelled export never leaves a truncated file and
never damages the file it would have replaced.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from db.errors import NewsmarkError


def _flush_ahead(fd: int, start: int, length: int) -> None:
    """Get ``length`` bytes written at ``start`` on their way to the disk, so that the final fsync has
    little left to wait for. On Linux ``POSIX_FADV_DONTNEED`` starts their writeback and returns without waiting
    for it (an fsync would stall the writer whenever the disk is busy); elsewhere, an fsync."""
    if hasattr(os, "posix_fadvise") and sys.platform.startswith("linux"):
        os.posix_fadvise(fd, start, length, os.POSIX_FADV_DONTNEED)
    else:
        os.fsync(fd)


_writev = getattr(os, "writev", None)
_IOV_MAX = min(os.sysconf("SC_IOV_MAX"), 1024) if hasattr(os, "sysconf") and _writev is not None else 1024

#: bytes the writer thread writes between two pushes of the file towards the disk (``_flush_ahead``)
SYNC_EVERY = 8 << 20


def _temp_beside(target: Path) -> Path:
    folder = target.parent
    if not folder.is_dir():
        raise NewsmarkError(f"{folder}: no such folder to export into.")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def atomic_paths(*targets: Path) -> Iterator[list[Path]]:
    """Temporary paths beside ``targets``; on success each replaces its target, on error all vanish."""
    temps: list[Path] = []
    try:
        for target in targets:
            temps.append(_temp_beside(target))
        yield temps
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
    except OSError as exc:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise NewsmarkError(
            f"Cannot write the export: {exc.strerror or exc} ({exc.filename or targets[0]})."
        ) from exc
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise


class BackgroundWriter:
    """Writes chunks to a file from a second thread, so that disk writes overlap building the next chunk.

    The queue is short (a few chunks), so memory stays bounded however long the export is. A chunk
    given as a list of pieces goes to the file with ``os.writev`` (no copy into one buffer), or where
    there is none is joined by the writer's thread (``bytes.join`` of a large result copies without
    holding the GIL, so the exporting thread goes on meanwhile).
    """

    def __init__(self, fh: IO[bytes], depth: int = 3, sync_every: int | None = None) -> None:
        self._fh = fh
        self._sync_every = sync_every
        self._queue: queue.Queue[bytes | list[bytes] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="newsmark-export-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        flushed = written = 0  # bytes: pushed towards the disk, written
        while True:
            chunk = self._queue.get()
            if chunk is None:
                return
            if self._error is None:
                try:
                    if isinstance(chunk, bytes):
                        self._write_all(chunk)
                        written += len(chunk)
                    else:
                        written += self._write_parts(chunk)
                    if self._sync_every is not None and written - flushed >= self._sync_every:
                        _flush_ahead(self._fh.fileno(), flushed, written - flushed)
                        flushed = written
                except BaseException as exc:  # handed to the exporting thread by close()/write()
                    self._error = exc

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = self._fh.write(view)
            view = view[written if written is not None else len(view) :]

    def _write_parts(self, parts: list[bytes]) -> int:
        """Write ``parts`` one after another; returns how many bytes."""
        if _writev is None:  # no writev (Windows): one copy, made without the GIL
            data = b"".join(parts)
            self._write_all(data)
            return len(data)
        fd = self._fh.fileno()
        total = 0
        for at in range(0, len(parts), _IOV_MAX):
            group = parts[at : at + _IOV_MAX]
            size = sum(map(len, group))
            written = _writev(fd, group)  # straight from the pieces: no copy into one buffer
            if written < size:  # a short write (rare): the rest the plain way
                self._write_all(b"".join(group)[written:])
            total += size
        return total

    def write(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(chunk)

    def write_parts(self, parts: list[bytes]) -> None:
        """Write the concatenation of ``parts`` (bytes objects; the list is the writer's from now on)."""
        if self._error is not None:
            raise self._error
        self._queue.put(parts)

    def close(self) -> None:
        """Wait for every chunk to be written; re-raise a write error."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error


@contextlib.contextmanager
def atomic_binary(target: Path) -> Iterator[BackgroundWriter]:
    """A chunk writer whose content replaces ``target`` only if the block completes."""
    with atomic_paths(target) as (temp,), temp.open("wb", buffering=0) as fh:
        writer = BackgroundWriter(fh, sync_every=SYNC_EVERY)
        try:
            yield writer
        finally:
            writer.close()
        os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_text(target: Path, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    with (
        atomic_paths(target) as (temp,),
        temp.open("w", encoding=encoding, newline=newline, buffering=1 << 20) as fh,
    ):
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
